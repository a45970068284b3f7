using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts.Http;
using Dms.Benchmarks;
using Dms.EndToEndTests;
using Dms.TestSupport;

// ./dms.sh bench pipeline [documents] [ocr-pages] [long-pdf-pages]
// Starts the whole system (the AppHost, as ./dms.sh run does, in a state folder of its own), ingests a generated
// corpus through the real API and worker, and prints what it measured.
// ./dms.sh bench search [documents] [tenants]: see SearchBenchmark.
if (args is ["search", ..])
{
    await SearchBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1_000_000, args.Length > 2 ? int.Parse(args[2]) : 20);
    return 0;
}

// ./dms.sh bench isolation [burst] [pause-seconds]: see IsolationBenchmark.
if (args is ["isolation", ..])
{
    await IsolationBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 2_000, TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2]) : 30));
    return 0;
}

// ./dms.sh bench api [documents] [connections] [seconds]: see ApiBenchmark.
if (args is ["api", ..])
{
    await ApiBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1]) : 100_000, args.Length > 2 ? int.Parse(args[2]) : 64, TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3]) : 15));
    return 0;
}

// ./dms.sh bench web [documents] [requests] [upload-mib]: see WebBenchmark.
if (args is ["web", ..])
{
    await WebBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1]) : 100_000, args.Length > 2 ? int.Parse(args[2]) : 50, (args.Length > 3 ? long.Parse(args[3]) : 1024) * 1024 * 1024);
    return 0;
}

if (args is not ["pipeline", ..])
{
    Console.Error.WriteLine(
        "usage: dms.sh bench pipeline [documents=300] [ocr-pages=20] [long-pdf-pages=200] | bench search [documents=1000000] [tenants=20] | bench api [documents=100000] [connections=64] [seconds=15] | bench isolation [burst=2000] [pause-seconds=30] | bench web [documents=100000] [requests=50] [upload-mib=1024]");
    return 2;
}

var documents = args.Length > 1 ? int.Parse(args[1]) : 300;
var ocrPages = args.Length > 2 ? int.Parse(args[2]) : 20;
var longPdfPages = args.Length > 3 ? int.Parse(args[3]) : 200;
var run = $"bench-{DateTime.UtcNow:HHmmss}";

Console.WriteLine($"Generating the corpus: {documents} one-page text PDFs, a {ocrPages}-page and a {longPdfPages}-page scanned PDF...");
var textPdfs = Enumerable.Range(0, documents).Select(i => SampleDocuments.TextPdf($"Benchmark document {i} of run {run}")).ToList();
var ocrPdf = await SampleDocuments.ScannedPdf([.. Enumerable.Range(1, ocrPages).Select(Page)]);
var longPdf = await SampleDocuments.ScannedPdf([.. Enumerable.Range(1, longPdfPages).Select(Page)]);

var state = AppModel.CreateStateDirectory();
Console.WriteLine("Starting the system (postgres, migrations, identity, scanner, api, worker)...");
// The benchmark measures what the system can do, not its rate limits: the editor's requests are let through.
await using (var model = await AppModel.StartAsync(state.FullName, CancellationToken.None,
    settings: ["--Dms:RateLimits:Default:TenantRequestsPerSecond=1000000", "--Dms:RateLimits:Default:UserRequestsPerSecond=1000000"]))
{
    using var editor = await model.SignInAsync("editor", CancellationToken.None);
    var worker = ProcessMemory.FindWorker(state.FullName);
    Console.WriteLine($"Worker process {worker.Pid}: {worker.ResidentMiB():F0} MiB resident at rest.");
    Console.WriteLine();

    await MeasureOneAtATimeAsync(editor, textPdfs.Take(20).ToList());
    await MeasureTextPdfsAsync(editor, textPdfs);
    await MeasureOcrAsync(editor, ocrPdf, ocrPages);
    await MeasureLongPdfAsync(editor, longPdf, longPdfPages, worker);
}

state.Delete(recursive: true);
return 0;

static string Page(int number) => $"Page {number} of the scanned benchmark file\nThe quick brown fox jumps over the lazy dog\nInvoice total 1234.56 due on 2026-12-31";

// Latency with nothing else going on: one document at a time, each waited for.
static async Task MeasureOneAtATimeAsync(HttpClient editor, IReadOnlyList<byte[]> pdfs)
{
    var latencies = new List<double>();
    foreach (var (pdf, i) in pdfs.Select((p, i) => (p, i)))
    {
        var completed = await DocumentUploads.UploadAsync(editor, pdf, $"single-{i}.pdf", "application/pdf", ["bench"]);
        var ready = await DocumentUploads.WaitForStatusAsync(editor, completed.Id, ["ready", "failed", "quarantined"], TimeSpan.FromMinutes(1));
        latencies.Add((ready.UpdatedAt - completed.UpdatedAt).TotalMilliseconds);
    }

    Console.WriteLine($"One-page text PDFs one at a time: {pdfs.Count}");
    Console.WriteLine($"  complete -> ready: p50 {Figures.Percentile(latencies, 50):F0} ms, p95 {Figures.Percentile(latencies, 95):F0} ms");
    Console.WriteLine();
}

