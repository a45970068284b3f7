using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Dms.Contracts.Http;
using Dms.EndToEndTests;
using Dms.TestSupport;
using Npgsql;

namespace Dms.Benchmarks;

/// <summary>
/// <c>./dms.sh bench isolation</c>: one tenant (A) attacks the shared system while another (B) keeps uploading ordinary
/// one-page PDFs, on the whole system started as <c>./dms.sh run</c> does, with its default limits. Phase 1: a hostile
/// corpus generated here goes through A; phase 2: a burst of documents from A; phase 3: A floods the API with cheap
/// requests; phase 4: the database is paused (SIGSTOP) while B's requests go on. Prints the worker's peak memory, each
/// hostile file's end, B's complete → ready latency in each phase, how A's burst and flood were limited while B's
/// requests went through, and the API's answers during the pause.
/// </summary>
public static class IsolationBenchmark
{
    private static readonly string[] EndStates = ["ready", "failed", "quarantined"];

    public static async Task RunAsync(int burst, TimeSpan pause)
    {
        Console.WriteLine("Generating the hostile corpus...");
        var corpus = HostileCorpus();
        var state = AppModel.CreateStateDirectory();
        Console.WriteLine("Starting the system (postgres, migrations, identity, scanner, api, worker)...");
        await using (var model = await AppModel.StartAsync(state.FullName, CancellationToken.None))
        {
            using var b = await model.SignInAsync("editor", CancellationToken.None);
            using var a = await SignInNewTenantAsync(model);
            var worker = ProcessMemory.FindWorker(state.FullName);
            Console.WriteLine($"Worker process {worker.Pid}: {worker.ResidentMiB():F0} MiB resident at rest.");
            Console.WriteLine();

            await using (var flow = TenantBFlow.Start(b))
            {
                await HostileFilesAsync(a, corpus);
                Report("B while A's hostile files ran", await flow.StopAsync());
            }

            Console.WriteLine($"Worker peak resident memory so far: {worker.PeakMiB():F0} MiB (target: under 1,024 MiB)");
            Console.WriteLine();

            await using (var flow = TenantBFlow.Start(b))
            {
                await BurstAsync(a, burst);
                Report($"B while A's burst of {burst} documents was queued and processed", await flow.StopAsync());
            }

            Console.WriteLine();
            await FloodAsync(a, b, TimeSpan.FromSeconds(15));
            Console.WriteLine();
            await PauseDatabaseAsync(model, b, pause);
            Console.WriteLine($"Worker peak resident memory: {worker.PeakMiB():F0} MiB (target: under 1,024 MiB); the worker process is {(Process.GetProcesses().Any(p => p.Id == worker.Pid) ? "still running" : "GONE")}.");
        }

        state.Delete(recursive: true);
    }

    /// <summary>Every kind of hostile file, small to send and large (or slow) to read.</summary>
    private static List<(string Name, string Type, byte[] Bytes)> HostileCorpus()
    {
        const string docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        var nested = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>deep</w:t></w:r></w:p>"
            + string.Concat(Enumerable.Repeat("<w:sdt><w:sdtContent>", 200_000)) + string.Concat(Enumerable.Repeat("</w:sdtContent></w:sdt>", 200_000)) + "</w:body></w:document>";
        return
        [
            ("zip-bomb.docx", docx, HostileFiles.ZipBomb(("word/document.xml", 2L << 30))),
            ("zip-bomb.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", HostileFiles.ZipBomb(("xl/workbook.xml", 1L << 10), ("xl/worksheets/sheet1.xml", 1L << 30))),
            ("zip-bomb.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", HostileFiles.ZipBomb(("ppt/presentation.xml", 1L << 10), ("ppt/slides/slide1.xml", 1L << 30))),
            ("nested-xml.docx", docx, DocxWithDocument(nested)),
            ("flate-bomb.pdf", "application/pdf", HostileFiles.FlateBombPdf(1L << 30)),
            ("pixel-bomb.png", "image/png", HostileFiles.PngHeader(30_000, 30_000)),
            ("pixel-bomb.jpg", "image/jpeg", HostileFiles.JpegHeader(60_000, 60_000)),
            ("pixel-bomb.tiff", "image/tiff", HostileFiles.TiffHeader(100_000, 100_000)),
            ("huge-pages.pdf", "application/pdf", HostileFiles.EmptyPagesPdf(pages: 2, points: 9_600)),
            ("backtracking.html", "text/html", Encoding.UTF8.GetBytes("<html><body><p>Before</p>" + string.Concat(Enumerable.Repeat("<script ", 131_072)))),
            ("2-GB.txt", "text/plain", LongText(2_000_000_000)),
            ("3000-pages.pdf", "application/pdf", SampleDocuments.TextPdf([.. Enumerable.Range(1, 3000).Select(i => $"Page {i} of the long report")])),
        ];
    }

