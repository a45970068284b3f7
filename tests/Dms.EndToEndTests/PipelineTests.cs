using Dms.Contracts.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.EndToEndTests;

/// <summary>The pipeline as <c>./dms.sh run</c> wires it on each profile: worker, clamd and the dashboard's dead-letter commands.</summary>
public abstract class PipelineTests(RunningAppModel running)
{
    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private ResourceCommandService Commands => running.Model.App.Services.GetRequiredService<ResourceCommandService>();

    [Fact]
    public async Task A_text_pdf_becomes_ready_with_its_text_and_the_eicar_file_is_quarantined()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);

        var pdf = await UploadAsync(editor, SampleDocuments.TextPdf("Annual statement of the demo tenant"), "statement.pdf", "application/pdf");
        var eicar = await UploadAsync(editor, Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), "eicar.txt", "text/plain");

        var ended = await WaitForEndStateAsync(editor, pdf);
        Assert.True(ended.Status == "ready", ended.ToString());
        var text = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{pdf}/text", Cancellation);
        Assert.Contains("Annual statement of the demo tenant", text.GetProperty("text").GetString());
        Assert.Equal("quarantined", (await WaitForEndStateAsync(editor, eicar)).Status);
    }

    [Fact]
    public async Task A_scanned_pdf_is_read_by_ocr_found_by_search_and_once_deleted_found_no_more()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        const string word = "marmalade";
        var scanned = await SampleDocuments.ScannedPdf($"Scanned delivery note for the {word} warehouse");

        var id = await UploadAsync(editor, scanned, "delivery-note.pdf", "application/pdf");
        var ready = await WaitForEndStateAsync(editor, id);
        var text = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}/text", Cancellation);
        var found = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/search?q={word}", Cancellation);
        var downloaded = await editor.GetByteArrayAsync($"/api/v1/documents/{id}/content", Cancellation);
        (await editor.DeleteAsync($"/api/v1/documents/{id}", Cancellation)).EnsureSuccessStatusCode();
        var afterDelete = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/search?q={word}", Cancellation);

        Assert.Equal("ready", ready.Status);
        Assert.Equal(1, text.GetProperty("ocrPages").GetInt32());
        Assert.Contains(word, text.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(found.GetProperty("hits").EnumerateArray(), h => h.GetProperty("documentId").GetGuid() == id);
        Assert.Equal(scanned, downloaded);
        Assert.DoesNotContain(afterDelete.GetProperty("hits").EnumerateArray(), h => h.GetProperty("documentId").GetGuid() == id);
    }

    [Fact]
    public async Task With_clamd_stopped_a_document_dead_letters_and_the_dashboards_redrive_after_restarting_clamd_makes_it_ready()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        var stopped = await Commands.ExecuteCommandAsync("scanner", KnownResourceCommands.StopCommand, Cancellation);
        Assert.True(stopped.Success, stopped.Message);
        try
        {
            var id = await UploadAsync(editor, Encoding.UTF8.GetBytes("Waiting for the scanner"), "wait.txt", "text/plain");
            var failed = await WaitForEndStateAsync(editor, id);
            Assert.Equal("failed", failed.Status);
            Assert.StartsWith("Malware scan timeout after 3 attempts", failed.FailureReason);

            // The worker records the failure first and dead-letters the job a moment later: redrive once it is there.
            await WaitForDeadLetterAsync(id);
            await running.Model.StartAgainAsync("scanner", Cancellation);
            var redriven = await Commands.ExecuteCommandAsync("worker", "redrive-dead-letters", Cancellation);

            Assert.True(redriven.Success, redriven.Message);
            // The shared system may hold other tests' dead letters: all are redriven, this one among them.
            Assert.Matches(@"^[1-9]\d* dead letters redriven\.$", redriven.Message);
            // The document stays failed until the worker takes the redriven job, which turns it queued.
            Assert.Equal("ready", (await WaitForEndStateAsync(editor, id, "ready")).Status);
        }
        finally
        {
            await Commands.ExecuteCommandAsync("scanner", KnownResourceCommands.StartCommand, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_dashboards_reindex_command_rebuilds_the_search_index()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        var id = await UploadAsync(editor, Encoding.UTF8.GetBytes("Reindexed words"), "reindex.txt", "text/plain");
        await WaitForEndStateAsync(editor, id);

        var reindexed = await Commands.ExecuteCommandAsync("worker", "reindex-search", Cancellation);
        var found = await editor.GetFromJsonAsync<JsonElement>("/api/v1/search?q=reindexed", Cancellation);

        Assert.True(reindexed.Success, reindexed.Message);
        Assert.Matches(@"^\d+ documents reindexed\.$", reindexed.Message);
        Assert.Contains(found.GetProperty("hits").EnumerateArray(), h => h.GetProperty("documentId").GetGuid() == id);
    }

    private async Task<Guid> UploadAsync(HttpClient client, byte[] bytes, string fileName, string contentType) =>
        (await DocumentUploads.UploadAsync(client, bytes, fileName, contentType, cancellationToken: Cancellation)).Id;

    private async Task WaitForDeadLetterAsync(Guid documentId)
    {
        using var operatorClient = await running.Model.SignInAsync("operator", Cancellation);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var letters = await operatorClient.GetFromJsonAsync<JsonElement[]>("/api/v1/admin/dead-letters", Cancellation);
            if (letters!.Any(l => l.GetProperty("documentId").GetGuid() == documentId))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Document {documentId}'s job never reached the dead letters.");
            await Task.Delay(100, Cancellation);
        }
    }

    /// <summary>Waits for <paramref name="wanted"/>, or any end state; gives up after a minute.</summary>
    private Task<DocumentResponse> WaitForEndStateAsync(HttpClient client, Guid id, string? wanted = null) =>
        DocumentUploads.WaitForStatusAsync(client, id, wanted is null ? ["ready", "failed", "quarantined"] : [wanted], TimeSpan.FromMinutes(1), Cancellation);
}

[Collection(EmbeddedAppModelCollection.Name)]
public sealed class EmbeddedPipelineTests(RunningEmbeddedAppModel running) : PipelineTests(running);

[Collection(LocalAwsAppModelCollection.Name)]
public sealed class LocalAwsPipelineTests(RunningLocalAwsAppModel running) : PipelineTests(running);
