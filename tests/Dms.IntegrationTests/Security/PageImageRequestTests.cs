using Dms.Previews;
using System.Net;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.Documents.Queries;
using Dms.Storage;
using Microsoft.Extensions.DependencyInjection;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// A reader (or a script) asking for page images of a processed PDF: each block of pages is queued once, however
/// often and however concurrently it is asked for; a block that could not be rendered is answered at once with the
/// reason and never queued again; and one tenant has a bounded number of blocks waiting.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PageImageRequestTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
    {
        ["Dms:Documents:MaxPendingPageRenderings"] = "3",
        ["Dms:RateLimits:Default:TenantRequestsPerSecond"] = "100000",
        ["Dms:RateLimits:Default:UserRequestsPerSecond"] = "100000",
    }));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Ten_pages_of_one_block_asked_for_at_once_queue_one_job()
    {
        var id = await ProcessedPdfAsync(pages: 30);

        var answers = await Task.WhenAll(Enumerable.Range(11, 10).Select(page => _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/pages/{page}", Cancellation)));
        var again = await Task.WhenAll(Enumerable.Range(11, 10).Select(page => _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/pages/{page}", Cancellation)));

        Assert.All(answers.Concat(again), answer => Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM processing_jobs WHERE document_id = '{id}' AND pages_from = 11"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM page_renderings WHERE document_id = '{id}' AND pages_from = 11"));
    }

    [Fact]
    public async Task A_block_that_could_not_be_rendered_answers_404_with_the_reason_at_once_and_is_not_queued_again()
    {
        var id = await ProcessedPdfAsync(pages: 30);
        using var first = await _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/pages/5", Cancellation);
        // As the worker records a block it cannot render (its job done).
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE page_renderings SET failure_reason = 'The pages took longer than 00:01:00 to render (Dms:Preview:Timeout).' WHERE document_id = '{id}';
            DELETE FROM processing_jobs WHERE document_id = '{id}';
            """);

        using var refused = await _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/pages/7", Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var problem = await ApiTests.AssertProblemAsync(refused, HttpStatusCode.NotFound);
        Assert.Equal("urn:dms:problem:page-not-rendered", problem.GetProperty("type").GetString());
        Assert.Equal("An image of page 7 could not be made: The pages took longer than 00:01:00 to render (Dms:Preview:Timeout).", problem.GetProperty("detail").GetString());
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM processing_jobs WHERE document_id = '{id}'"));
    }

    [Fact]
    public async Task A_tenant_has_at_most_its_limit_of_blocks_waiting_and_another_tenant_is_not_held_by_it()
    {
        var id = await ProcessedPdfAsync(pages: 100);
        var other = await ProcessedPdfAsync(pages: 30, tenantB: true);

        // Ten blocks asked for, one page each: three are queued, the rest are told to ask again.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(block => _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/pages/{block * 10 + 1}", Cancellation)));
        using var otherTenant = await _scenario.EditorB.GetAsync($"/api/v1/documents/{other}/pages/1", Cancellation);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode));
        Assert.Equal(3L, await CountAsync($"SELECT count(*) FROM page_renderings WHERE document_id = '{id}'"));
        Assert.Equal(3L, await CountAsync($"SELECT count(*) FROM processing_jobs WHERE document_id = '{id}'"));
        Assert.Equal(HttpStatusCode.Accepted, otherTenant.StatusCode);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM processing_jobs WHERE document_id = '{other}'"));
    }

    [Fact]
    public async Task A_page_the_worker_stores_while_its_request_looks_for_it_is_served_not_refused()
    {
        var id = await ProcessedPdfAsync(pages: 30);
        using var asked = await _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/pages/5", Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        await using var scope = _scenario.Api.Services.CreateAsyncScope();
        var blobs = scope.ServiceProvider.GetRequiredService<IBlobStore>();
        var key = BlobKeys.ForPreview(_scenario.TenantA, id, 1, 5);
        // The worker finishes the block just after the request looked in storage: the images first, then the record.
        var stored = 0;
        var racing = new InterceptedBlobStore(blobs)
        {
            AfterGet = async looked =>
            {
                if (looked == key && Interlocked.Exchange(ref stored, 1) == 0)
                {
                    await blobs.PutAsync(key, new MemoryStream([0x89, (byte)'P', (byte)'N', (byte)'G']), OpenPreview.ContentType, Cancellation);
                    await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), $"UPDATE page_renderings SET rendered_at = now() WHERE document_id = '{id}'");
                }
            },
        };
        var preview = ActivatorUtilities.CreateInstance<OpenPreview>(scope.ServiceProvider, racing);

        var outcome = await preview.HandleAsync(_scenario.TenantA, id, 5, Cancellation);

        Assert.Null(outcome.Error);
    }

    /// <summary>A PDF as the pipeline leaves it: scanned clean, ready, its text's page count known and its thumbnail stored.</summary>
    private async Task<Guid> ProcessedPdfAsync(int pages, bool tenantB = false)
    {
        var (client, tenant) = tenantB ? (_scenario.EditorB, _scenario.TenantB) : (_scenario.EditorA, _scenario.TenantA);
        var bytes = SampleDocuments.TextPdf("A page");
        var created = await ApiScenario.CreateDocumentAsync(client, bytes);
        await _scenario.UploadAndCompleteAsync(client, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE document_versions SET scan_verdict = 'clean' WHERE document_id = '{id}';
            UPDATE documents SET status = 'ready' WHERE id = '{id}';
            DELETE FROM processing_jobs WHERE document_id = '{id}';
            INSERT INTO document_texts (tenant_id, document_id, version, text, pages, ocr_pages, extracted_at)
            VALUES ('{tenant}', '{id}', 1, 'A page', {pages}, 0, now());
            """);
        var thumbnail = Path.Combine(_scenario.Api.BlobRoot.FullName, BlobKeys.ForPreview(tenant, id, 1, 0));
        Directory.CreateDirectory(Path.GetDirectoryName(thumbnail)!);
        await File.WriteAllBytesAsync(thumbnail, [0x89, (byte)'P', (byte)'N', (byte)'G'], Cancellation);
        return id;
    }

    /// <summary>A count over every tenant's rows.</summary>
    private async Task<long> CountAsync(string sql) =>
        Convert.ToInt64(await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), sql), System.Globalization.CultureInfo.InvariantCulture);
}
