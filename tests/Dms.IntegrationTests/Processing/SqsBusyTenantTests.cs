using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.SQS;
using Dms.Adapters.Aws;
using Dms.IntegrationTests.Fixtures;
using Dms.Queue;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>
/// SQS cannot be asked to leave a busy tenant's jobs out, so the worker is handed them anyway: it must postpone them,
/// not hold a consumer while the tenant's running job goes on, or another tenant's document waits behind it. The
/// worker here has two consumers and one slot per tenant; the scanner is down at first, so tenant A's first document
/// stays in its scan retries for as long as the test needs.
/// </summary>
public sealed class SqsBusyTenantTests(TemporaryPostgres postgres, Fauxqs fauxqs) : IClassFixture<TemporaryPostgres>, IClassFixture<Fauxqs>, IAsyncLifetime
{
    private readonly TemporaryClamd _clamd = new();
    private readonly IAmazonSQS _sqs = SqsJobQueue.CreateClient(new SqsQueueOptions { ServiceUrl = fauxqs.ServiceUrl });
    private ApiScenario _scenario = null!;
    private WorkerProcess _worker = null!;

    public async ValueTask InitializeAsync()
    {
        var queues = await SqsQueues.CreateAsync(_sqs, fauxqs.ServiceUrl);
        var settings = new Dictionary<string, string>
        {
            ["Dms:Queue:Provider"] = "Sqs",
            ["Dms:Queue:Sqs:QueueUrl"] = queues.QueueUrl!,
            ["Dms:Queue:Sqs:DeadLetterQueueUrl"] = queues.DeadLetterQueueUrl!,
            ["Dms:Queue:Sqs:ServiceUrl"] = fauxqs.ServiceUrl,
            ["Dms:Processing:Concurrency"] = "2",
            ["Dms:Processing:MaxJobsPerTenant"] = "1",
            ["Dms:Processing:MaxAttempts"] = "20",
            ["Dms:Processing:RetryBaseDelay"] = "00:00:05",
            ["Dms:Processing:RetryMaxDelay"] = "00:00:05",
        };
        _scenario = await ApiScenario.StartAsync(postgres, settings: settings);
        _worker = WorkerProcess.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port,
            settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value));
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _scenario.DisposeAsync();
        await _clamd.DisposeAsync();
        _sqs.Dispose();
    }

    [Fact]
    public async Task A_job_of_a_tenant_at_its_limit_goes_back_to_the_queue_and_another_tenants_document_starts_meanwhile()
    {
        var first = await UploadAsync(_scenario.EditorA, "first of A");
        await PipelineDocuments.WaitForStatusAsync(_scenario.EditorA, first, ["scanning"], TimeSpan.FromSeconds(30), () => _worker.Log);
        var second = await UploadAsync(_scenario.EditorA, "second of A");
        var other = await UploadAsync(_scenario.EditorB, "only one of B");

        // Tenant A's second job reaches the free consumer first; B's document must start while A's first still scans.
        await PipelineDocuments.WaitForStatusAsync(_scenario.EditorB, other, ["scanning"], TimeSpan.FromSeconds(30), () => _worker.Log);
        Assert.Equal("scanning", await StatusAsync(_scenario.EditorA, first));
        Assert.Equal("queued", await StatusAsync(_scenario.EditorA, second));

        // Nothing was lost on the way back: with the scanner up every document ends ready.
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
