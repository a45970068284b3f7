using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dms.EndToEndTests;

/// <summary>
/// The Aws profile's app model, built but not started (its services are AWS's, out of reach here): it runs no local
/// infrastructure and hands api and worker the stack's outputs as the settings the ECS tasks get.
/// </summary>
public sealed class AwsProfileTests
{
    private static readonly string[] StackSettings =
    [
        "--Dms:Profile=Aws",
        "--ConnectionStrings:dms=Host=dms.cluster-x.eu-west-1.rds.amazonaws.com;Database=dms;Username=dms_owner;Password=owner;SSL Mode=Require",
        "--ConnectionStrings:dms-app=Host=dms.cluster-x.eu-west-1.rds.amazonaws.com;Database=dms;Username=dms_app;SSL Mode=Require",
        "--ConnectionStrings:dms-web=Host=dms.cluster-x.eu-west-1.rds.amazonaws.com;Database=dms;Username=dms_web;Password=web;SSL Mode=Require",
        "--Dms:Database:PasswordSecretId=arn:aws:secretsmanager:eu-west-1:123456789012:secret:dms/prod/database/dms_app-AbCdEf",
        "--Dms:Storage:Provider=S3",
        "--Dms:Storage:S3:Bucket=dms-documents-prod-123456789012-eu-west-1",
        "--Dms:Queue:Provider=Sqs",
        "--Dms:Queue:Sqs:QueueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/dms-processing-prod",
        "--Dms:Queue:Sqs:DeadLetterQueueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/dms-processing-dlq-prod",
        "--Dms:Search:Provider=Elasticsearch",
        "--Dms:Search:Elasticsearch:Url=https://dms.es.eu-west-1.aws.elastic-cloud.com",
        "--Dms:Identity:Authority=https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI",
        "--Dms:Identity:Audience=1example23456789",
        "--Dms:Scanner:Provider=Clamd",
        "--Dms:Scanner:Host=clamd.internal",
    ];

    [Fact]
    public async Task Runs_no_local_infrastructure_and_hands_api_and_worker_the_stacks_settings()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var state = Path.Combine(Path.GetTempPath(), $"dms-aws-profile-{Guid.NewGuid():N}");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Dms_AppHost>([.. StackSettings, $"--Dms:StateDirectory={state}"], cancellation);
        await using var app = await builder.BuildAsync(cancellation);
        var made = Directory.Exists(state) ? Directory.GetFileSystemEntries(state).Select(Path.GetFileName).ToList() : [];
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        var projects = model.Resources.OfType<ProjectResource>().Select(r => r.Name).Order();
        var api = await EnvironmentOf(app, model, "api");
        var worker = await EnvironmentOf(app, model, "worker");

        Assert.Equal(["api", "migrations", "web", "worker"], projects);
        // The web app signs people in at the pool whose tokens the api trusts.
        var web = await EnvironmentOf(app, model, "web");
        Assert.Equal(api["Dms__Identity__Authority"], web["Dms__Identity__Authority"]);
        Assert.Equal(api["Dms__Identity__Audience"], web["Dms__Identity__Audience"]);
        // Its sessions, as the role that reaches nothing else.
        Assert.Contains("Username=dms_web", web["ConnectionStrings__dms"]);
        // The local dashboard's sign-in token, its worker commands' key and the local web app's cookie keys: no
        // database, blobs or pool.
        Assert.Equal(["dashboard-token", "web-keys", "worker-command-key"], made.Order());
        Assert.DoesNotContain(model.Resources, r => r.Name is "postgres" or "fauxqs" or "identity" or "scanner" or "storage-signing-key");
        foreach (var settings in new[] { api, worker })
        {
            Assert.Equal("S3", settings["Dms__Storage__Provider"]);
            Assert.Equal("dms-documents-prod-123456789012-eu-west-1", settings["Dms__Storage__S3__Bucket"]);
            Assert.Equal("Sqs", settings["Dms__Queue__Provider"]);
            Assert.Equal("https://sqs.eu-west-1.amazonaws.com/123456789012/dms-processing-dlq-prod", settings["Dms__Queue__Sqs__DeadLetterQueueUrl"]);
            Assert.Equal("https://dms.es.eu-west-1.aws.elastic-cloud.com", settings["Dms__Search__Elasticsearch__Url"]);
            Assert.StartsWith("arn:aws:secretsmanager:eu-west-1:", settings["Dms__Database__PasswordSecretId"]);
            Assert.Contains("Username=dms_app", settings["ConnectionStrings__dms"]);
            Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", settings.Keys); // credentials come from the SDK's chain
        }

        Assert.Equal("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI", api["Dms__Identity__Authority"]);
        Assert.Equal("clamd.internal", worker["Dms__Scanner__Host"]);
    }

    private static async Task<Dictionary<string, string>> EnvironmentOf(DistributedApplication app, DistributedApplicationModel model, string name)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(model.Resources.Single(r => r.Name == name))
            .WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, TestContext.Current.CancellationToken);
        return configuration.EnvironmentVariables.ToDictionary(v => v.Key, v => v.Value);
    }
}
