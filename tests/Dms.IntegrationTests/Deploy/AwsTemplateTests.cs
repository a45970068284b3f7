using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using System.Text.RegularExpressions;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Deploy;

/// <summary>
/// deploy/aws/dms.yaml, checked without AWS: it parses, every reference resolves, every parameter is used, the
/// task roles grant exactly the AWS actions the code calls and nothing on <c>*</c>, and the resources carry what the
/// runbook and the design require. What this cannot prove: that CloudFormation creates the stack (no AWS here);
/// <see cref="The_template_passes_cfn_lint"/> checks the resource types and properties against AWS's published
/// resource specification.
/// </summary>
public sealed partial class AwsTemplateTests
{
    private static readonly string TemplatePath = CloudFormationTemplate.PathOf("deploy", "aws", "dms.yaml");
    private static readonly CloudFormationTemplate Template = CloudFormationTemplate.Load(TemplatePath);

    private static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix", "AWS::NotificationARNs"];

    [Fact]
    public void Every_ref_getatt_sub_condition_and_dependency_names_something_the_template_has()
    {
        var unresolved = new List<string>();
        foreach (var (path, node) in Template.Walk())
        {
            if (node is not JsonObject { Count: 1 } function)
            {
                continue;
            }

            var (name, argument) = function.Single();
            switch (name)
            {
                case "Ref" when !IsParameterOrResource(argument!.GetValue<string>()):
                    unresolved.Add($"{path}: Ref {argument}");
                    break;
                case "Fn::GetAtt" when !Template.Resources.ContainsKey(argument![0]!.GetValue<string>()):
                    unresolved.Add($"{path}: GetAtt {argument.ToJsonString()}");
                    break;
                case "Fn::Sub":
                    var (text, variables) = argument is JsonArray pair ? (pair[0]!.GetValue<string>(), pair[1]!.AsObject()) : (argument!.GetValue<string>(), new JsonObject());
                    unresolved.AddRange(SubVariables(text)
                        .Where(v => !variables.ContainsKey(v) && !(v.Contains('.') ? Template.Resources.ContainsKey(v[..v.IndexOf('.')]) : IsParameterOrResource(v)))
                        .Select(v => $"{path}: Sub ${{{v}}}"));
                    break;
                case "Fn::If" or "Condition" when !Template.Conditions.ContainsKey((argument is JsonArray a ? a[0] : argument)!.GetValue<string>()):
                    unresolved.Add($"{path}: condition {argument!.ToJsonString()}");
                    break;
            }
        }

        foreach (var (name, resource) in Template.Resources)
        {
            if (resource!["Condition"] is JsonValue condition && !Template.Conditions.ContainsKey(condition.GetValue<string>()))
            {
                unresolved.Add($"{name}: Condition {condition}");
            }

            var dependsOn = resource["DependsOn"] switch { JsonArray list => list.Select(d => d!.GetValue<string>()), JsonValue one => [one.GetValue<string>()], _ => [] };
            unresolved.AddRange(dependsOn.Where(d => !Template.Resources.ContainsKey(d)).Select(d => $"{name}: DependsOn {d}"));
        }

        Assert.Empty(unresolved);
        // A Ref to a name that is both would be ambiguous: CloudFormation refuses the template.
        Assert.Empty(Template.Parameters.Select(p => p.Key).Intersect(Template.Resources.Select(r => r.Key)));
        Assert.True(Template.Resources.Count > 40, "The template was not read whole.");
    }

    [Fact]
    public void Every_parameter_is_used()
    {
        var used = Template.Walk().SelectMany(n => n.Node switch
        {
            JsonObject o when o.Count == 1 && o["Ref"] is JsonValue target => [target.GetValue<string>()],
            JsonObject o when o.Count == 1 && o["Fn::Sub"] is { } sub => SubVariables(sub is JsonArray pair ? pair[0]!.GetValue<string>() : sub.GetValue<string>()),
            _ => [],
        }).ToHashSet();

        Assert.All(Template.Parameters, parameter => Assert.Contains(parameter.Key, used));
    }

    [Fact]
    public void The_task_roles_grant_exactly_the_aws_actions_the_code_calls_and_never_on_everything()
    {
        var api = Grants("ApiTaskRole");
        var worker = Grants("WorkerTaskRole");
        var called = ActionsTheCodeCalls();

        Assert.Equal(called.Order(), api.Concat(worker).Select(g => g.Action).Distinct().Order());
        // The api pre-signs uploads and downloads and adds users; the worker reads what it scans, and writes only
        // preview images (BlobKeys.ForPreview), never a document's bytes.
        Assert.Contains(api, g => g.Action == "s3:PutObject");
        Assert.Contains(api, g => g.Action == "s3:GetObject");
        Assert.Contains(api, g => g.Action == "cognito-idp:AdminCreateUser");
        Assert.Contains(worker, g => g.Action == "s3:GetObject");
        Assert.Contains(worker, g => g.Action == "sqs:ReceiveMessage");
        Assert.DoesNotContain(worker, g => g.Action.StartsWith("cognito-idp:", StringComparison.Ordinal));
        // The worker writes preview images and the audit archive's copies, never a document's bytes; it sets the legal
        // hold of documents' content only; and nothing of the audit archive can be read or deleted by either role.
        Assert.Equal(
            ["{\"Fn::Sub\":\"${AuditArchiveBucket.Arn}/audit/*\"}", "{\"Fn::Sub\":\"${DocumentsBucket.Arn}/*/documents/*/preview/*\"}"],
            worker.Where(g => g.Action == "s3:PutObject").Select(g => g.Resource).Order());
        Assert.Equal("{\"Fn::Sub\":\"${DocumentsBucket.Arn}/*/documents/*/content\"}", Assert.Single(worker, g => g.Action == "s3:PutObjectLegalHold").Resource);
        Assert.DoesNotContain(api.Concat(worker), g => g.Action != "s3:PutObject" && g.Resource.Contains("AuditArchiveBucket", StringComparison.Ordinal));
        Assert.All(api.Concat(worker), g =>
        {
            Assert.DoesNotContain("*", g.Action);
            Assert.NotEqual("*", g.Resource);
            Assert.NotEqual("s3:DeleteBucket", g.Action);
        });
    }

