using System.Net;
using System.Net.Http.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Api;

/// <summary>
/// Every request answers within <c>Dms:Database:Deadline</c>, except byte transfers, which take as long as their bytes
/// do: an upload to the file store's URL and a content download, each kept going past the deadline by a slow client,
/// over a real socket (the in-memory server would hand the API the whole body at once). Without their exemption the
/// deadline cancels the copy: the upload answers 503 and the download breaks off.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RequestDeadlineTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    /// <summary>How long the slow client takes over its bytes: past the deadline, with a margin.</summary>
    private static readonly TimeSpan Slowly = TimeSpan.FromSeconds(7);

    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
    {
        ["Dms:Database:Deadline"] = "00:00:05",
    }, overLoopback: true);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task An_upload_and_a_download_slower_than_the_deadline_finish()
    {
        // Large enough that the socket's buffers cannot hold the download: the server is still writing when the deadline passes.
        var bytes = ApiScenario.RandomBytes(24 * 1024 * 1024);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes, "slow.txt", "text/plain");
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        var uploading = System.Diagnostics.Stopwatch.StartNew();
        // Plain clients on the socket: the test host's own client buffers a request's body before it sends any of it.
        using var anonymous = Plain();
        var url = new Uri(created.GetProperty("upload").GetProperty("url").GetString()!).PathAndQuery;
        using var uploaded = await anonymous.PutAsync(url, new TrickleContent(bytes, Slowly, "text/plain"), Cancellation);
        Assert.True(uploading.Elapsed > Deadline, $"The upload took {uploading.Elapsed.TotalSeconds:0.0} s, within the deadline: it proves nothing.");
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        using var completed = await _scenario.EditorA.PostAsync($"/api/v1/documents/{id}/complete", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        await _scenario.PassScanAsync(id);

        var downloading = System.Diagnostics.Stopwatch.StartNew();
        using var editor = Plain(TestTokens.For(_scenario.TenantA, Dms.Contracts.Roles.Editor));
        using var download = await editor.GetAsync($"/api/v1/documents/{id}/content", HttpCompletionOption.ResponseHeadersRead, Cancellation);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var read = await ReadSlowlyAsync(await download.Content.ReadAsStreamAsync(Cancellation), bytes.Length);
        Assert.True(downloading.Elapsed > Deadline, $"The download took {downloading.Elapsed.TotalSeconds:0.0} s, within the deadline: it proves nothing.");
        Assert.Equal(bytes, read);
    }

    private HttpClient Plain(string? token = null)
    {
        using var hosted = _scenario.Anonymous;
        var client = new HttpClient { BaseAddress = hosted.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return client;
    }

    /// <summary>Reads the stream in 64 KiB pieces, spread over <see cref="Slowly"/>.</summary>
    private static async Task<byte[]> ReadSlowlyAsync(Stream content, int length)
    {
        var pieces = length / (64 * 1024);
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int count;
        while ((count = await content.ReadAsync(buffer, Cancellation)) > 0)
        {
            all.Write(buffer, 0, count);
            await Task.Delay(Slowly / pieces, Cancellation);
        }

        return all.ToArray();
    }

    /// <summary>A body sent in 16 pieces spread over <paramref name="over"/>, with its length declared.</summary>
    private sealed class TrickleContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TimeSpan _over;

        public TrickleContent(byte[] bytes, TimeSpan over, string contentType = "application/octet-stream")
        {
            (_bytes, _over) = (bytes, over);
            Headers.ContentType = new(contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            const int Pieces = 16;
            var size = (_bytes.Length + Pieces - 1) / Pieces;
            for (var offset = 0; offset < _bytes.Length; offset += size)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(size, _bytes.Length - offset)));
                await stream.FlushAsync();
                await Task.Delay(_over / Pieces);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