    private static async Task HostileFilesAsync(HttpClient a, List<(string Name, string Type, byte[] Bytes)> corpus)
    {
        Console.WriteLine("Phase 1: tenant A's hostile files (all at once), tenant B uploading one-page PDFs meanwhile");
        var results = await Task.WhenAll(corpus.Select(async file =>
        {
            try
            {
                var completed = await DocumentUploads.UploadAsync(a, file.Bytes, file.Name, file.Type);
                var end = await DocumentUploads.WaitForStatusAsync(a, completed.Id, EndStates, TimeSpan.FromMinutes(15));
                var took = end.UpdatedAt - completed.UpdatedAt;
                var reason = end.FailureReason ?? "";
                return $"  {file.Name,-18} {file.Bytes.Length / 1024.0 / 1024.0,8:F1} MiB  {end.Status,-11} after {took.TotalSeconds,6:F1} s  {reason}";
            }
            catch (Exception e)
            {
                return $"  {file.Name,-18} {file.Bytes.Length / 1024.0 / 1024.0,8:F1} MiB  not accepted: {e.Message}";
            }
        }));
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }
    }

    private static async Task BurstAsync(HttpClient a, int count)
    {
        Console.WriteLine($"Phase 2: a burst of {count} documents from tenant A (32 clients, each honouring Retry-After), tenant B uploading meanwhile");
        var refused = new ConcurrentDictionary<string, int>();
        var accepted = 0;
        var clock = Stopwatch.StartNew();

        // A well-behaved client: a 429 or 503 is waited out for its Retry-After and sent again.
        async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken token)
        {
            while (true)
            {
                var response = await send();
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
                {
                    return response.EnsureSuccessStatusCode();
                }

                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(token);
                refused.AddOrUpdate($"{(int)response.StatusCode} {problem.GetProperty("type").GetString()?.Split('/')[^1]}", 1, (_, n) => n + 1);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), token);
                response.Dispose();
            }
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
        {
            var bytes = Encoding.UTF8.GetBytes($"Burst document {i} of tenant A");
            using var created = await SendAsync(() => a.PostAsJsonAsync("/api/v1/documents", new { fileName = $"burst-{i}.txt", contentType = "text/plain", sizeBytes = bytes.Length }, token), token);
            var body = await created.Content.ReadFromJsonAsync<JsonElement>(token);
            using var put = await a.SendAsync(new HttpRequestMessage(HttpMethod.Put, body.GetProperty("upload").GetProperty("url").GetString()) { Content = new ByteArrayContent(bytes) }, token);
            put.EnsureSuccessStatusCode();
            using var completed = await SendAsync(() => a.PostAsync($"/api/v1/documents/{body.GetProperty("document").GetProperty("id").GetGuid()}/complete", null, token), token);
            Interlocked.Increment(ref accepted);
        });
        var refusals = refused.IsEmpty ? "none" : string.Join(", ", refused.OrderBy(r => r.Key).Select(r => $"{r.Value} × {r.Key}"));
        Console.WriteLine($"  A: {accepted} documents queued in {clock.Elapsed.TotalSeconds:F1} s ({2.0 * accepted / clock.Elapsed.TotalSeconds:F0} accepted requests/s); refused and sent again after Retry-After: {refusals}");

        // B's measurement goes on while the worker processes A's burst, not only while A sends it.
        foreach (var status in new[] { "queued", "scanning", "extracting", "indexing" })
        {
            while ((await a.GetFromJsonAsync<JsonElement>($"/api/v1/documents?status={status}&limit=1")).GetProperty("documents").GetArrayLength() > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        Console.WriteLine($"  A: the burst was queued and processed in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>A floods cheap requests from many clients as fast as they are answered; B lists its documents meanwhile.</summary>
    private static async Task FloodAsync(HttpClient a, HttpClient b, TimeSpan length)
    {
        Console.WriteLine($"Phase 3: tenant A floods GET /api/v1/documents from 64 clients for {length.TotalSeconds:F0} s, tenant B lists its documents from 2 clients meanwhile");
        var answers = new ConcurrentBag<(bool FromA, HttpStatusCode Status, double Seconds)>();
        using var stop = new CancellationTokenSource(length);
        async Task LoopAsync(HttpClient client, bool fromA)
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync("/api/v1/documents?limit=5");
                answers.Add((fromA, response.StatusCode, clock.Elapsed.TotalSeconds));
                if (!fromA)
                {
                    await Task.Delay(100);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => LoopAsync(a, fromA: true)))
            .Concat(Enumerable.Range(0, 2).Select(_ => Task.Run(() => LoopAsync(b, fromA: false)))));
        foreach (var (fromA, who) in new[] { (true, "A"), (false, "B") })
        {
            var group = answers.Where(x => x.FromA == fromA).ToList();
            var statuses = string.Join(", ", group.GroupBy(x => x.Status).OrderBy(g => g.Key).Select(g => $"{(int)g.Key}: {g.Count() / length.TotalSeconds:F0}/s"));
            var answered = group.Where(x => x.Status == HttpStatusCode.OK).Select(x => x.Seconds * 1000).ToList();
            Console.WriteLine($"  {who}: {group.Count / length.TotalSeconds:F0} requests/s ({statuses}); answered 200 in p50 {Figures.Percentile(answered, 50):F0} ms, p95 {Figures.Percentile(answered, 95):F0} ms");
        }
    }

    private static async Task PauseDatabaseAsync(AppModel model, HttpClient b, TimeSpan pause)
    {
        Console.WriteLine($"Phase 4: the database paused (SIGSTOP) for {pause.TotalSeconds:F0} s while tenant B lists its documents from 4 clients");
        var postmaster = await PostmasterAsync(model);
        var answers = new ConcurrentBag<(HttpStatusCode Status, double Seconds, bool DuringPause)>();
        using var stop = new CancellationTokenSource();
        var paused = false;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var during = Volatile.Read(ref paused);
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await b.GetAsync("/api/v1/documents?limit=5");
                    answers.Add((response.StatusCode, clock.Elapsed.TotalSeconds, during));
                }
                catch (Exception)
                {
                    answers.Add((0, clock.Elapsed.TotalSeconds, during));
                }

                await Task.Delay(100);
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var processes = new[] { postmaster }.Concat(Children(postmaster)).ToArray();
        Signal("-STOP", processes);
        Volatile.Write(ref paused, true);
        await Task.Delay(pause);
        Signal("-CONT", processes);
        Volatile.Write(ref paused, false);
        await Task.Delay(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        foreach (var (during, title) in new[] { (true, "sent during the pause"), (false, "sent before and after it") })
        {
            var group = answers.Where(x => x.DuringPause == during).ToList();
            var statuses = string.Join(", ", group.GroupBy(x => x.Status).OrderBy(g => g.Key).Select(g => $"{(int)g.Key}: {g.Count()}"));
            Console.WriteLine($"  {title}: {group.Count} requests ({statuses}), slowest answer {group.Max(x => x.Seconds):F1} s (target: the 10 s deadline + 1 s; no 500)");
        }

        var last = answers.Where(x => !x.DuringPause).TakeLast(20).Count(x => x.Status == HttpStatusCode.OK);
        Console.WriteLine($"  after it resumed, the last requests answered 200: {last} of {Math.Min(20, answers.Count(x => !x.DuringPause))}");
    }

    private static async Task<int> PostmasterAsync(AppModel model)
    {
        await using var connection = new NpgsqlConnection(await model.App.GetConnectionStringAsync("dms-app"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        var parent = File.ReadLines($"/proc/{backend}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal));
        return int.Parse(parent["PPid:".Length..].Trim());
    }

    private static IEnumerable<int> Children(int process) =>
        File.ReadAllText($"/proc/{process}/task/{process}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);

    private static void Signal(string signal, int[] processes)
    {
        using var kill = Process.Start("kill", [signal, .. processes.Select(p => p.ToString())]);
        kill.WaitForExit();
    }

    private static void Report(string title, IReadOnlyList<double> latencies) =>
        Console.WriteLine(latencies.Count == 0
            ? $"  {title}: no document of B became ready"
            : $"  {title}: {latencies.Count} documents, complete -> ready p50 {Figures.Percentile(latencies, 50):F0} ms, p95 {Figures.Percentile(latencies, 95):F0} ms (target: p95 under 2,000 ms)");

    /// <summary>Tenant B's steady upload of one-page PDFs, one every half second, each followed to ready.</summary>
    private sealed class TenantBFlow : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentBag<double> _latencies = [];
        private readonly List<Task> _documents = [];
        private Task _loop = Task.CompletedTask;

        public static TenantBFlow Start(HttpClient b)
        {
            var flow = new TenantBFlow();
            flow._loop = flow.RunAsync(b);
            return flow;
        }

        private async Task RunAsync(HttpClient b)
        {
            var i = 0;
            while (!_stop.IsCancellationRequested)
            {
                var pdf = SampleDocuments.TextPdf($"Tenant B's ordinary document {i++}");
                var completed = await DocumentUploads.UploadAsync(b, pdf, $"b-{i}.pdf", "application/pdf");
                lock (_documents)
                {
                    _documents.Add(FollowAsync(b, completed));
                }

                await Task.Delay(500).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        private async Task FollowAsync(HttpClient b, DocumentResponse completed)
        {
            var end = await DocumentUploads.WaitForStatusAsync(b, completed.Id, EndStates, TimeSpan.FromMinutes(10));
            if (end.Status == "ready")
            {
                _latencies.Add((end.UpdatedAt - completed.UpdatedAt).TotalMilliseconds);
            }
        }

        public async Task<IReadOnlyList<double>> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            await Task.WhenAll(_documents);
            return [.. _latencies];
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _stop.Dispose();
        }
    }

    /// <summary>An operator makes tenant A and its editor; the editor signs in and sets a password, as a new user does.</summary>
    private static async Task<HttpClient> SignInNewTenantAsync(AppModel model)
    {
        var (username, password) = await model.CreateTenantUserAsync("Tenant A (hostile)", "editor", CancellationToken.None);
        return await model.SignInAsAsync(username, password, CancellationToken.None);
    }

    /// <summary>A Word file whose document part is <paramref name="document"/>.</summary>
    private static byte[] DocxWithDocument(string document)
    {
        using var source = new ZipArchive(new MemoryStream(SampleDocuments.Docx("template")), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var target = archive.CreateEntry(entry.FullName, CompressionLevel.SmallestSize).Open();
                if (entry.FullName == "word/document.xml")
                {
                    target.Write(Encoding.UTF8.GetBytes(document));
                }
                else
                {
                    using var from = entry.Open();
                    from.CopyTo(target);
                }
            }
        }

        return output.ToArray();
    }

    /// <summary>Lines of plain text, <paramref name="bytes"/> in all.</summary>
    private static byte[] LongText(int bytes)
    {
        var text = new byte[bytes];
        var line = "a line of a very long text file\n"u8;
        for (var at = 0; at < bytes; at += line.Length)
        {
            line[..Math.Min(line.Length, bytes - at)].CopyTo(text.AsSpan(at));
        }

        return text;
    }
}