// Throughput and latency of small documents: uploads from 8 clients at once, then wait for all to be ready.
static async Task MeasureTextPdfsAsync(HttpClient editor, IReadOnlyList<byte[]> pdfs)
{
    var started = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();
    var completed = new DocumentResponse[pdfs.Count];
    await Parallel.ForEachAsync(Enumerable.Range(0, pdfs.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
        completed[i] = await DocumentUploads.UploadAsync(editor, pdfs[i], $"bench-{i}.pdf", "application/pdf", ["bench"], token));
    var uploaded = clock.Elapsed;
    var ready = new DocumentResponse[pdfs.Count];
    for (var i = 0; i < pdfs.Count; i++)
    {
        ready[i] = await DocumentUploads.WaitForStatusAsync(editor, completed[i].Id, ["ready", "failed", "quarantined"], TimeSpan.FromMinutes(5));
    }

    // The server stamps each document when it turns ready; this machine's clock is the server's.
    var endToEnd = ready.Max(d => d.UpdatedAt) - started;
    var notReady = ready.Count(d => d.Status != "ready");
    var latencies = Enumerable.Range(0, pdfs.Count)
        .Select(i => (ready[i].UpdatedAt - completed[i].UpdatedAt).TotalMilliseconds)
        .ToList();
    Console.WriteLine($"One-page text PDFs: {pdfs.Count} ({notReady} not ready)");
    Console.WriteLine($"  uploaded (create + PUT + complete, 8 clients): {pdfs.Count / uploaded.TotalSeconds:F1} documents/s");
    Console.WriteLine($"  end to end (first create to last ready):      {pdfs.Count / endToEnd.TotalSeconds:F1} documents/s");
    Console.WriteLine($"  complete -> ready: p50 {Figures.Percentile(latencies, 50):F0} ms, p95 {Figures.Percentile(latencies, 95):F0} ms, max {latencies.Max():F0} ms");
    Console.WriteLine();
}

// OCR seconds per page in the pipeline, next to tesseract run by hand on the same pages.
static async Task MeasureOcrAsync(HttpClient editor, byte[] pdf, int pages)
{
    // First the bare CLI on the same pages, rendered as the worker renders them (300 dpi, grey), as many at a time as the worker reads.
    var images = await SampleDocuments.RenderPagesAsync(pdf, 300);
    var folder = Directory.CreateTempSubdirectory("dms-bench-");
    var files = new List<string>();
    for (var i = 0; i < images.Count; i++)
    {
        files.Add(Path.Combine(folder.FullName, $"page-{i}.png"));
        await File.WriteAllBytesAsync(files[^1], images[i]);
    }

    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (file, _) =>
    {
        var result = await ProcessRunner.RunAsync("tesseract", [file, "stdout", "-l", "eng"], new Dictionary<string, string> { ["OMP_THREAD_LIMIT"] = "1" });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }
    });
    var rawPerPage = clock.Elapsed.TotalSeconds / pages;
    folder.Delete(recursive: true);

    // Then the pipeline, with tesseract and its language data as warm as they were for the bare run.
    var completed = await DocumentUploads.UploadAsync(editor, pdf, "ocr.pdf", "application/pdf", ["bench"]);
    var id = completed.Id;
    await DocumentUploads.WaitForStatusAsync(editor, id, ["ready", "failed", "quarantined"], TimeSpan.FromMinutes(10));
    var steps = await editor.GetFromJsonAsync<JsonElement[]>($"/api/v1/documents/{id}/processing");
    var extract = steps!.Single(s => s.GetProperty("step").GetString() == "extract");
    var pipelinePerPage = extract.GetProperty("durationMs").GetInt64() / 1000.0 / pages;

    Console.WriteLine($"OCR, a {pages}-page scanned PDF ({Environment.ProcessorCount} pages at a time):");
    Console.WriteLine($"  pipeline (render + tesseract): {pipelinePerPage:F2} s/page");
    Console.WriteLine($"  bare tesseract CLI:            {rawPerPage:F2} s/page");
    Console.WriteLine($"  ratio:                         {pipelinePerPage / rawPerPage:F2}");
    Console.WriteLine();
}

// Worker memory while it reads a long scanned PDF: sampled every 200 ms from /proc.
static async Task MeasureLongPdfAsync(HttpClient editor, byte[] pdf, int pages, ProcessMemory worker)
{
    var before = worker.ResidentMiB();
    var completed = await DocumentUploads.UploadAsync(editor, pdf, "long.pdf", "application/pdf", ["bench"]);
    var id = completed.Id;
    var samples = new List<(TimeSpan At, double MiB)>();
    var clock = Stopwatch.StartNew();
    string? status;
    do
    {
        samples.Add((clock.Elapsed, worker.ResidentMiB()));
        await Task.Delay(200);
        status = (await editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}")).GetProperty("status").GetString();
    }
    while (status is not ("ready" or "failed" or "quarantined") && clock.Elapsed < TimeSpan.FromMinutes(30));

    var quarter = samples.Count / 4;
    Console.WriteLine($"Worker memory on a {pages}-page scanned PDF ({pdf.Length / 1048576.0:F1} MiB), {status} after {clock.Elapsed.TotalSeconds:F0} s ({clock.Elapsed.TotalSeconds / pages:F2} s/page end to end):");
    Console.WriteLine($"  before {before:F0} MiB, peak {samples.Max(s => s.MiB):F0} MiB");
    Console.WriteLine($"  by quarter of the run: {string.Join(", ", samples.Chunk(Math.Max(1, quarter)).Take(4).Select(c => $"{c.Max(s => s.MiB):F0}"))} MiB (peak in each)");
}
