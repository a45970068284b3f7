using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.Queue;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>
/// A running worker holds each tenant to <c>Dms:Processing:MaxJobsPerTenant</c> jobs at once and gives the consumer it
/// leaves free to another tenant, on both queues: PostgreSQL's leaves the busy tenant out of the take; SQS cannot, so
/// the worker postpones the busy tenant's job rather than hold a consumer while the tenant's running job goes on. The
/// worker here has two consumers and one slot per tenant; the scanner is down at first, so tenant A's first document
/// stays in its scan retries for as long as the test needs.
/// </summary>
public sealed class BusyTenantTests(TemporaryPostgres postgres, Fauxqs fauxqs) : IClassFixture<TemporaryPostgres>, IClassFixture<Fauxqs>, IAsyncLifetime
{
    private readonly TemporaryClamd _clamd = new();
    private ApiScenario _scenario = null!;
    private WorkerHost? _worker;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_scenario is not null)
        {
            await _scenario.DisposeAsync();
        }

        await _clamd.DisposeAsync();
    }

    [Theory]
    [InlineData(QueueProvider.Postgres)]
    [InlineData(QueueProvider.Sqs)]
    public async Task A_tenant_at_its_limit_waits_in_the_queue_while_another_tenants_document_starts(QueueProvider queue)
    {
        var settings = queue == QueueProvider.Sqs ? await SqsQueues.SettingsAsync(fauxqs) : [];
        settings["Dms:Processing:Concurrency"] = "2";
        settings["Dms:Processing:MaxJobsPerTenant"] = "1";
        settings["Dms:Processing:MaxAttempts"] = "20";
        settings["Dms:Processing:RetryBaseDelay"] = "00:00:05";
        settings["Dms:Processing:RetryMaxDelay"] = "00:00:05";

        _scenario = await ApiScenario.StartAsync(postgres, settings: settings);
        _worker = WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port, settings);

        // The first waits for the worker to start as well: on cores both test suites load, a worker process took over 30 s.
        var first = await UploadAsync(_scenario.EditorA, "first of A");
        await PipelineDocuments.WaitForStatusAsync(_scenario.EditorA, first, ["scanning"], TimeSpan.FromSeconds(90), () => _worker.Log);
        var second = await UploadAsync(_scenario.EditorA, "second of A");
        var other = await UploadAsync(_scenario.EditorB, "only one of B");

        // Tenant A's second job is older than B's; B's document must start while A's first still scans.
        await PipelineDocuments.WaitForStatusAsync(_scenario.EditorB, other, ["scanning"], TimeSpan.FromSeconds(30), () => _worker.Log);
        Assert.Equal("scanning", await StatusAsync(_scenario.EditorA, first));
        Assert.Equal("queued", await StatusAsync(_scenario.EditorA, second));

        // Nothing was lost on the way: with the scanner up every document ends ready.
        await _clamd.StartAsync();
        foreach (var (editor, id) in new[] { (_scenario.EditorA, first), (_scenario.EditorA, second), (_scenario.EditorB, other) })
        {
            await PipelineDocuments.WaitForStatusAsync(editor, id, ["ready"], TimeSpan.FromMinutes(1), () => _worker.Log);
        }
    }

    private Task<Guid> UploadAsync(HttpClient editor, string text) =>
        PipelineDocuments.UploadAsync(_scenario, editor, Encoding.UTF8.GetBytes(text), "note.txt", "text/plain");

    private static async Task<string?> StatusAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", TestContext.Current.CancellationToken)).GetProperty("status").GetString();
}
