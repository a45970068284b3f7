using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// Ways to get bytes past the malware scan, each refused: content is served only for a version the scan passed. A real
/// clamd runs with the AppHost's start script and limits of 1 MiB, so "too large to scan" is cheap to reach.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScanBypassTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private const long ScannerLimit = 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private TemporaryClamd _clamd = null!;
    private ApiScenario _scenario = null!;
    private WorkerHost _worker = null!;

    private HttpClient Editor => _scenario.EditorA;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// The class's clamd and worker serve every test (each with tenants of its own): starting them for each test cost
    /// seconds of CPU each on cores the test suites share.
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        _clamd = await shared.KeepAsync(async () =>
        {
            var clamd = new TemporaryClamd(maxBytes: ScannerLimit);
            await clamd.StartAsync();
            return clamd;
        });
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));
        _worker = await shared.KeepAsync(() => Task.FromResult(WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port,
            new Dictionary<string, string> { ["Dms:Processing:MaxAttempts"] = "2" })));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Malware_declared_as_another_type_is_scanned_quarantined_and_never_served()
    {
        var bytes = Encoding.ASCII.GetBytes("\u0001\u0002binary junk " + TemporaryClamd.Eicar);
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, bytes, "invoice.pdf", "application/pdf");

        var end = await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);

        Assert.Equal("quarantined", end.Status);
        // Every route that serves what the bytes hold refuses, before looking for it: the refusal, not a 404.
        foreach (var route in new[] { "content", "content?version=1", "text", "thumbnail", "pages/1" })
        {
            await AssertRefusedAsync($"/api/v1/documents/{id}/{route}", "document-quarantined");
        }
    }

    [Fact]
    public async Task A_file_larger_than_the_scanner_takes_fails_unscanned_and_is_never_served()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('a', (int)ScannerLimit * 2));
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, bytes, "big.txt", "text/plain");

        var end = await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);

        Assert.Equal("failed", end.Status);
        Assert.Contains("cannot be scanned", end.FailureReason);
        await AssertRefusedAsync($"/api/v1/documents/{id}/content", "content-not-scanned");
        await AssertRefusedAsync($"/api/v1/documents/{id}/text", "content-not-scanned");
    }

    [Fact]
    public async Task An_archive_member_past_the_scanners_limits_is_reported_not_passed_as_clean()
    {
        // 40 KB of .docx whose one part inflates to 2 MiB: past clamd's per-file limit inside the archive.
        var bytes = SampleDocuments.Docx(new string('x', (int)ScannerLimit * 2));
        Assert.True(bytes.Length < ScannerLimit);
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, bytes, "letter.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

        var end = await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);

        Assert.Equal("failed", end.Status);
        Assert.Contains("beyond the malware scanner's limits", end.FailureReason);
        await AssertRefusedAsync($"/api/v1/documents/{id}/content", "content-not-scanned");
    }

    [Fact]
    public async Task A_quarantined_first_version_is_not_served_by_version_number_once_a_clean_second_exists()
    {
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), "notes.txt", "text/plain");
        Assert.Equal("quarantined", (await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log)).Status);
        var clean = Encoding.UTF8.GetBytes("Clean notes, second version.");
        var version = await Editor.PostAsJsonAsync($"/api/v1/documents/{id}/versions",
            new { fileName = "notes.txt", contentType = "text/plain", sizeBytes = clean.Length, sha256 = ApiScenario.Sha256(clean) }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, version.StatusCode);
        await _scenario.UploadAndCompleteAsync(Editor, await version.Content.ReadFromJsonAsync<JsonElement>(Cancellation), clean);
        Assert.Equal("ready", (await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log)).Status);

        Assert.Equal(clean, await Editor.GetByteArrayAsync($"/api/v1/documents/{id}/content", Cancellation));
        Assert.Equal(clean, await Editor.GetByteArrayAsync($"/api/v1/documents/{id}/content?version=2", Cancellation));
        await AssertRefusedAsync($"/api/v1/documents/{id}/content?version=1", "document-quarantined");
        var versions = await Editor.GetFromJsonAsync<JsonElement[]>($"/api/v1/documents/{id}/versions", Cancellation);
        Assert.Equal(["infected", "clean"], versions!.Select(v => v.GetProperty("scanVerdict").GetString()));
    }

    [Fact]
    public async Task Reprocessing_a_quarantined_document_does_not_reopen_its_bytes()
    {
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), "notes.txt", "text/plain");
        Assert.Equal("quarantined", (await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log)).Status);

        using var reprocess = await _scenario.AdminA.PostAsync($"/api/v1/documents/{id}/reprocess", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, reprocess.StatusCode);
        await AssertRefusedAsync($"/api/v1/documents/{id}/content", "document-quarantined");

        Assert.Equal("quarantined", (await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log)).Status);
        await AssertRefusedAsync($"/api/v1/documents/{id}/content", "document-quarantined");
    }

    [Fact]
    public async Task A_document_nobody_could_scan_is_not_served_and_its_users_are_not_told_the_scanners_address()
    {
        await _clamd.StopAsync();
        Guid id;
        DocumentResponse end;
        try
        {
            id = await PipelineDocuments.UploadAsync(_scenario, Editor, Encoding.UTF8.GetBytes("Scan me if you can."), "later.txt", "text/plain");
            end = await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);
        }
        finally
        {
            // The class's other tests scan with it.
            await _clamd.StartAsync();
        }

        var scan = (await PipelineDocuments.StepsAsync(Editor, id))["scan"];

        Assert.Equal("failed", end.Status);
        Assert.Equal("Malware scan timeout after 2 attempts: The malware scanner did not answer.", end.FailureReason);
        Assert.Equal("The malware scanner did not answer.", scan.GetProperty("error").GetString());
        await AssertRefusedAsync($"/api/v1/documents/{id}/content", "content-not-scanned");
    }

    private async Task AssertRefusedAsync(string path, string problem)
    {
        using var response = await Editor.GetAsync(path, Cancellation);
        var body = await ApiTests.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("urn:dms:problem:" + problem, body.GetProperty("type").GetString());
    }
}
