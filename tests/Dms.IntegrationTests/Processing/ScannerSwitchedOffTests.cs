using System.Text;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

[Collection(PostgresCollection.Name)]
public sealed class ScannerSwitchedOffTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;
    private WorkerHost _worker = null!;

    public async ValueTask InitializeAsync()
    {
        _scenario = await ApiScenario.StartAsync(postgres);
        _worker = WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), scannerPort: null);
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _scenario.DisposeAsync();
    }

    [Fact]
    public async Task A_scanner_switched_off_records_the_scan_as_skipped_never_as_clean()
    {
        var id = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), "eicar.txt", "text/plain");

        var document = await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, id, TimeSpan.FromMinutes(1), () => _worker.Log);
        var scan = (await PipelineDocuments.StepsAsync(_scenario.EditorA, id))["scan"];

        Assert.Equal("ready", document.Status);
        Assert.Equal("skipped", scan.GetProperty("outcome").GetString());
        Assert.Equal("scanner switched off (Dms:Scanner:Provider is Disabled)", scan.GetProperty("detail").GetString());
    }
}
