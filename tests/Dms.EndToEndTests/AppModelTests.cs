using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.EndToEndTests;

/// <summary>The app model starts whole on each profile: migrations, api, worker, scanner and identity.</summary>
public abstract class AppModelTests(RunningAppModel running)
{
    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrations_run_to_completion_with_exit_code_zero()
    {
        var finished = await running.Model.WaitForStateAsync("migrations", KnownResourceStates.Finished, Cancellation);

        Assert.Equal(0, finished.Snapshot.ExitCode);
    }

    [Fact]
    public async Task Api_is_healthy_and_reads_the_migrated_schema_from_postgres()
    {
        using var api = await running.Model.SignInAsync("operator", Cancellation);

        // Healthy, as the orchestrator saw it before the tests began; a check that ran out of its time on cores the
        // test suites share reports 503 for that moment, so the report is asked for again, for up to a minute.
        using var health = await HealthyAsync(api);
        var info = await api.GetFromJsonAsync<JsonElement>("/api/v1/admin/info", Cancellation);

        Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("Healthy", (await health.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("status").GetString());
        Assert.Matches(@"^\d{14}_\w+$", info.GetProperty("schemaVersion").GetString());
    }

    private async Task<HttpResponseMessage> HealthyAsync(HttpClient api)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(1); ; await Task.Delay(1_000, Cancellation))
        {
            var answer = await api.GetAsync("/health", Cancellation);
            if (answer.IsSuccessStatusCode || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            answer.Dispose();
        }
    }

    [Fact]
    public async Task Worker_reads_the_queue_and_reaches_the_scanner()
    {
        await running.Model.App.ResourceNotifications.WaitForResourceHealthyAsync("worker", Cancellation);
        using var worker = running.Model.App.CreateHttpClient("worker");

        var health = await worker.GetFromJsonAsync<JsonElement>("/health", Cancellation);

        var loop = health.GetProperty("entries").GetProperty("processing-loop");
        var scanner = health.GetProperty("entries").GetProperty("scanner");
        Assert.Equal("Healthy", loop.GetProperty("status").GetString());
        Assert.Contains("jobs waiting", loop.GetProperty("description").GetString());
        Assert.Equal("Healthy", scanner.GetProperty("status").GetString());
        Assert.Equal("clamd answers PING.", scanner.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_demo_user_signs_in_at_the_local_identity_provider_and_reads_its_tenant()
    {
        using var api = await running.Model.SignInAsync("viewer", Cancellation);

        var tenant = await api.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Cancellation);

        Assert.Equal("Demo", tenant.GetProperty("tenant").GetProperty("name").GetString());
    }

    /// <summary>
    /// Tokens signed by any key but this installation's are refused: here an operator's, minted from a viewer's and
    /// signed with the key cognito-local's npm package ships for anyone to read (the stand-in the system ran before it
    /// had a provider of its own). The provider's keys are made at its first start and kept owner-only.
    /// </summary>
    [Fact]
    public async Task A_token_signed_with_a_published_key_is_refused_and_the_installations_keys_are_owner_only()
    {
        using var viewer = await running.Model.SignInAsync("viewer", Cancellation);
        var parts = viewer.DefaultRequestHeaders.Authorization!.Parameter!.Split('.');
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        claims["cognito:groups"] = new JsonArray("operator");
        var published = JsonNode.Parse(await File.ReadAllTextAsync(
            Path.Combine(Fauxqs.RepositoryRoot(), "tools", "cognito-local", "node_modules", "cognito-local", "lib", "keys", "cognitoLocal.private.json"), Cancellation))!;
        using var rsa = RSA.Create();
        rsa.ImportFromPem(published["pem"]!.GetValue<string>());
        var unsigned = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var forged = $"{unsigned}.{Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
        using var api = running.Model.App.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new("Bearer", forged);

        using var refused = await api.GetAsync("/api/v1/admin/tenants", Cancellation);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        var keys = new DirectoryInfo(Path.Combine(running.Model.StateDirectory, "identity", "keys"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, keys.UnixFileMode);
        Assert.NotEmpty(keys.GetFiles("signing-*.key"));
        Assert.All(keys.GetFiles(), key => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, key.UnixFileMode));
    }

    [Fact]
    public async Task Postgres_runs_as_an_executable_resource_not_a_container()
    {
        var model = running.Model.App.Services.GetRequiredService<DistributedApplicationModel>();

        Assert.IsAssignableFrom<ExecutableResource>(model.Resources.Single(r => r.Name == "postgres"));
        Assert.DoesNotContain(model.Resources, r => r.Annotations.OfType<ContainerImageAnnotation>().Any());
    }
}

[Collection(EmbeddedAppModelCollection.Name)]
public sealed class EmbeddedAppModelTests(RunningEmbeddedAppModel running) : AppModelTests(running);

[Collection(LocalAwsAppModelCollection.Name)]
public sealed class LocalAwsAppModelTests(RunningLocalAwsAppModel running) : AppModelTests(running);