    /// <summary>
    /// An api task someone takes over can neither erase a document's history (deleting objects or their versions: the
    /// worker alone deletes, asked by a purge row) nor take, hide or drop the jobs of the processing queue; and the
    /// role that starts each service hands it only its own secrets.
    /// </summary>
    [Fact]
    public void A_stolen_api_task_cannot_erase_history_nor_take_jobs_and_each_service_starts_with_only_its_secrets()
    {
        var api = Grants("ApiTaskRole");
        var worker = Grants("WorkerTaskRole");
        const string MainQueue = "{\"Fn::GetAtt\":[\"ProcessingQueue\",\"Arn\"]}";

        Assert.DoesNotContain(api, g => g.Action is "s3:DeleteObject" or "s3:DeleteObjectVersion" or "s3:ListBucketVersions" or "s3:PutLifecycleConfiguration");
        Assert.Contains(worker, g => g.Action == "s3:DeleteObjectVersion");
        Assert.Equal(["sqs:GetQueueAttributes", "sqs:SendMessage"], api.Where(g => g.Resource == MainQueue).Select(g => g.Action).Order());
        Assert.Contains(api, g => g.Action == "sqs:ReceiveMessage" && g.Resource.Contains("ProcessingDeadLetterQueue", StringComparison.Ordinal));

        var executionRoles = new[] { "ApiExecutionRole", "WebExecutionRole", "WorkerExecutionRole", "MigrationsExecutionRole" };
        foreach (var (task, role) in new[] { ("ApiTaskDefinition", "ApiExecutionRole"), ("WebTaskDefinition", "WebExecutionRole"),
                     ("WorkerTaskDefinition", "WorkerExecutionRole"), ("MigrationsTaskDefinition", "MigrationsExecutionRole") })
        {
            Assert.Equal(role, Template.Properties(task)["ExecutionRoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        }

        Assert.All(executionRoles.Where(r => r != "MigrationsExecutionRole"), role => Assert.Null(Template.Properties(role)["Policies"]));
        Assert.Contains(Grants("MigrationsExecutionRole"), g => g.Resource.Contains("MasterUserSecret", StringComparison.Ordinal));
        Assert.Equal(["ApiExecutionRole", "WorkerExecutionRole"], Template.Properties("SearchKeyStartPolicy")["Roles"]!.AsArray().Select(r => r!["Ref"]!.GetValue<string>()));
    }

    [Fact]
    public void The_scanner_beside_the_worker_takes_what_the_api_accepts_and_reports_what_passes_its_limits()
    {
        var scanner = Template.Properties("WorkerTaskDefinition")["ContainerDefinitions"]!.AsArray().Single(c => c!["Name"]!.GetValue<string>() == "scanner")!;
        var script = string.Join("\n", scanner["Command"]!.AsArray().Select(c => c!.GetValue<string>()));

        foreach (var limit in new[] { "StreamMaxLength", "MaxScanSize", "MaxFileSize" })
        {
            Assert.Contains($"{limit} {Dms.Contracts.ScanLimits.MaxFileBytes}", script);
        }

        Assert.Contains("AlertExceedsMax yes", script);
        Assert.EndsWith("exec /init", script.Trim());
    }

    [Fact]
    public void The_bucket_is_versioned_encrypted_private_with_cors_and_lifecycle()
    {
        var bucket = Template.Properties("DocumentsBucket");
        var rules = bucket["LifecycleConfiguration"]!["Rules"]!.AsArray();

        Assert.Equal("Enabled", bucket["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.All(bucket["PublicAccessBlockConfiguration"]!.AsObject(), setting => Assert.Equal("true", setting.Value!.GetValue<string>()));
        Assert.Equal(["PUT", "GET"], bucket["CorsConfiguration"]!["CorsRules"]![0]!["AllowedMethods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Contains(rules, r => r!["AbortIncompleteMultipartUpload"] is not null);
        Assert.Contains(rules, r => r!["NoncurrentVersionExpiration"]?["NoncurrentDays"]?["Ref"]?.GetValue<string>() == "LongestRetentionDays");
    }

    /// <summary>
    /// The browser sends what an upload URL signs (the web app's script sets every header of the instruction), so the
    /// bucket's CORS must allow each, or S3 refuses the preflight and the upload never starts. Read from URLs the store
    /// signs (signing needs no network): with and without a declared checksum. Content-Length the browser sets itself
    /// and never asks about; a multipart part's URL asks for no header of its own.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public async Task The_buckets_cors_allows_every_header_an_upload_url_signs(string? sha256)
    {
        using var s3 = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("key", "secret"),
            new Amazon.S3.AmazonS3Config { ServiceURL = "http://127.0.0.1:9", ForcePathStyle = true, AuthenticationRegion = "eu-west-1" });
        var store = new Dms.Adapters.Aws.S3BlobStore(s3, Microsoft.Extensions.Options.Options.Create(new Dms.Storage.StorageOptions
        {
            S3 = new Dms.Storage.S3StorageOptions { Bucket = "documents", ServiceUrl = "http://127.0.0.1:9" },
        }));
        var allowed = Template.Properties("DocumentsBucket")["CorsConfiguration"]!["CorsRules"]![0]!["AllowedHeaders"]!.AsArray()
            .Select(h => h!.GetValue<string>().ToLowerInvariant()).ToHashSet();

        var upload = (await store.PrepareUploadAsync("t/documents/d/v1/content", 1234, "application/pdf", sha256, DateTimeOffset.UtcNow.AddMinutes(5),
            TestContext.Current.CancellationToken)).Instruction;

        var signed = System.Web.HttpUtility.ParseQueryString(new Uri(upload.Url!).Query)["X-Amz-SignedHeaders"]!.Split(';');
        var sent = signed.Concat(upload.Headers.Keys.Select(h => h.ToLowerInvariant())).Distinct().Where(h => h is not ("host" or "content-length"));
        Assert.All(sent, header => Assert.Contains(header, allowed));
    }

    [Fact]
    public void Documents_and_database_are_encrypted_with_keys_of_the_stacks_own_and_copied_daily_by_aws_backup()
    {
        var bucket = Template.Properties("DocumentsBucket");
        var encryption = bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!;
        var keyUse = Template.Properties("DocumentsKeyUse");
        var selection = Template.Properties("BackupSelection")["BackupSelection"]!["Resources"]!.AsArray().Select(r => r!.ToJsonString()).ToList();

        Assert.Equal("aws:kms", encryption["SSEAlgorithm"]!.GetValue<string>());
        Assert.Equal("DocumentsKey", encryption["KMSMasterKeyID"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("DatabaseKey", Template.Properties("DatabaseCluster")["KmsKeyId"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.All(new[] { "DocumentsKey", "DatabaseKey" }, key => Assert.Equal("true", Template.Properties(key)["EnableKeyRotation"]!.ToString()));
        Assert.Equal(["ApiTaskRole", "WorkerTaskRole"], keyUse["Roles"]!.AsArray().Select(r => r!["Ref"]!.GetValue<string>()));
        // Object Lock on for the bucket's life (legal holds set it per version), with no default retention to block deletes.
        Assert.Equal("true", bucket["ObjectLockEnabled"]!.ToString());
        Assert.Null(bucket["ObjectLockConfiguration"]!["Rule"]);
        // A name of CloudFormation's, so an environment can be made again while its retained bucket lives on.
        Assert.Null(bucket["BucketName"]);
        Assert.Contains(selection, r => r.Contains("DocumentsBucket", StringComparison.Ordinal));
        Assert.Contains(selection, r => r.Contains(":cluster:${DatabaseCluster}", StringComparison.Ordinal));
        Assert.Equal("BackupRetentionDays", Template.Properties("BackupPlan")["BackupPlan"]!["BackupPlanRule"]![0]!["Lifecycle"]!["DeleteAfterDays"]!["Ref"]!.GetValue<string>());
    }

    /// <summary>
    /// After a point-in-time restore, one parameter points every service and the migrations at the restored cluster;
    /// otherwise the services go through the RDS Proxy when there is one, the migrations (as the owner, whom the
    /// proxy does not know) always to the cluster itself.
    /// </summary>
    [Fact]
    public void A_restored_cluster_or_the_proxy_is_taken_by_every_service_through_one_parameter()
    {
        var hosts = Template.Walk()
            .Where(n => n.Node is JsonObject o && o["Fn::Sub"] is JsonArray sub && sub[0]!.GetValue<string>().StartsWith("Host=${Host}", StringComparison.Ordinal))
            .ToDictionary(n => Regex.Match(n.Node!["Fn::Sub"]![0]!.GetValue<string>(), "Username=(\\w+)").Groups[1].Value + n.Path, n => n.Node!["Fn::Sub"]![1]!["Host"]!.ToJsonString());
        const string Cluster = "{\"Fn::GetAtt\":[\"DatabaseCluster\",\"Endpoint.Address\"]}";
        const string Restored = "{\"Ref\":\"RestoredDatabaseEndpoint\"}";

        Assert.Equal(4, hosts.Count);
        Assert.All(hosts.Where(h => !h.Key.StartsWith("dms_owner", StringComparison.Ordinal)), host => Assert.Equal(
            $"{{\"Fn::If\":[\"UseRestoredDatabase\",{Restored},{{\"Fn::If\":[\"UseDatabaseProxy\",{{\"Fn::GetAtt\":[\"DatabaseProxy\",\"Endpoint\"]}},{Cluster}]}}]}}", host.Value));
        Assert.Equal($"{{\"Fn::If\":[\"UseRestoredDatabase\",{Restored},{Cluster}]}}", Assert.Single(hosts, h => h.Key.StartsWith("dms_owner", StringComparison.Ordinal)).Value);
        Assert.Equal("", Template.Parameters["RestoredDatabaseEndpoint"]!["Default"]!.GetValue<string>());

        var proxy = Template.Properties("DatabaseProxy");
        Assert.Equal("UseDatabaseProxy", Template.Resources["DatabaseProxy"]!["Condition"]!.GetValue<string>());
        Assert.Equal("false", Template.Parameters["RdsProxy"]!["Default"]!.GetValue<string>());
        Assert.Equal("true", proxy["RequireTLS"]!.ToString());
        Assert.Equal(["AppDatabasePassword", "WebDatabasePassword"], proxy["Auth"]!.AsArray().Select(a => a!["SecretArn"]!["Ref"]!.GetValue<string>()));
    }

    /// <summary>The runbook's three log queries, saved, on fields the code writes (the JSON console formatter's and the log messages').</summary>
    [Theory]
    [InlineData("RecentErrorsQuery", "level")]
    [InlineData("SlowApiRequestsQuery", "duration")]
    [InlineData("ProcessingFailuresQuery", "status")]
    public void The_runbooks_log_queries_are_saved_on_fields_the_code_writes(string query, string filteredOn)
    {
        var text = Template.Properties(query)["QueryString"]!.GetValue<string>();
        var sources = string.Join("\n", SourcesOf("Dms.Api", "Dms.Worker", "Dms.ServiceDefaults"));
        var fields = Regex.Match(text, @"^fields (.+)$", RegexOptions.Multiline).Groups[1].Value.Split(", ").Where(f => !f.StartsWith('@'));

        Assert.Contains($"| filter {filteredOn} ", text);
        Assert.All(fields.Append(filteredOn), field => Assert.True(
            sources.Contains($"{{{field}}}", StringComparison.Ordinal) || sources.Contains($"WriteString(\"{field}\"", StringComparison.Ordinal),
            $"{query} reads {field}, which no log record of the code carries."));
    }

    [Fact]
    public void The_pages_run_on_two_web_tasks_that_share_their_keys_and_a_deploy_replaces_them_without_a_gap()
    {
        var web = Template.Properties("WebService");
        var environment = Template.Properties("WebTaskDefinition")["ContainerDefinitions"]![0]!["Environment"]!.AsArray()
            .ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.ToString());

        Assert.Equal("2", Template.Parameters["WebDesiredCount"]!["Default"]!.ToString());
        Assert.Null(Template.Parameters["WebDesiredCount"]!["MaxValue"]);
        Assert.Equal("true", environment["Dms__Web__KeysInDatabase"]);
        Assert.Equal("100", web["DeploymentConfiguration"]!["MinimumHealthyPercent"]!.ToString());
    }

    [Fact]
    public void Aurora_has_a_reader_to_fail_over_to_performance_insights_and_a_password_rotated_every_30_days()
    {
        var reader = Template.Resources["DatabaseReaderInstance"]!;
        var rotation = Template.Properties("AppDatabasePasswordRotation");
        var pools = Template.Walk()
            .Where(n => n.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>().Contains("Maximum Pool Size=", StringComparison.Ordinal))
            .Select(n => int.Parse(Regex.Match(n.Node!.GetValue<string>(), @"Maximum Pool Size=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

        Assert.Equal("UseDatabaseReader", reader["Condition"]!.GetValue<string>());
        Assert.Equal("true", Template.Parameters["DatabaseReader"]!["Default"]!.GetValue<string>());
        Assert.Equal("1", reader["Properties"]!["PromotionTier"]!.ToString());
        Assert.All(new[] { "DatabaseInstance", "DatabaseReaderInstance" }, i => Assert.Equal("true", Template.Properties(i)["EnablePerformanceInsights"]!.ToString()));
        Assert.Equal("AppDatabasePassword", rotation["SecretId"]!["Ref"]!.GetValue<string>());
        Assert.Equal("PostgreSQLSingleUser", rotation["HostedRotationLambda"]!["RotationType"]!.GetValue<string>());
        Assert.Equal("30", rotation["RotationRules"]!["AutomaticallyAfterDays"]!.ToString());
        // A few connections per vCPU: every task at the most the services scale to stays inside Aurora's connections.
        Assert.Equal(3, pools.Count);
        Assert.All(pools, size => Assert.InRange(size, 1, 10));
    }

    /// <summary>
    /// The container health check ECS runs in the api, web and worker images (which have bash, not curl), run here by
    /// bash against a server on 127.0.0.1: healthy when /alive answers 200, unhealthy when it answers 503 or nothing.
    /// </summary>
    [Fact]
    public async Task The_container_health_check_asks_alive_and_fails_when_it_does_not_answer_200()
    {
        var commands = new[] { "ApiTaskDefinition", "WebTaskDefinition", "WorkerTaskDefinition" }
            .Select(task => Template.Properties(task)["ContainerDefinitions"]![0]!["HealthCheck"]!["Command"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray())
            .ToList();
        Assert.All(commands, command => Assert.Equal(commands[0], command));
        Assert.Equal(["CMD", "bash", "-c"], commands[0][..3]);

        var status = 200;
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var server = builder.Build();
        server.MapGet("/alive", () => Microsoft.AspNetCore.Http.Results.StatusCode(status));
        await server.StartAsync(TestContext.Current.CancellationToken);
        var port = new Uri(server.Urls.Single()).Port;
        var script = commands[0][3].Replace("/8080", $"/{port}", StringComparison.Ordinal);

        var healthy = await ProcessRunner.RunAsync("bash", ["-c", script], timeout: TimeSpan.FromSeconds(10));
        status = 503;
        var failing = await ProcessRunner.RunAsync("bash", ["-c", script], timeout: TimeSpan.FromSeconds(10));
        await server.StopAsync(TestContext.Current.CancellationToken);
        var gone = await ProcessRunner.RunAsync("bash", ["-c", script], timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(0, healthy.ExitCode);
        Assert.NotEqual(0, failing.ExitCode);
        Assert.NotEqual(0, gone.ExitCode);
    }

    [Fact]
    public void The_queue_redrives_to_its_dead_letter_queue_after_the_parameters_receives()
    {
        var redrive = Template.Properties("ProcessingQueue")["RedrivePolicy"]!;

        Assert.Equal("ProcessingDeadLetterQueue", redrive["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("MaxReceiveCount", redrive["maxReceiveCount"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void Aurora_is_serverless_v2_from_half_an_acu_to_two_with_a_managed_secret_and_35_days_of_backups()
    {
        var cluster = Template.Properties("DatabaseCluster");

        Assert.Equal("aurora-postgresql", cluster["Engine"]!.GetValue<string>());
        Assert.Equal("db.serverless", Template.Properties("DatabaseInstance")["DBInstanceClass"]!.GetValue<string>());
        Assert.Equal("0.5", Template.Parameters["DatabaseMinCapacity"]!["Default"]!.GetValue<string>());
        Assert.Equal("2", Template.Parameters["DatabaseMaxCapacity"]!["Default"]!.GetValue<string>());
        Assert.Equal("DatabaseMinCapacity", cluster["ServerlessV2ScalingConfiguration"]!["MinCapacity"]!["Ref"]!.GetValue<string>());
        Assert.Equal("true", cluster["ManageMasterUserPassword"]!.GetValue<string>());
        Assert.Equal("35", cluster["BackupRetentionPeriod"]!.GetValue<string>());
    }

    [Fact]
    public void The_user_pool_has_a_tenant_attribute_users_cannot_write_and_the_four_roles_as_groups()
    {
        var schema = Template.Properties("UserPool")["Schema"]!.AsArray();
        var groups = Template.Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Cognito::UserPoolGroup")
            .Select(r => r.Value!["Properties"]!["GroupName"]!.GetValue<string>());
        var client = Template.Properties("UserPoolClient");

        Assert.Contains(schema, a => a!["Name"]!.GetValue<string>() == "tenant_id");
        Assert.Equal(["admin", "editor", "operator", "viewer"], groups.Order());
        // A password is proven by SRP (dms login --user) or typed into the hosted UI, never sent to the pool as such.
        Assert.Equal(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"], client["ExplicitAuthFlows"]!.AsArray().Select(f => f!.GetValue<string>()).Order());
        Assert.DoesNotContain("custom:tenant_id", client["WriteAttributes"]!.AsArray().Select(a => a!.GetValue<string>()));
        // dms login's browser sign-in comes back to the terminal at the address the CLI listens on.
        Assert.Contains(Dms.Contracts.CliSignIn.RedirectUri(), client["CallbackURLs"]!.AsArray().Select(u => u is JsonValue v ? v.GetValue<string>() : ""));
    }

    [Fact]
    public void The_user_pool_offers_two_factor_sign_in_and_blocks_breached_passwords_and_risky_sign_ins()
    {
        var pool = Template.Properties("UserPool");
        var risk = Template.Properties("UserPoolRiskConfiguration");
        var takeover = risk["AccountTakeoverRiskConfiguration"]!["Actions"]!;

        Assert.Equal("OPTIONAL", pool["MfaConfiguration"]!.GetValue<string>());
        Assert.Equal("ACTIVE", pool["DeletionProtection"]!.GetValue<string>());
        Assert.Equal(["SOFTWARE_TOKEN_MFA"], pool["EnabledMfas"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("PLUS", pool["UserPoolTier"]!.GetValue<string>());
        Assert.Equal("ENFORCED", pool["UserPoolAddOns"]!["AdvancedSecurityMode"]!.GetValue<string>());
        Assert.Equal("UserPool", risk["UserPoolId"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ALL", risk["ClientId"]!.GetValue<string>());
        Assert.Equal("BLOCK", risk["CompromisedCredentialsRiskConfiguration"]!["Actions"]!["EventAction"]!.GetValue<string>());
        Assert.Equal("MFA_IF_CONFIGURED", takeover["MediumAction"]!["EventAction"]!.GetValue<string>());
        Assert.Equal("MFA_REQUIRED", takeover["HighAction"]!["EventAction"]!.GetValue<string>());
    }

    /// <summary>
    /// Admins and operators must sign in with an authenticator app: the api is told the roles, and the pool's token
    /// trigger writes the claim the api reads, allowed to read the users of this pool alone.
    /// </summary>
    [Fact]
    public void Admins_and_operators_need_a_second_factor_which_the_pools_token_trigger_reports_in_the_claim_the_api_reads()
    {
        var environment = Template.Properties("ApiTaskDefinition")["ContainerDefinitions"]![0]!["Environment"]!.AsArray()
            .Where(e => e!["Name"]!.GetValue<string>().StartsWith("Dms__Identity__TwoFactorRoles__", StringComparison.Ordinal))
            .Select(e => e!["Value"]!.GetValue<string>());
        var code = Template.Properties("TwoFactorClaimFunction")["Code"]!["ZipFile"]!.GetValue<string>();
        var statement = Template.Properties("TwoFactorClaimPolicy")["PolicyDocument"]!["Statement"]!.AsArray().Single()!;

        Assert.Equal([Dms.Contracts.Roles.Admin, Dms.Contracts.Roles.Operator], environment);
        Assert.Equal("TwoFactorClaimFunction", Template.Properties("UserPool")["LambdaConfig"]!["PreTokenGeneration"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Contains($"{new Dms.Api.Identity.IdentityOptions().TwoFactorClaim}:", code);
        Assert.Equal("cognito-idp:AdminGetUser", statement["Action"]!.GetValue<string>());
        Assert.Equal("UserPool", statement["Resource"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("cognito-idp.amazonaws.com", Template.Properties("TwoFactorClaimPermission")["Principal"]!.GetValue<string>());
    }

    /// <summary>
    /// The trigger's code run by node, with AWS's Cognito client stood in for by one that knows two users: the one
    /// with an authenticator app gets "true", the other "false". What this cannot prove: Lambda and Cognito themselves.
    /// </summary>
    [Fact]
    public async Task The_token_trigger_says_true_for_a_user_with_an_authenticator_and_false_for_one_without()
    {
        var folder = Directory.CreateTempSubdirectory("dms-trigger-");
        try
        {
            var client = Path.Combine(folder.FullName, "node_modules", "@aws-sdk", "client-cognito-identity-provider");
            Directory.CreateDirectory(client);
            await File.WriteAllTextAsync(Path.Combine(client, "index.js"), """
                exports.AdminGetUserCommand = class { constructor(input) { this.input = input; } };
                exports.CognitoIdentityProviderClient = class {
                  async send(command) {
                    if (command.input.UserPoolId !== "eu-west-1_pool") throw new Error("another pool");
                    return command.input.Username === "with-app" ? { UserMFASettingList: ["SOFTWARE_TOKEN_MFA"] } : {};
                  }
                };
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "index.js"),
                Template.Properties("TwoFactorClaimFunction")["Code"]!["ZipFile"]!.GetValue<string>(), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "run.js"), """
                const { handler } = require("./index.js");
                (async () => {
                  for (const userName of ["with-app", "without"]) {
                    const event = await handler({ userPoolId: "eu-west-1_pool", userName, request: {}, response: {} });
                    console.log(userName + "=" + event.response.claimsOverrideDetails.claimsToAddOrOverride.dms_two_factor);
                  }
                })();
                """, TestContext.Current.CancellationToken);

            var run = await ProcessRunner.RunAsync("node", [Path.Combine(folder.FullName, "run.js")], timeout: TimeSpan.FromSeconds(30));

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("with-app=true", run.Output);
            Assert.Contains("without=false", run.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_api_runs_behind_the_load_balancer_checked_on_health_and_migrations_run_up()
    {
        var service = Template.Properties("ApiService");
        var migrations = Template.Properties("MigrationsTaskDefinition")["ContainerDefinitions"]![0]!;

        Assert.Equal("FARGATE", service["LaunchType"]!.GetValue<string>());
        Assert.Equal("ApiTargetGroup", service["LoadBalancers"]![0]!["TargetGroupArn"]!["Ref"]!.GetValue<string>());
        // Liveness: a dependency's blip must not take every api task out of service.
        Assert.Equal("/alive", Template.Properties("ApiTargetGroup")["HealthCheckPath"]!.GetValue<string>());
        Assert.Equal("FARGATE", Template.Properties("WorkerService")["LaunchType"]!.GetValue<string>());
        Assert.Equal(["up"], migrations["Command"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public void The_web_app_is_the_load_balancers_default_the_api_paths_go_to_the_api_and_it_finds_the_api_inside_the_vpc()
    {
        var rule = Template.Properties("ApiPathsRule");
        var web = Template.Properties("WebService");
        var api = Template.Properties("ApiService");

        Assert.Equal("WebTargetGroup", Template.Properties("HttpListener")["DefaultActions"]![0]!["TargetGroupArn"]!["Ref"]!.GetValue<string>());
        Assert.Equal("WebTargetGroup", Template.Properties("HttpsListener")["DefaultActions"]![0]!["TargetGroupArn"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ApiTargetGroup", rule["Actions"]![0]!["TargetGroupArn"]!["Ref"]!.GetValue<string>());
        Assert.Contains("/api/*", rule["Conditions"]![0]!["PathPatternConfig"]!["Values"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("api", api["ServiceConnectConfiguration"]!["Services"]![0]!["ClientAliases"]![0]!["DnsName"]!.GetValue<string>());
        Assert.Equal("true", web["ServiceConnectConfiguration"]!["Enabled"]!.ToString());
    }

    [Fact]
    public void Https_is_required_unless_a_trial_says_so_plain_http_redirects_to_it_and_only_tls_1_2_and_1_3_are_offered()
    {
        var certificate = Template.Parameters["CertificateArn"]!;
        var pattern = new Regex(certificate["AllowedPattern"]!.GetValue<string>());
        var redirect = Template.Resources["HttpRedirectListener"]!;
        var action = redirect["Properties"]!["DefaultActions"]!.AsArray().Single()!;

        // No default: whoever deploys names a certificate, or says in so many words that this is a plain-HTTP trial.
        Assert.Null(certificate["Default"]);
        Assert.DoesNotMatch(pattern, "");
        Assert.Matches(pattern, "plain-http-trial");
        Assert.Matches(pattern, "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100");
        Assert.Equal("UseHttps", redirect["Condition"]!.GetValue<string>());
        Assert.Equal("redirect", action["Type"]!.GetValue<string>());
        Assert.Equal("HTTPS", action["RedirectConfig"]!["Protocol"]!.GetValue<string>());
        Assert.Equal("HTTP_301", action["RedirectConfig"]!["StatusCode"]!.GetValue<string>());
        Assert.Equal("PlainHttpTrial", Template.Resources["HttpListener"]!["Condition"]!.GetValue<string>());
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", Template.Properties("HttpsListener")["SslPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void The_load_balancer_drops_invalid_headers_keeps_access_logs_and_is_protected_from_deletion_with_https()
    {
        var attributes = Template.Properties("LoadBalancer")["LoadBalancerAttributes"]!.AsArray()
            .ToDictionary(a => a!["Key"]!.GetValue<string>(), a => a!["Value"]!.ToJsonString());
        var policy = Template.Properties("AccessLogsBucketPolicy")["PolicyDocument"]!["Statement"]!.AsArray();
        var regions = Template.Conditions.Where(c => c.Key.StartsWith("ElbLogAccountRegion", StringComparison.Ordinal) && c.Key.Length > "ElbLogAccountRegion".Length)
            .SelectMany(c => c.Value!["Fn::Or"]!.AsArray().Select(e => e!["Fn::Equals"]![1]!.GetValue<string>()))
            .Order();

        Assert.Equal("\"true\"", attributes["routing.http.drop_invalid_header_fields.enabled"]);
        Assert.Equal("\"true\"", attributes["access_logs.s3.enabled"]);
        Assert.Equal("{\"Ref\":\"AccessLogsBucket\"}", attributes["access_logs.s3.bucket"]);
        Assert.Equal("{\"Fn::If\":[\"UseHttps\",\"true\",\"false\"]}", attributes["deletion_protection.enabled"]);
        Assert.Equal("AES256", Template.Properties("AccessLogsBucket")["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
        Assert.Contains(policy, statement => statement!["Principal"]!["Service"]?["Fn::If"]?[2]?.GetValue<string>() == "logdelivery.elasticloadbalancing.amazonaws.com");
        // Every region the condition names has its load balancer account, and no account is left without its region.
        Assert.Equal(Template.Mappings["ElbLogAccounts"]!.AsObject().Select(r => r.Key).Order(), regions);
    }

    [Fact]
    public void Waf_guards_the_load_balancer_with_aws_managed_rules_and_a_rate_limit_on_sign_in()
    {
        var acl = Template.Properties("WebAcl");
        var rules = acl["Rules"]!.AsArray();
        var managed = rules.Select(r => r!["Statement"]!["ManagedRuleGroupStatement"]?["Name"]?.GetValue<string>()).OfType<string>();
        var rate = rules.Single(r => r!["Statement"]!["RateBasedStatement"] is not null)!;
        var association = Template.Properties("WebAclAssociation");

        Assert.Equal("REGIONAL", acl["Scope"]!.GetValue<string>());
        Assert.Equal(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"], managed.Order());
        Assert.NotNull(rate["Action"]!["Block"]);
        Assert.Equal("/signin", rate["Statement"]!["RateBasedStatement"]!["ScopeDownStatement"]!["ByteMatchStatement"]!["SearchString"]!.GetValue<string>());
        Assert.Equal("LoadBalancer", association["ResourceArn"]!["Ref"]!.GetValue<string>());
        Assert.Equal("WebAcl", association["WebACLArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
    }

    [Fact]
    public void The_api_reference_is_published_only_when_asked()
    {
        var api = Template.Properties("ApiTaskDefinition")["ContainerDefinitions"]![0]!["Environment"]!.AsArray();
        var paths = Template.Properties("ApiPathsRule")["Conditions"]![0]!["PathPatternConfig"]!["Values"]!.AsArray().Select(v => v!.GetValue<string>());

        Assert.Equal("off", Template.Parameters["ApiReference"]!["Default"]!.GetValue<string>());
        Assert.DoesNotContain(paths, p => p.StartsWith("/scalar", StringComparison.Ordinal) || p.StartsWith("/openapi", StringComparison.Ordinal));
        Assert.Equal("PublishApiReference", Template.Resources["ApiReferenceRule"]!["Condition"]!.GetValue<string>());
        Assert.Equal("{\"Fn::If\":[\"PublishApiReference\",\"true\",\"false\"]}",
            api.Single(e => e!["Name"]!.GetValue<string>() == "Dms__ApiReference__Enabled")!["Value"]!.ToJsonString());
    }

    /// <summary>The runbook's five key metrics at their "Alert At", and what pages someone when the system is down.</summary>
    [Theory]
    [InlineData("ApiLatencyAlarm", "GreaterThanThreshold", "1")]
    [InlineData("ApiErrorRateAlarm", "GreaterThanThreshold", "5")]
    [InlineData("UploadSuccessAlarm", "LessThanThreshold", "95")]
    [InlineData("ProcessingSuccessAlarm", "LessThanThreshold", "90")]
    [InlineData("DeadLetterAlarm", "GreaterThanThreshold", "0")]
    [InlineData("DatabaseCpuAlarm", "GreaterThanThreshold", "80")]
    [InlineData("ApiHealthyHostsAlarm", "LessThanThreshold", "1")]
    [InlineData("WebHealthyHostsAlarm", "LessThanThreshold", "1")]
    [InlineData("OldestJobAlarm", "GreaterThanThreshold", "900")]
    [InlineData("WorkerRunningAlarm", "LessThanThreshold", "1")]
    [InlineData("DatabaseCapacityAlarm", "GreaterThanOrEqualToThreshold", "95")]
    public void Each_runbook_alert_is_an_alarm_at_its_threshold(string alarm, string comparison, string threshold)
    {
        var properties = Template.Properties(alarm);

        Assert.Equal(threshold, properties["Threshold"]!.GetValue<string>());
        Assert.Equal(comparison, properties["ComparisonOperator"]!.GetValue<string>());
        Assert.Equal("AlarmTopic", properties["AlarmActions"]![0]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void The_api_alarms_watch_the_api_target_group_and_count_the_load_balancers_own_5xx()
    {
        var latency = Template.Properties("ApiLatencyAlarm");
        var errors = Template.Properties("ApiErrorRateAlarm")["Metrics"]!.AsArray();
        string? Group(JsonNode? dimensions) => dimensions?.AsArray().SingleOrDefault(d => d!["Name"]!.GetValue<string>() == "TargetGroup")?["Value"]?["Fn::GetAtt"]?[0]?.GetValue<string>();
        var byName = errors.Where(m => m!["MetricStat"] is not null)
            .ToDictionary(m => m!["MetricStat"]!["Metric"]!["MetricName"]!.GetValue<string>(), m => m!["MetricStat"]!["Metric"]!["Dimensions"]);
        var expression = errors.Single(m => m!["ReturnData"]?.GetValue<string>() == "true")!["Expression"]!.GetValue<string>();

        Assert.Equal("ApiTargetGroup", Group(latency["Dimensions"]));
        Assert.Equal("ApiTargetGroup", Group(byName["HTTPCode_Target_5XX_Count"]));
        Assert.Equal("ApiTargetGroup", Group(byName["RequestCount"]));
        Assert.True(byName.ContainsKey("HTTPCode_ELB_5XX_Count"), "An outage answered by the load balancer itself (503) would page no one.");
        Assert.Contains("balancerErrors", expression);
        Assert.Equal("breaching", Template.Properties("ApiHealthyHostsAlarm")["TreatMissingData"]!.GetValue<string>());
        Assert.Equal("ApiTargetGroup", Group(Template.Properties("ApiHealthyHostsAlarm")["Dimensions"]));
        Assert.Equal("WebTargetGroup", Group(Template.Properties("WebHealthyHostsAlarm")["Dimensions"]));
    }

    /// <summary>
    /// The success alarms and the worker's scaling read the app's own meters in CloudWatch, which only the collector
    /// beside the api and the worker writes there: each metric and outcome they name is one the code emits and the
    /// collector exports. What this cannot prove: that the collector's image runs this configuration in AWS.
    /// </summary>
    [Fact]
    public void The_app_metrics_the_alarms_and_scaling_read_are_ones_the_code_emits_and_the_collector_exports()
    {
        var sources = string.Join("\n", SourcesOf("Dms.Core", "Dms.Worker", "Dms.Api"));
        var read = Template.Walk()
            .Where(n => n.Node is JsonObject o && o["Namespace"]?.ToString() == "Dms")
            .Select(n => (Metric: n.Node!["MetricName"]!.GetValue<string>(), Dimensions: n.Node["Dimensions"]!.AsArray()
                .Select(d => (Name: d!["Name"]!.GetValue<string>(), Value: d["Value"]!.GetValue<string>())).ToList()))
            .ToList();
        var outcomes = new HashSet<string>(Enum.GetValues<Dms.Processing.ProcessingOutcome>().Select(Dms.Common.SnakeCaseNames<Dms.Processing.ProcessingOutcome>.ToName))
        {
            Dms.Operations.OperationEvents.UploadOutcomes.Completed, Dms.Operations.OperationEvents.UploadOutcomes.Failed, Dms.Operations.OperationEvents.UploadOutcomes.Expired,
        };

        Assert.Equal(["dms.processing.completed", "dms.queue.depth", "dms.uploads"], read.Select(r => r.Metric).Distinct().Order());
        foreach (var (metric, dimensions) in read)
        {
            Assert.Contains($"\"{metric}\"", sources);
            Assert.All(dimensions.Where(d => d.Name == "outcome"), d => Assert.Contains(d.Value, outcomes));
            Assert.All(dimensions.Where(d => d.Name == "queue"), d => Assert.Contains($"new(\"queue\", \"{d.Value}\")", sources));
            foreach (var task in new[] { "ApiTaskDefinition", "WorkerTaskDefinition" })
            {
                var config = Collector(task)["Environment"]!.AsArray().Single(e => e!["Name"]!.GetValue<string>() == "AOT_CONFIG_CONTENT")!["Value"]!["Fn::Sub"]!.GetValue<string>();
                Assert.Contains($"\"^{metric.Replace(".", "[.]", StringComparison.Ordinal)}$\"", config);
                Assert.Contains("dimensions: [[" + string.Join(", ", dimensions.Select(d => d.Name)) + "]]", config);
            }
        }
    }

    [Fact]
    public void The_api_and_worker_send_their_metrics_to_the_collector_beside_them_which_may_write_only_its_log_group()
    {
        foreach (var (task, container) in new[] { ("ApiTaskDefinition", "api"), ("WorkerTaskDefinition", "worker") })
        {
            var app = Template.Properties(task)["ContainerDefinitions"]!.AsArray().Single(c => c!["Name"]!.GetValue<string>() == container)!;
            var environment = app["Environment"]!.AsArray().ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.ToString());

            Assert.Equal("http://127.0.0.1:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("none", environment["OTEL_LOGS_EXPORTER"]);
            Assert.Equal("false", Collector(task)["Essential"]!.ToString());
        }

        var policy = Template.Properties("CollectorPolicy");
        var statement = policy["PolicyDocument"]!["Statement"]!.AsArray().Single()!;
        Assert.Equal(["ApiTaskRole", "WorkerTaskRole"], policy["Roles"]!.AsArray().Select(r => r!["Ref"]!.GetValue<string>()));
        Assert.All(Listed(statement["Action"]!), action => Assert.StartsWith("logs:", action, StringComparison.Ordinal));
        Assert.Equal("MetricsLogGroup", statement["Resource"]!["Fn::GetAtt"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Workers_scale_on_the_backlog_per_worker_task_and_the_api_on_cpu_and_requests()
    {
        var worker = Template.Properties("WorkerScalingPolicy")["TargetTrackingScalingPolicyConfiguration"]!;
        var metrics = worker["CustomizedMetricSpecification"]!["Metrics"]!.AsArray();
        var api = Template.Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::ApplicationAutoScaling::ScalingPolicy"
                && r.Value["Properties"]!["ScalingTargetId"]!["Ref"]!.GetValue<string>() == "ApiScalingTarget")
            .Select(r => r.Value!["Properties"]!["TargetTrackingScalingPolicyConfiguration"]!["PredefinedMetricSpecification"]!["PredefinedMetricType"]!.GetValue<string>());

        Assert.Equal("20", worker["TargetValue"]!.ToString());
        Assert.Equal("dms.queue.depth", metrics.Single(m => m!["Id"]!.GetValue<string>() == "backlog")!["MetricStat"]!["Metric"]!["MetricName"]!.GetValue<string>());
        Assert.Equal("RunningTaskCount", metrics.Single(m => m!["Id"]!.GetValue<string>() == "workers")!["MetricStat"]!["Metric"]!["MetricName"]!.GetValue<string>());
        Assert.Contains("backlog / workers", metrics.Single(m => m!["ReturnData"]?.ToString() == "true")!["Expression"]!.GetValue<string>());
        Assert.Equal(["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"], api.Order());
    }

    private static JsonNode Collector(string taskDefinition) =>
        Template.Properties(taskDefinition)["ContainerDefinitions"]!.AsArray().Single(c => c!["Name"]!.GetValue<string>() == "collector")!;

    [Fact]
    public void The_dashboard_is_named_for_the_environment_and_holds_the_runbooks_widgets()
    {
        var dashboard = Template.Properties("MonitoringDashboard");
        var body = dashboard["DashboardBody"]!["Fn::Sub"]![0]!.GetValue<string>();
        var widgets = JsonNode.Parse(SubVariable().Replace(body, "x"))!["widgets"]!.AsArray().Select(w => w!["properties"]!["title"]!.GetValue<string>()).ToList();

        Assert.Equal("dms-monitoring-${EnvironmentName}", dashboard["DashboardName"]!["Fn::Sub"]!.GetValue<string>());
        Assert.Contains("API requests and error rate", widgets);
        Assert.Contains("Processing queue depth and dead letters", widgets);
        Assert.Contains("Database connections, CPU and capacity", widgets);
        Assert.Contains("Storage usage (bytes, daily)", widgets);
    }

    [Theory]
    [InlineData("ApiTaskDefinition", "api")]
    [InlineData("WorkerTaskDefinition", "worker")]
    [InlineData("MigrationsTaskDefinition", "migrations")]
    [InlineData("WebTaskDefinition", "web")]
    public void Every_setting_a_task_is_given_is_one_its_code_reads(string taskDefinition, string container)
    {
        var definition = Template.Properties(taskDefinition)["ContainerDefinitions"]!.AsArray().Single(c => c!["Name"]!.GetValue<string>() == container)!;
        var names = new[] { "Environment", "Secrets" }
            .SelectMany(list => definition[list] switch
            {
                JsonArray entries => entries,
                JsonObject { } conditional when conditional["Fn::If"] is JsonArray choice => choice[1]!.AsArray(),
                _ => [],
            })
            .Select(entry => entry!["Name"]!.GetValue<string>().Replace("__", ":", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(IsRead(name), $"{container} is given {name}, which nothing in the code reads."));
    }

    /// <summary>A setting bound to an options class (<c>Dms:Storage:S3:Bucket</c>), or a key the code names whole.</summary>
    private static bool IsRead(string key)
    {
        if (key is "ConnectionStrings:dms" or "PGPASSWORD" or "Logging:Console:FormatterName" or "ASPNETCORE_FORWARDEDHEADERS_ENABLED")
        {
            // The connection string every process reads; Npgsql's password variable; the console formatter; ASP.NET
            // Core's switch for the forwarded headers of a proxy (the load balancer's TLS).
            return true;
        }

        var parts = key.Split(':');
        if (parts.Length < 2)
        {
            // An environment variable the code names whole (OpenTelemetry's OTEL_EXPORTER_OTLP_ENDPOINT, ...).
            return NamedWhole(key);
        }

        // A list's entries (Dms:Web:UploadOrigins:0) are read as the list.
        if (parts.Length > 2 && int.TryParse(parts[^1], System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            parts = parts[..^1];
        }

        var options = new[] { typeof(Dms.Persistence.DatabasePasswordOptions).Assembly, typeof(Dms.Storage.StorageOptions).Assembly, typeof(Dms.Api.Identity.IdentityOptions).Assembly, typeof(Dms.Worker.Scanning.ScannerOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .FirstOrDefault(type => type.GetField("Section")?.GetRawConstantValue() as string == $"{parts[0]}:{parts[1]}");
        var type = options;
        foreach (var part in parts.Skip(2))
        {
            type = type?.GetProperty(part, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
        }

        // The web app's options classes (its assembly is not referenced here): a file that names the section and
        // declares the property.
        var inWebOptions = parts.Length == 3 && SourcesOf("Dms.Web").Any(source =>
            source.Contains($"Section = \"{parts[0]}:{parts[1]}\"", StringComparison.Ordinal) && source.Contains($" {parts[2]} {{ get; set; }}", StringComparison.Ordinal));
        return type is not null || inWebOptions || NamedWhole(key);
    }

    private static bool NamedWhole(string key) =>
        SourcesOf("Dms.Migrations", "Dms.Web", "Dms.ServiceDefaults").Any(source => source.Contains($"\"{key}\"", StringComparison.Ordinal));

    private static IEnumerable<string> SourcesOf(params string[] projects) =>
        projects
            .SelectMany(project => Directory.EnumerateFiles(CloudFormationTemplate.PathOf(project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    [Fact]
    public async Task The_template_passes_cfn_lint()
    {
        // cfn-lint checks conditional resources too: the HTTPS listener is given a certificate to check against.
        var lint = await ProcessRunner.RunAsync("node",
            [CloudFormationTemplate.PathOf("tools", "cfn-lint", "lint.cjs"), TemplatePath, "CertificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"],
            timeout: TimeSpan.FromMinutes(1));

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Contains("0 critical", lint.Output);
    }

    private static bool IsParameterOrResource(string name) =>
        Template.Parameters.ContainsKey(name) || Template.Resources.ContainsKey(name) || PseudoParameters.Contains(name);

    private static IEnumerable<string> SubVariables(string text) =>
        SubVariable().Matches(text).Select(m => m.Groups[1].Value).Where(v => !v.StartsWith('!'));

    /// <summary>What a role's inline policies allow: one row per action and resource.</summary>
    private static List<(string Action, string Resource)> Grants(string role) =>
        [.. Template.Properties(role)["Policies"]!.AsArray()
            .SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray())
            .Where(s => s!["Effect"]!.GetValue<string>() == "Allow")
            .SelectMany(s => Listed(s!["Action"]!).SelectMany(action => Listed(s["Resource"]!).Select(resource => (action, resource))))];

    private static IEnumerable<string> Listed(JsonNode node) =>
        node is JsonArray list ? list.Select(n => n is JsonValue v ? v.GetValue<string>() : n!.ToJsonString()) : [node is JsonValue one ? one.GetValue<string>() : node.ToJsonString()];

    /// <summary>
    /// The IAM actions behind every AWS call in the api's and worker's code: the S3 and SQS clients' methods, the
    /// pre-signed URLs' verbs, and the JSON API calls made without a client. A call missing here fails the test, so a
    /// new call cannot reach AWS without the roles granting it.
    /// </summary>
    private static HashSet<string> ActionsTheCodeCalls()
    {
        var methods = new Dictionary<string, string>
        {
            ["InitiateMultipartUpload"] = "s3:PutObject",
            ["CompleteMultipartUpload"] = "s3:PutObject",
            ["AbortMultipartUpload"] = "s3:AbortMultipartUpload",
            ["GetObjectMetadata"] = "s3:GetObject",
            // The worker's preview images, beside the version.
            ["PutObject"] = "s3:PutObject",
            // Of the very version complete recorded.
            ["GetObject"] = "s3:GetObject s3:GetObjectVersion",
            ["GetPreSignedURL"] = "", // its verb names the action
            // A held document's versions (StorageHolds).
            ["PutObjectLegalHold"] = "s3:PutObjectLegalHold",
            ["ListObjectsV2"] = "s3:ListBucket",
            ["ListVersions"] = "s3:ListBucketVersions",
            // Current objects, then every version and delete marker.
            ["DeleteObjects"] = "s3:DeleteObject s3:DeleteObjectVersion",
            ["ReceiveMessage"] = "sqs:ReceiveMessage",
            ["DeleteMessage"] = "sqs:DeleteMessage",
            ["ChangeMessageVisibility"] = "sqs:ChangeMessageVisibility",
            ["GetQueueAttributes"] = "sqs:GetQueueAttributes",
            ["SendMessage"] = "sqs:SendMessage",
            ["SendMessageBatch"] = "sqs:SendMessage",
        };
        var sources = SourcesOf("Dms.Platform", "Dms.Core", "Dms.Adapters", "Dms.Api", "Dms.Worker").ToList();
        var actions = new HashSet<string>();
        foreach (Match call in sources.SelectMany(s => ClientCall().Matches(s)))
        {
            var method = call.Groups[2].Value;
            Assert.True(methods.TryGetValue(method, out var action), $"The code calls {call.Value}: name its IAM action here and grant it in the template.");
            actions.UnionWith(action.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        foreach (Match verb in sources.SelectMany(s => PresignVerb().Matches(s)))
        {
            actions.UnionWith(verb.Groups[1].Value == "PUT" ? ["s3:PutObject"] : ["s3:GetObject", "s3:GetObjectVersion"]);
        }

        foreach (Match target in sources.SelectMany(s => JsonApiTarget().Matches(s)))
        {
            actions.Add($"secretsmanager:{target.Groups[1].Value}");
        }

        foreach (Match admin in sources.SelectMany(s => CognitoAdminCall().Matches(s)))
        {
            actions.Add($"cognito-idp:{admin.Groups[1].Value}");
        }

        return actions;
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubVariable();

    [GeneratedRegex(@"\b(s3|sqs)\.(\w+?)Async\(")]
    private static partial Regex ClientCall();

    [GeneratedRegex(@"HttpVerb\.(PUT|GET)")]
    private static partial Regex PresignVerb();

    [GeneratedRegex(@"""secretsmanager\.(\w+)""")]
    private static partial Regex JsonApiTarget();

    // The Cognito adapter's calls: CallAsync("AdminCreateUser", …), CallAsync("ListUsersInGroup", …).
    [GeneratedRegex(@"CallAsync\(""((?:Admin|List)\w+)""")]
    private static partial Regex CognitoAdminCall();
}
