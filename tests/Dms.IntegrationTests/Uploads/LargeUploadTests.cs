using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Uploads;

/// <summary>
/// A 1 GiB upload through the file store, to the API running as its own process on Kestrel (as in production), while
/// the test samples that process's resident memory: the body must be streamed to disk, not buffered.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LargeUploadTests(TemporaryPostgres postgres)
{
    private const long OneGiB = 1L << 30;
    private const long AllowedGrowthBytes = 150L << 20;

    [Fact]
    public async Task Uploading_1_GiB_keeps_the_api_memory_flat_and_stores_every_byte()
    {
        await using var scenario = await ApiScenario.StartAsync(postgres, quotaBytes: 2 * OneGiB);
        var created = await CreateAsync(scenario, OneGiB);
        var warmUp = await CreateAsync(scenario, 1024);
        using var api = await ApiProcess.StartAsync(postgres.AppConnectionString(scenario.OwnerConnection), scenario.Api.BlobRoot.FullName);
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync(RelativeUrl(warmUp), new PatternContent(1024), TestContext.Current.CancellationToken)).StatusCode);
        var baseline = api.ResidentBytes();

        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, api.ResidentBytes());
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        var response = await http.PutAsync(RelativeUrl(created), new PatternContent(OneGiB), TestContext.Current.CancellationToken);
        await sampling.CancelAsync();
        await sampler;

        TestContext.Current.TestOutputHelper?.WriteLine($"API resident memory: {baseline >> 20} MiB before, {peak >> 20} MiB at most while receiving 1 GiB.");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(OneGiB, receipt.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(PatternContent.Sha256Of(OneGiB), receipt.GetProperty("sha256").GetString());
        Assert.True(peak - baseline < AllowedGrowthBytes, $"The API grew from {baseline >> 20} MiB to {peak >> 20} MiB while receiving 1 GiB.");
    }

    private static async Task<JsonElement> CreateAsync(ApiScenario scenario, long size)
    {
        var response = await scenario.EditorA.PostAsJsonAsync("/api/v1/documents", new { fileName = "big.pdf", contentType = "application/pdf", sizeBytes = size });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string RelativeUrl(JsonElement created) => new Uri(created.GetProperty("upload").GetProperty("url").GetString()!).PathAndQuery;

    /// <summary>A body of any length made on the fly from a repeating pattern, so the test holds no large buffer either.</summary>
    private sealed class PatternContent(long length) : HttpContent
    {
        private static byte[] Block { get; } = Enumerable.Range(0, 1 << 16).Select(i => (byte)(i * 31 % 251)).ToArray();

        public static string Sha256Of(long length)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (long sent = 0; sent < length; sent += Block.Length)
            {
                hash.AppendData(Block, 0, (int)Math.Min(Block.Length, length - sent));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (long sent = 0; sent < length; sent += Block.Length)
            {
                await stream.WriteAsync(Block.AsMemory(0, (int)Math.Min(Block.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = length;
            return true;
        }
    }

    /// <summary>The built API run as a process of its own on a free loopback port.</summary>
    private sealed class ApiProcess : IDisposable
    {
        private readonly Process _process;

        private ApiProcess(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

        public Uri BaseAddress { get; }

        public static async Task<ApiProcess> StartAsync(string connectionString, string blobRoot)
        {
            var port = LoopbackPort.Free();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Dms.Api.dll")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                    ["ConnectionStrings__dms"] = connectionString,
                    ["Dms__Storage__FileSystem__Root"] = blobRoot,
                    ["Dms__Storage__FileSystem__SigningKey"] = ApiFactory.SigningKey,
                    ["Dms__Identity__Audience"] = TestTokens.Audience,
                    ["Logging__LogLevel__Default"] = "Warning",
                },
            };
            var process = Process.Start(start)!;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"));
            using var probe = new HttpClient { BaseAddress = api.BaseAddress };
            for (var attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    if ((await probe.GetAsync("/alive")).IsSuccessStatusCode)
                    {
                        return api;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(100);
            }

            api.Dispose();
            throw new TimeoutException("The API process did not start.");
        }

        public long ResidentBytes()
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
