using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dms.Api.Problems;
using Dms.IntegrationTests.Fixtures;
using Dms.Tenants;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dms.IntegrationTests.Api;

/// <summary>
/// A database that stops answering (a hung host, a storage freeze) is an answer within the deadline, never a hang,
/// and nothing is half-written. A server of its own: it is paused.
/// </summary>
public sealed class DatabaseStallTests(TemporaryPostgres postgres) : IClassFixture<TemporaryPostgres>
{
    private static readonly TimeSpan LongestStall = TimeSpan.FromSeconds(40);

    /// <summary>Past the worker's connection timeout (15 s) and command timeout (30 s), Npgsql's defaults.</summary>
    private static readonly TimeSpan WorkerStall = TimeSpan.FromSeconds(35);
    private static readonly object Body = new { fileName = "during-stall.pdf", contentType = "application/pdf", sizeBytes = 4321 };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_to_a_stalled_database_are_answered_503_while_it_is_stalled_and_succeed_again_when_it_resumes()
    {
        await using var scenario = await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string> { ["Dms:Database:Deadline"] = "00:00:05" });
        using var editorA = scenario.EditorA;
        using var editorB = scenario.EditorB;
        // Connections in the pool, as in a running system.
        Assert.Equal(HttpStatusCode.OK, (await editorA.GetAsync("/api/v1/documents", Cancellation)).StatusCode);

        var key = Guid.NewGuid().ToString();
        HttpResponseMessage[] answers;
        var paused = await postgres.PauseAsync();
        var stalled = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var requests = Task.WhenAll(
                editorA.GetAsync("/api/v1/documents", Cancellation),
                editorB.GetAsync("/api/v1/documents", Cancellation),
                editorA.PostAsJsonAsync("/api/v1/documents", Body, Cancellation),
                CreateWithKeyAsync(editorA, key),
                editorB.GetAsync("/api/v1/search?q=report", Cancellation),
                editorA.GetAsync("/api/v1/tenant", Cancellation));
            // Every answer must come while the database is still stalled: a request that waits for it to resume hangs.
            var first = await Task.WhenAny(requests, Task.Delay(LongestStall, Cancellation));
            Assert.True(first == requests, $"Requests were still waiting after the database had been stalled for {LongestStall.TotalSeconds} s.");
            answers = await requests;
            TestContext.Current.TestOutputHelper?.WriteLine($"Every request answered {stalled.Elapsed.TotalSeconds:0.0} s into the stall (deadline 5 s).");
        }
        finally
        {
            await paused.DisposeAsync();
        }

        // The database's own timeouts answer first (a fifth of the deadline to open, the rest less a second to run),
        // so the promise is the database's problem, not the deadline's backstop.
        foreach (var answer in answers)
        {
            var problem = await ApiTests.AssertProblemAsync(answer, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(ProblemTypes.DatabaseUnavailable, problem.GetProperty("type").GetString());
            Assert.Equal(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
        }

        // Resumed: requests succeed again, and the create that was refused left no document and no reserved bytes.
        await AssertEventuallyOkAsync(editorA, "/api/v1/documents");
        var listed = await editorA.GetFromJsonAsync<JsonElement>("/api/v1/documents", Cancellation);
        Assert.Equal(0, listed.GetProperty("documents").GetArrayLength());
        var tenant = await editorA.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Cancellation);
        Assert.Equal(0, tenant.GetProperty("usage").GetProperty("usedBytes").GetInt64());
        // The key of the refused idempotent create was not kept: its retry acts.
        using var retried = await CreateWithKeyAsync(editorA, key);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    /// <summary>
    /// The worker meets a database stalled for longer than its connection and command timeouts while it holds jobs:
    /// it backs off, and when the database resumes it finishes what it held and takes what comes after. No document is
    /// left stuck or half-processed, and the worker process stays up. The scanner is down until the stall ends, so
    /// the worker is in the middle of its jobs (retrying their scans) when the stall begins.
    /// </summary>
    [Fact]
    public async Task The_worker_finishes_its_documents_once_a_stalled_database_resumes()
    {
        await using var scenario = await ApiScenario.StartAsync(postgres);
        await using var clamd = new TemporaryClamd();
        await using var worker = WorkerProcess.Start(scenario, postgres.AppConnectionString(scenario.OwnerConnection), clamd.Port, new Dictionary<string, string>
        {
            ["Dms:Processing:MaxAttempts"] = "20",
            ["Dms:Processing:RetryBaseDelay"] = "00:00:01",
            ["Dms:Processing:RetryMaxDelay"] = "00:00:05",
        });
        await worker.ReadingTheQueueAsync(TimeSpan.FromMinutes(2));
        var documents = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            documents.Add(await PipelineDocuments.UploadAsync(scenario, scenario.EditorA, Encoding.UTF8.GetBytes($"Queued before the stall, number {i}"), $"before-{i}.txt", "text/plain"));
        }

        foreach (var id in documents)
        {
            await PipelineDocuments.WaitForStatusAsync(scenario.EditorA, id, ["scanning"], TimeSpan.FromSeconds(30), () => worker.Log);
        }

        Assert.Equal(3L, await Sql.ScalarAsync(Sql.CrossTenant(scenario.OwnerConnection), "SELECT count(*) FROM processing_jobs WHERE lease_token IS NOT NULL"));
        await using (await postgres.PauseAsync())
        {
            await Task.Delay(WorkerStall, Cancellation);
        }

        await clamd.StartAsync();

        documents.Add(await PipelineDocuments.UploadAsync(scenario, scenario.EditorA, Encoding.UTF8.GetBytes("Queued after the stall"), "after.txt", "text/plain"));
        foreach (var id in documents)
        {
            var document = await PipelineDocuments.WaitForEndStateAsync(scenario.EditorA, id, TimeSpan.FromMinutes(2), () => worker.Log);
            Assert.Equal("ready", document.Status);
            Assert.Contains("the stall", await PipelineDocuments.TextAsync(scenario.EditorA, id));
        }

        Assert.False(worker.HasExited, worker.Log);
    }

    /// <summary>
    /// The rate limiter reads each caller's plan before anything else runs: a plan read a minute ago is answered
    /// at once while the database is stalled (and read again in the background), never a wait on the database.
    /// </summary>
    [Fact]
    public async Task A_known_plan_is_answered_while_the_database_is_stalled_even_when_it_is_due_to_be_read_again()
    {
        await using var scenario = await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string> { ["Dms:Database:Deadline"] = "00:00:05" });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var plans = new TenantPlans(scenario.Api.Services.GetRequiredService<IServiceScopeFactory>(), time);
        var plan = await plans.GetAsync(scenario.TenantA, Cancellation);
        time.Advance(TimeSpan.FromMinutes(2));

        await using (await postgres.PauseAsync())
        {
            Assert.Equal(plan, await plans.GetAsync(scenario.TenantA, Cancellation));
            Assert.Equal(plan, await plans.GetAsync(scenario.TenantA, Cancellation));
        }
    }

    private static Task<HttpResponseMessage> CreateWithKeyAsync(HttpClient client, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents") { Content = JsonContent.Create(Body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, Cancellation);
    }

    /// <summary>Broken pooled connections are dropped as they are found: a request or two may still meet one.</summary>
    private static async Task AssertEventuallyOkAsync(HttpClient client, string path)
    {
        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var response = await client.GetAsync(path, Cancellation);
            if ((status = response.StatusCode) == HttpStatusCode.OK)
            {
                return;
            }
        }

        Assert.Fail($"{path} still answered {status} after the database resumed.");
    }
}
