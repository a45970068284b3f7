using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Api;

/// <summary>Bad input is a 4xx ProblemDetails that names the problem, and reserves or stores nothing.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BadInputTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
    {
        ["Dms:Documents:MaxSizeBytes"] = "1000000",
    }));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static TheoryData<string, string, int, string> BadCreates => new()
    {
        { "empty file name", """{"fileName":"","contentType":"application/pdf","sizeBytes":10}""", 400, "invalid-file-name" },
        { "300-character file name", $$"""{"fileName":"{{new string('a', 296)}}.pdf","contentType":"application/pdf","sizeBytes":10}""", 400, "invalid-file-name" },
        { "a path", """{"fileName":"../../etc/passwd","contentType":"application/pdf","sizeBytes":10}""", 400, "invalid-file-name" },
        { "a Windows path", """{"fileName":"..\\..\\boot.ini","contentType":"application/pdf","sizeBytes":10}""", 400, "invalid-file-name" },
        { "control characters", """{"fileName":"a\u0000b\u001f.pdf","contentType":"application/pdf","sizeBytes":10}""", 400, "invalid-file-name" },
        { "negative size", """{"fileName":"a.pdf","contentType":"application/pdf","sizeBytes":-5}""", 400, "invalid-size" },
        { "zero size", """{"fileName":"a.pdf","contentType":"application/pdf","sizeBytes":0}""", 400, "invalid-size" },
        { "huge size", """{"fileName":"a.pdf","contentType":"application/pdf","sizeBytes":9223372036854775807}""", 413, "file-too-large" },
        { "size past the limit", """{"fileName":"a.pdf","contentType":"application/pdf","sizeBytes":1000001}""", 413, "file-too-large" },
        { "size that is not a number", """{"fileName":"a.pdf","contentType":"application/pdf","sizeBytes":"lots"}""", 400, "bad-request" },
        { "unknown content type", """{"fileName":"a.exe","contentType":"application/x-msdownload","sizeBytes":10}""", 415, "unsupported-content-type" },
        { "checksum that is not hex", """{"fileName":"a.pdf","contentType":"application/pdf","sizeBytes":10,"sha256":"xyz"}""", 400, "invalid-sha256" },
        { "too many tags", $$"""{"fileName":"a.pdf","contentType":"application/pdf","sizeBytes":10,"tags":[{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"t{i}\""))}}]}""", 400, "invalid-tags" },
        { "not JSON", "fileName=a.pdf", 400, "bad-request" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task A_bad_create_is_a_problem_naming_it_and_reserves_nothing(string what, string body, int status, string code)
    {
        var response = await _scenario.EditorA.PostAsync("/api/v1/documents", new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(response, (HttpStatusCode)status);
        Assert.True(problem.GetProperty("type").GetString() == $"urn:dms:problem:{code}", $"{what}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), what);
        Assert.Equal(0, await ApiScenario.UsedBytesAsync(_scenario.EditorA));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_declared_checksum_are_refused_and_not_stored()
    {
        var bytes = ApiScenario.RandomBytes(1_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes);
        bytes[0] ^= 0xff;

        var response = await _scenario.UploadAsync(created, new ByteArrayContent(bytes));

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("urn:dms:problem:checksum-mismatch", problem.GetProperty("type").GetString());
        Assert.Empty(_scenario.Api.BlobRoot.EnumerateFiles("*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task More_bytes_than_declared_are_refused()
    {
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(1_000), declareChecksum: false);

        var response = await _scenario.UploadAsync(created, new ByteArrayContent(ApiScenario.RandomBytes(1_001)));

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("urn:dms:problem:upload-too-large", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Fewer_bytes_than_declared_are_refused()
    {
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(1_000), declareChecksum: false);

        var response = await _scenario.UploadAsync(created, new ByteArrayContent(ApiScenario.RandomBytes(999)));

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("urn:dms:problem:upload-size-mismatch", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("size=1000&", "size=2000&")]
    [InlineData("/v1/content", "/v2/content")]
    [InlineData("signature=", "signature=00")]
    public async Task A_tampered_upload_url_is_refused(string part, string replacement)
    {
        var bytes = ApiScenario.RandomBytes(1_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes, declareChecksum: false);
        var url = created.GetProperty("upload").GetProperty("url").GetString()!;
        Assert.Contains(part, url);

        var response = await _scenario.Anonymous.PutAsync(url.Replace(part, replacement), new ByteArrayContent(bytes), TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("urn:dms:problem:upload-url-invalid", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_expired_upload_url_is_refused()
    {
        await using var shortLived = await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
        {
            ["Dms:Documents:UploadUrlLifetime"] = "00:00:10",
        });
        var bytes = ApiScenario.RandomBytes(100);
        var created = await ApiScenario.CreateDocumentAsync(shortLived.EditorA, bytes);
        var expiresAt = created.GetProperty("upload").GetProperty("expiresAt").GetDateTimeOffset();
        // The URL's expiry is in whole seconds: wait until it has certainly passed.
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);

        var response = await shortLived.UploadAsync(created, new ByteArrayContent(bytes));

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("urn:dms:problem:upload-url-expired", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("status=sideways", "invalid-status")]
    [InlineData("limit=0", "invalid-limit")]
    [InlineData("limit=100000", "invalid-limit")]
    [InlineData("cursor=not-a-cursor", "invalid-cursor")]
    [InlineData("createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z", "invalid-created-range")]
    [InlineData("order=sideways", "invalid-order")]
    [InlineData("ids=not-an-id", "invalid-ids")]
    public async Task A_bad_listing_query_is_a_problem_naming_it(string query, string code)
    {
        var response = await _scenario.EditorA.GetAsync($"/api/v1/documents?{query}", TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"urn:dms:problem:{code}", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Listing_pages_through_every_document_once_with_the_cursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(10), fileName: $"f{i}.pdf");
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await _scenario.EditorA.GetFromJsonAsync<JsonElement>(
                $"/api/v1/documents?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", TestContext.Current.CancellationToken);
            seen.AddRange(page.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task Listing_oldest_first_pages_the_other_way_and_ids_pick_documents_trashed_ones_included()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(10), fileName: $"o{i}.pdf"))
                .GetProperty("document").GetProperty("id").GetGuid());
        }

        (await _scenario.EditorA.DeleteAsync($"/api/v1/documents/{created[1]}", cancellation)).EnsureSuccessStatusCode();
        var other = (await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(10))).GetProperty("document").GetProperty("id").GetGuid();

        async Task<List<Guid>> ListAsync(string query) =>
            [.. (await _scenario.EditorA.GetFromJsonAsync<JsonElement>($"/api/v1/documents?{query}", cancellation))
                .GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetGuid())];
        var oldestFirst = new List<Guid>();
        var firstPage = await _scenario.EditorA.GetFromJsonAsync<JsonElement>("/api/v1/documents?order=oldest&limit=1", cancellation);
        oldestFirst.AddRange(firstPage.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
        oldestFirst.AddRange(await ListAsync($"order=oldest&cursor={firstPage.GetProperty("nextCursor").GetString()}"));
        var newestFirst = await ListAsync("");
        var picked = await ListAsync($"ids={created[0]},{created[1]},{other}");

        Assert.Equal(newestFirst.AsEnumerable().Reverse(), oldestFirst);
        Assert.Equal([created[0], created[2]], oldestFirst.Where(created.Contains));
        // By id, a trashed document shows too (a page follows its status); another tenant's does not exist.
        Assert.Equal([created[1], created[0]], picked);
    }
}
