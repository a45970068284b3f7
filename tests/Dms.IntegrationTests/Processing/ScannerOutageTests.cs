using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>The runbook's dead-letter task end to end: the scanner is down, jobs give up, the operator fixes and redrives.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ScannerOutageTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private readonly TemporaryClamd _clamd = new();
    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync()
    {
        await _scenario.DisposeAsync();
        await _clamd.DisposeAsync();
    }

    [Fact]
    public async Task With_the_scanner_down_documents_retry_then_dead_letter_and_a_redrive_after_the_fix_makes_them_ready()
    {
        // Only this test needs a worker.
        await using var worker = WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port,
            new Dictionary<string, string> { ["Dms:Processing:MaxAttempts"] = "3" });
        var id = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, Encoding.UTF8.GetBytes("Scan me when you can"), "later.txt", "text/plain");

        var failed = await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, id, TimeSpan.FromMinutes(1), () => worker.Log);
        var scan = (await PipelineDocuments.StepsAsync(_scenario.EditorA, id))["scan"];
        var letters = await PipelineDocuments.DeadLettersAsync(_scenario.Operator, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", failed.Status);
        Assert.Equal("Malware scan timeout after 3 attempts: The malware scanner did not answer.", failed.FailureReason);
        Assert.Equal("The malware scanner did not answer.", scan.GetProperty("error").GetString());
        Assert.Equal("failed", scan.GetProperty("outcome").GetString());
        Assert.Equal(3, scan.GetProperty("attempt").GetInt32());
        var letter = Assert.Single(letters!);
        Assert.Equal(id, letter.GetProperty("documentId").GetGuid());
        Assert.Equal(_scenario.TenantA, letter.GetProperty("tenantId").GetGuid());
        // Operators get the cause with the dead letter; users never see the scanner's address.
        Assert.StartsWith("Malware scan timeout after 3 attempts: clamd at 127.0.0.1:", letter.GetProperty("error").GetString());
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32());

        await _clamd.StartAsync();
        using var redrive = await _scenario.Operator.PostAsync(
            $"/api/v1/admin/dead-letters/{letter.GetProperty("id").GetString()}/redrive", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);

        var document = await PipelineDocuments.WaitForStatusAsync(_scenario.EditorA, id, ["ready"], TimeSpan.FromMinutes(1), () => worker.Log);

        Assert.Null(document.FailureReason);
        Assert.Empty((await _scenario.Operator.GetFromJsonAsync<JsonElement[]>("/api/v1/admin/dead-letters", TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task Redriving_or_purging_an_unknown_dead_letter_is_404()
    {
        using var redrive = await _scenario.Operator.PostAsync("/api/v1/admin/dead-letters/424242/redrive", null, TestContext.Current.CancellationToken);
        using var purge = await _scenario.Operator.DeleteAsync("/api/v1/admin/dead-letters/not-a-number", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, redrive.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, purge.StatusCode);
    }
}
