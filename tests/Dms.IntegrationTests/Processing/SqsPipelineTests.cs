using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>
/// The AWS shape of the pipeline: jobs leave through the outbox relay to SQS (fauxqs here), dead letters go to the
/// dead-letter queue, and the API's operator routes read and redrive them there.
/// </summary>
public sealed class SqsPipelineTests(TemporaryPostgres postgres, Fauxqs fauxqs) : IClassFixture<TemporaryPostgres>, IClassFixture<Fauxqs>, IAsyncLifetime
{
    private readonly TemporaryClamd _clamd = new();
    private ApiScenario _scenario = null!;
    private WorkerHost _worker = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = await SqsQueues.SettingsAsync(fauxqs);
        settings["Dms:Processing:MaxAttempts"] = "2";
        _scenario = await ApiScenario.StartAsync(postgres, settings: settings);
        _worker = WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _scenario.DisposeAsync();
        await _clamd.DisposeAsync();
    }

    [Fact]
    public async Task Jobs_go_through_the_outbox_to_sqs_and_dead_letters_are_redriven_from_the_dead_letter_queue()
    {
        // The scanner is not started yet: the job dead-letters.
        var id = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, Encoding.UTF8.GetBytes("Carried by SQS"), "sqs.txt", "text/plain");
        var failed = await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, id, TimeSpan.FromMinutes(1), () => _worker.Log);
        var letters = await PipelineDocuments.DeadLettersAsync(_scenario.Operator, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", failed.Status);
        Assert.StartsWith("Malware scan timeout after 2 attempts", failed.FailureReason);
        var letter = Assert.Single(letters);
        Assert.Equal(id, letter.GetProperty("documentId").GetGuid());
        Assert.StartsWith("Malware scan timeout after 2 attempts: clamd at 127.0.0.1:", letter.GetProperty("error").GetString());
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM processing_jobs"));

        await _clamd.StartAsync();
        using var redrive = await _scenario.Operator.PostAsync("/api/v1/admin/dead-letters/redrive", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(1, (await redrive.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("count").GetInt32());

        await PipelineDocuments.WaitForStatusAsync(_scenario.EditorA, id, ["ready"], TimeSpan.FromMinutes(1), () => _worker.Log);
        Assert.Equal("Carried by SQS", await PipelineDocuments.TextAsync(_scenario.EditorA, id));
        Assert.Empty(await ListDeadLettersAsync());
    }

    private async Task<JsonElement[]> ListDeadLettersAsync() =>
        (await _scenario.Operator.GetFromJsonAsync<JsonElement[]>("/api/v1/admin/dead-letters", TestContext.Current.CancellationToken))!;
}
