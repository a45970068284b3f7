using Dms.Contracts;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aspire.Hosting.Testing;
using Dms.AppHost.Identity;
using Dms.EndToEndTests;
using Dms.TestSupport;
using Npgsql;

namespace Dms.Benchmarks;

/// <summary>
/// <c>./dms.sh bench api</c>: the API under load. The system starts as <c>./dms.sh run</c> starts it (a state folder of
/// its own), the demo tenant gets a generated corpus of ready, indexed documents, and a second API process (the same
/// Release build, on the same database and identity provider, with the benchmark's bare endpoint switched on) is
/// loaded by <c>wrk</c> on 127.0.0.1 directly, not through the Aspire proxy: list, get, create and search as the demo
/// editor, then the bare endpoint. Each run is bounded in time and connections.
/// </summary>
public static class ApiBenchmark
{
    private const int Threads = 2;
    private static readonly string[] Kinds = ["list", "get", "create", "search", "bare"];

    public static async Task RunAsync(int documents, int connections, TimeSpan duration)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            throw new InvalidOperationException("wrk is not installed (./dms.sh bench installs it from apt).");
        }

        var state = AppModel.CreateStateDirectory();
        var work = Directory.CreateTempSubdirectory("dms-bench-api-");
        try
        {
            Console.WriteLine("Starting the system (postgres, migrations, identity, scanner, api, worker)...");
            await using var model = await AppModel.StartAsync(state.FullName, CancellationToken.None);
            await using var owner = NpgsqlDataSource.Create(await model.App.GetConnectionStringAsync("postgres") ?? throw new InvalidOperationException("No database."));
            Console.WriteLine($"Loading {documents:N0} documents of {Corpus.WordsPerDocument} words into the demo tenant...");
            var words = Corpus.Vocabulary();
            var ids = await Corpus.LoadAsync(owner, words, [DemoIdentity.TenantId], documents);
            using var editor = await model.SignInAsync("editor", CancellationToken.None);
            var token = editor.DefaultRequestHeaders.Authorization!.Parameter!;

            using var api = await StartApiAsync(model, state.FullName);
            // The same API with reads not recorded in the audit trail: what recording them costs a read.
            using var unaudited = await StartApiAsync(model, state.FullName, new Dictionary<string, string> { ["Dms__Audit__RecordReads"] = "false" });
            var script = Path.Combine(work.FullName, "dms.lua");
            await File.WriteAllTextAsync(script, Script(ids, words, token));
            var memory = new ProcessMemory(api.Process.Id);
            Console.WriteLine($"API process {api.Process.Id} on {api.Url}: {memory.ResidentMiB():F0} MiB resident before the load.");

            // Warm-up of every endpoint, so that none is measured while the JIT still recompiles its hot paths (tiered
            // compilation takes some tens of seconds of load to settle; measured cold, the first endpoint lost up to half).
            foreach (var kind in Kinds)
            {
                await RunWrkAsync(script, api.Url, kind, connections, TimeSpan.FromSeconds(5));
            }

            await RunWrkAsync(script, unaudited.Url, "get", connections, TimeSpan.FromSeconds(5));

            Console.WriteLine();
            Console.WriteLine($"wrk, {Threads} threads, {connections} connections, {duration.TotalSeconds:F0} s each, on 127.0.0.1:");
            Console.WriteLine($"{"endpoint",-44} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"errors",8} {"API MiB",8}");
            var results = new Dictionary<string, WrkResult>();
            foreach (var kind in Kinds)
            {
                var result = results[kind] = await RunWrkAsync(script, api.Url, kind, connections, duration);
                Console.WriteLine(
                    $"{Describe(kind),-44} {result.RequestsPerSecond,8:F0} {result.P50Ms,8:F1} {result.P95Ms,8:F1} {result.P99Ms,8:F1} {result.ErrorPercent,7:F2}% {memory.ResidentMiB(),8:F0}");
            }

            var plain = results["get-unaudited"] = await RunWrkAsync(script, unaudited.Url, "get", connections, duration);
            Console.WriteLine($"{"GET /api/v1/documents/{id}, reads not audited",-44} {plain.RequestsPerSecond,8:F0} {plain.P50Ms,8:F1} {plain.P95Ms,8:F1} {plain.P99Ms,8:F1} {plain.ErrorPercent,7:F2}%");

            Console.WriteLine();
            Console.WriteLine($"get / bare throughput: {results["get"].RequestsPerSecond / results["bare"].RequestsPerSecond:P0}; API peak resident memory {memory.PeakMiB():F0} MiB.");
            Console.WriteLine($"audited get / unaudited get throughput: {results["get"].RequestsPerSecond / plain.RequestsPerSecond:P0}; p95 {results["get"].P95Ms:F1} ms against {plain.P95Ms:F1} ms.");
        }
        finally
        {
            work.Delete(recursive: true);
            state.Delete(recursive: true);
        }
    }

    private static string Describe(string kind) => kind switch
    {
        "list" => "GET /api/v1/documents?limit=20",
        "get" => "GET /api/v1/documents/{id}",
        "create" => "POST /api/v1/documents",
        "search" => "GET /api/v1/search?q={word}&limit=20",
        _ => "bare: GET /bench/documents/{tenant}/{id}",
    };

    private sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, double ErrorPercent);

    private static async Task<WrkResult> RunWrkAsync(string script, Uri url, string kind, int connections, TimeSpan duration)
    {
        var run = await ProcessRunner.RunAsync("/usr/bin/wrk",
            [$"-t{Threads}", $"-c{connections}", $"-d{duration.TotalSeconds:F0}s", "--timeout", "10s", "-s", script, url.ToString().TrimEnd('/'), "--", kind],
            timeout: duration + TimeSpan.FromMinutes(1));
        var line = run.Output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result:\n{run}");
        var f = line["RESULT ".Length..].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var (requests, microseconds, errors) = (f[0], f[1], f[2] + f[3] + f[4] + f[5] + f[6]);
        return new WrkResult(requests / (microseconds / 1e6), f[7] / 1000, f[8] / 1000, f[9] / 1000, requests == 0 ? 100 : 100 * errors / requests);
    }

    private sealed record RunningApi(Process Process, Uri Url) : IDisposable
    {
        public void Dispose()
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            Process.Dispose();
        }
    }

    /// <summary>The API as a process of its own, configured as the AppHost configures it, plus the bare endpoint.</summary>
    private static async Task<RunningApi> StartApiAsync(AppModel model, string state, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(Path.GetDirectoryName(new Projects.Dms_Api().ProjectPath)!, "bin", "Release", "net10.0", "Dms.Api.dll");
        var provider = await model.ProviderAsync(CancellationToken.None);
        var url = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        // In its own folder, as a deployment runs it: that is where its appsettings.json (log levels) is found.
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__dms"] = await model.App.GetConnectionStringAsync("dms-app") ?? "",
            ["Dms__Identity__Authority"] = provider.Authority.ToString(),
            ["Dms__Identity__Audience"] = provider.ClientId,
            ["Dms__Identity__RequireHttpsMetadata"] = "false",
            ["Dms__Storage__FileSystem__Root"] = Path.Combine(state, "blobs"),
            ["Dms__Storage__FileSystem__SigningKey"] = (await File.ReadAllTextAsync(Path.Combine(state, "storage-signing-key"))).Trim(),
            ["Dms__Benchmark__BareEndpoint"] = "true",
            // What the API can serve, not what one tenant is allowed: the load is one tenant's.
            ["Dms__RateLimits__Default__TenantRequestsPerSecond"] = "1000000",
            ["Dms__RateLimits__Default__UserRequestsPerSecond"] = "1000000",
        }.Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The API did not start.");
        process.OutputDataReceived += (_, _) => { }; // drained, not kept: a line per request
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"api: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = url };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return new RunningApi(process, url);
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(500);
        }
    }

    /// <summary>
    /// One wrk script for every endpoint (chosen by the argument after <c>--</c>), picking ids and words at random.
    /// Search words are the 1,000th to 3,000th commonest: each is in roughly 0.4 to 1.2% of the documents, as a
    /// specific word is (the search benchmark measures the common ones).
    /// </summary>
    private static string Script(IReadOnlyList<Guid> ids, string[] words, string token)
    {
        var random = new Random(11);
        var sample = Enumerable.Range(0, 2000).Select(_ => ids[random.Next(ids.Count)]);
        var lua = new StringBuilder();
        lua.AppendLine($"local ids = {{{string.Join(",", sample.Select(id => $"\"{id}\""))}}}");
        lua.AppendLine($"local words = {{{string.Join(",", words.Skip(1000).Take(2000).Select(w => $"\"{w}\""))}}}");
        lua.AppendLine($"local tenant = \"{DemoIdentity.TenantId}\"");
        lua.AppendLine($"local auth = {{Authorization = \"Bearer {token}\"}}");
        lua.Append("""
            local json = {Authorization = auth.Authorization, ["Content-Type"] = "application/json"}
            local kind = "get"
            local counter = 0
            function init(args)
              kind = args[1]
              math.randomseed(os.time() + math.floor(os.clock() * 1000000))
            end
            function request()
              local id = ids[math.random(#ids)]
              if kind == "list" then return wrk.format("GET", "/api/v1/documents?limit=20", auth) end
              if kind == "get" then return wrk.format("GET", "/api/v1/documents/" .. id, auth) end
              if kind == "search" then return wrk.format("GET", "/api/v1/search?limit=20&q=" .. words[math.random(#words)], auth) end
              if kind == "create" then
                return wrk.format("POST", "/api/v1/documents", json, '{"fileName":"bench.txt","contentType":"text/plain","sizeBytes":1000}')
              end
              return wrk.format("GET", "/bench/documents/" .. tenant .. "/" .. id)
            end
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
                e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
            end

            """);
        return lua.ToString();
    }

}
