using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Documents.Lifecycle;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.IntegrationTests.Api;

[Collection(PostgresCollection.Name)]
public sealed class DocumentLifecycleTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_document_goes_through_upload_versions_trash_and_permanent_delete_with_usage_following()
    {
        var editor = _scenario.EditorA;
        var v1 = ApiScenario.RandomBytes(300_000);
        Assert.Equal(0, await ApiScenario.UsedBytesAsync(editor));

        var created = await ApiScenario.CreateDocumentAsync(editor, v1);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        Assert.Equal("pending_upload", created.GetProperty("document").GetProperty("status").GetString());
        Assert.Equal(v1.Length, await ApiScenario.UsedBytesAsync(editor));

        var completed = await _scenario.UploadAndCompleteAsync(editor, created, v1);
        Assert.Equal("queued", completed.GetProperty("status").GetString());
        Assert.Equal(ApiScenario.Sha256(v1), completed.GetProperty("sha256").GetString());

        var listed = await editor.GetFromJsonAsync<JsonElement>("/api/v1/documents?tag=finance", TestContext.Current.CancellationToken);
        Assert.Contains(listed.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetGuid() == id);

        await _scenario.PassScanAsync(id);
        Assert.Equal(v1, await editor.GetByteArrayAsync($"/api/v1/documents/{id}/content", TestContext.Current.CancellationToken));

        var v2 = ApiScenario.RandomBytes(200_000);
        var version = await editor.PostAsJsonAsync($"/api/v1/documents/{id}/versions",
            new { fileName = "report-v2.pdf", contentType = "application/pdf", sizeBytes = v2.Length, sha256 = ApiScenario.Sha256(v2) },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, version.StatusCode);
        var versionBody = await version.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(2, versionBody.GetProperty("version").GetInt32());
        var afterV2 = await _scenario.UploadAndCompleteAsync(editor, versionBody, v2);
        Assert.Equal(2, afterV2.GetProperty("currentVersion").GetInt32());
        Assert.Equal("report-v2.pdf", afterV2.GetProperty("fileName").GetString());
        Assert.Equal(v1.Length + v2.Length, await ApiScenario.UsedBytesAsync(editor));

        var versions = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}/versions", TestContext.Current.CancellationToken);
        Assert.Equal([1, 2], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        await _scenario.PassScanAsync(id);
        Assert.Equal(v2, await editor.GetByteArrayAsync($"/api/v1/documents/{id}/content", TestContext.Current.CancellationToken));
        Assert.Equal(v1, await editor.GetByteArrayAsync($"/api/v1/documents/{id}/content?version=1", TestContext.Current.CancellationToken));

        var deleted = await editor.DeleteAsync($"/api/v1/documents/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("deleted", (await deleted.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        var afterDelete = await editor.GetFromJsonAsync<JsonElement>("/api/v1/documents", TestContext.Current.CancellationToken);
        Assert.DoesNotContain(afterDelete.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetGuid() == id);
        var trash = await editor.GetFromJsonAsync<JsonElement>("/api/v1/documents?status=deleted", TestContext.Current.CancellationToken);
        Assert.Contains(trash.GetProperty("documents").EnumerateArray(), d => d.GetProperty("id").GetGuid() == id);
        Assert.Equal(v1.Length + v2.Length, await ApiScenario.UsedBytesAsync(editor));

        var restored = await editor.PostAsync($"/api/v1/documents/{id}/restore", null, TestContext.Current.CancellationToken);
        Assert.Equal("queued", (await restored.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        // Deleted while queued: a worker drops the job of a deleted document, so restoring it queues a new one.
        Assert.Equal(2L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM processing_jobs WHERE document_id = '{id}' AND version = 2"));

        var byEditor = await editor.DeleteAsync($"/api/v1/documents/{id}?permanent=true", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, byEditor.StatusCode);

        var byAdmin = await _scenario.AdminA.DeleteAsync($"/api/v1/documents/{id}?permanent=true", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/api/v1/documents/{id}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(0, await ApiScenario.UsedBytesAsync(editor));
        // The api only asks: the bytes stay until the worker's sweep deletes them (in AWS only its role may).
        var tenantBlobs = new DirectoryInfo(Path.Combine(_scenario.Api.BlobRoot.FullName, _scenario.TenantA.ToString()));
        Assert.NotEmpty(tenantBlobs.EnumerateFiles("*", SearchOption.AllDirectories));
        Assert.Equal(1L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM bytes_purges WHERE prefix LIKE '%/documents/{id}/'"));
        using (var scope = _scenario.Api.Services.CreateScope())
        {
            var deleteBytes = scope.ServiceProvider.GetRequiredService<DeletePurgedBytes>();
            foreach (var request in await deleteBytes.WaitingAsync(10, TestContext.Current.CancellationToken))
            {
                Assert.True(await deleteBytes.HandleAsync(request, TestContext.Current.CancellationToken));
            }
        }

        Assert.Empty(tenantBlobs.EnumerateFiles("*", SearchOption.AllDirectories));
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM bytes_purges WHERE tenant_id = '{_scenario.TenantA}'"));
    }

    [Fact]
    public async Task Completing_the_upload_of_a_document_in_the_trash_is_refused_and_it_stays_there()
    {
        var editor = _scenario.EditorA;
        var bytes = ApiScenario.RandomBytes(1_000);
        var created = await ApiScenario.CreateDocumentAsync(editor, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await _scenario.UploadAsync(created, new ByteArrayContent(bytes))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.DeleteAsync($"/api/v1/documents/{id}", TestContext.Current.CancellationToken)).StatusCode);

        var completed = await editor.PostAsync($"/api/v1/documents/{id}/complete", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, completed.StatusCode);
        var problem = await completed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("urn:dms:problem:document-deleted", problem.GetProperty("type").GetString());
        var document = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("deleted", document.GetProperty("status").GetString());
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM processing_jobs WHERE document_id = '{id}'"));
    }

    [Fact]
    public async Task Patch_changes_the_title_and_tags_and_refuses_an_empty_title()
    {
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(10));
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        var changed = await _scenario.EditorA.PatchAsJsonAsync($"/api/v1/documents/{id}", new { title = "Q3 report", tags = new[] { "Board", "board", " q3 " } },
            TestContext.Current.CancellationToken);
        var empty = await _scenario.EditorA.PatchAsJsonAsync($"/api/v1/documents/{id}", new { title = " " }, TestContext.Current.CancellationToken);

        var document = await changed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("Q3 report", document.GetProperty("title").GetString());
        Assert.Equal(["board", "q3"], document.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var problem = await ApiTests.AssertProblemAsync(empty, HttpStatusCode.BadRequest);
        Assert.Equal("urn:dms:problem:invalid-title", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Content_supports_ranges_and_names_the_file()
    {
        var bytes = ApiScenario.RandomBytes(10_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes, fileName: "notes.txt", contentType: "text/plain");
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await _scenario.PassScanAsync(id);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/documents/{id}/content");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        var response = await _scenario.ViewerA.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[100..200], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("notes.txt", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task The_same_content_twice_is_reported_as_a_duplicate_not_merged()
    {
        var bytes = ApiScenario.RandomBytes(5_000);
        var first = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, first, bytes);

        var second = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes);

        var firstId = first.GetProperty("document").GetProperty("id").GetGuid();
        Assert.NotEqual(firstId, second.GetProperty("document").GetProperty("id").GetGuid());
        Assert.Equal(firstId, second.GetProperty("document").GetProperty("duplicateOf").GetGuid());
    }

    [Fact]
    public async Task Complete_before_the_upload_is_refused_and_nothing_is_queued()
    {
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(1_000));
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        var response = await _scenario.EditorA.PostAsync($"/api/v1/documents/{id}/complete", null, TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("urn:dms:problem:upload-missing", problem.GetProperty("type").GetString());
        var document = await _scenario.EditorA.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("pending_upload", document.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Completing_writes_exactly_one_processing_job_even_when_called_twice()
    {
        var bytes = ApiScenario.RandomBytes(2_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        var again = await _scenario.EditorA.PostAsync($"/api/v1/documents/{id}/complete", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM processing_jobs WHERE document_id = '{id}'"));
    }

    [Fact]
    public async Task Idempotency_key_replays_the_first_create_and_refuses_another_body()
    {
        var body = new { fileName = "a.pdf", contentType = "application/pdf", sizeBytes = 1234 };
        var key = Guid.NewGuid().ToString();

        var first = await SendWithKeyAsync(key, body);
        var retry = await SendWithKeyAsync(key, body);
        var other = await SendWithKeyAsync(key, body with { sizeBytes = 99 });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("document").GetProperty("id").GetGuid();
        var retryId = (await retry.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("document").GetProperty("id").GetGuid();
        Assert.Equal(firstId, retryId);
        Assert.Equal(1234, await ApiScenario.UsedBytesAsync(_scenario.EditorA));
        var problem = await ApiTests.AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:dms:problem:idempotency-key-reused", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_idempotency_key_create_one_document()
    {
        var body = new { fileName = "a.pdf", contentType = "application/pdf", sizeBytes = 500 };
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendWithKeyAsync(key, body)));
        // A retry once they have all answered gets the one answer.
        var after = await SendWithKeyAsync(key, body);

        // Each concurrent one acted, replayed the answer, or was told the first is still in progress (409, retry).
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var ids = await Task.WhenAll(responses.Append(after).Where(r => r.StatusCode == HttpStatusCode.Created).Select(async r =>
            (await r.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("document").GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Single(ids.Distinct());
        Assert.Equal(500, await ApiScenario.UsedBytesAsync(_scenario.EditorA));
    }

    private async Task<HttpResponseMessage> SendWithKeyAsync<T>(string key, T body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await _scenario.EditorA.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
