using Dms.Contracts;
using System.Diagnostics;
using Aspire.Hosting.Testing;
using Dms.AppHost.Identity;
using Dms.EndToEndTests;
using Microsoft.Playwright;
using Npgsql;

namespace Dms.Benchmarks;

/// <summary>
/// <c>./dms.sh bench web</c>: the web app's pages on a large tenant, and a large upload from a browser. The system
/// starts as <c>./dms.sh run</c> starts it (a state folder of its own); the demo tenant gets a generated corpus of
/// ready, indexed documents; the demo editor signs in with Chromium, and with the browser's session cookie each page
/// is asked for one request at a time (the time a person waits for it, rendered by the web server after its calls to
/// the API; through Aspire's proxy, as a browser gets it). Then the browser uploads one large file from disk on the
/// Upload page while the web server's and the API's resident memory are sampled: the bytes go from the browser to the
/// signed upload URL, never through the web server.
/// </summary>
public static class WebBenchmark
{
    public static async Task RunAsync(int documents, int requests, long uploadBytes)
    {
        var state = AppModel.CreateStateDirectory();
        var work = Directory.CreateTempSubdirectory("dms-bench-web-");
        try
        {
            Console.WriteLine("Starting the system (postgres, migrations, identity, scanner, api, worker, web)...");
            await using var model = await AppModel.StartAsync(state.FullName, CancellationToken.None,
                settings: ["--Dms:RateLimits:Default:TenantRequestsPerSecond=1000000", "--Dms:RateLimits:Default:UserRequestsPerSecond=1000000"]);
            await using var owner = NpgsqlDataSource.Create(await model.App.GetConnectionStringAsync("postgres") ?? throw new InvalidOperationException("No database."));
            Console.WriteLine($"Loading {documents:N0} documents of {Corpus.WordsPerDocument} words into the demo tenant...");
            var words = Corpus.Vocabulary();
            var ids = await Corpus.LoadAsync(owner, words, [DemoIdentity.TenantId], documents);
            var (due, amount, invoice, priority) = await DescribeAsync(owner);

            var web = model.App.GetEndpoint("web", "http");
            await using var browser = await WebBrowser.LaunchAsync("bench-web");
            var page = await browser.NewPageAsync(web);
            await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await page.GetByLabel("E-mail address").FillAsync("editor@demo.dms.local");
            await page.GetByLabel("Password").FillAsync(DemoIdentity.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

            using var http = new HttpClient { BaseAddress = web };
            http.DefaultRequestHeaders.Add("Cookie", string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}")));
            (string Name, string Path)[] pages =
            [
                ("documents, newest first (50 a page)", "/documents"),
                ("documents, oldest first", "/documents?order=oldest"),
                ("documents with one tag (a tenth of them)", "/documents?tag=tag3"),
                ($"search, a common word ({words[0]})", $"/search?q={words[0]}"),
                ($"search, a rare word ({words[^1]})", $"/search?q={words[^1]}"),
                ($"search, two words", $"/search?q={words[1]}+{words[2]}"),
                ("documents of a type (a third of them)", $"/documents?documentType={invoice}"),
                ("a date field's range (a fifth of them)", $"/documents?ff={due}&fo=gte&fv=2026-03-01&ff={due}&fo=lt&fv=2026-07-01"),
                ("a date range and an amount at least (rare)", $"/documents?documentType={invoice}&ff={due}&fo=lt&fv=2026-03-01&ff={amount}&fo=gte&fv=EUR9900"),
                ("a date field's range, by that date", $"/documents?ff={due}&fo=gte&fv=2026-03-01&ff={due}&fo=lt&fv=2026-07-01&order=field:{due}"),
                ("an amount at least (a tenth), by due date", $"/documents?ff={amount}&fo=gte&fv=EUR9000&order=-field:{due}"),
                ("every document by due date, latest first", $"/documents?order=-field:{due}"),
                ($"search, a rare word, narrowed to a choice", $"/search?q={words[^1]}&field={priority}:eq:high"),
                ($"search, a common word, narrowed to a choice", $"/search?q={words[0]}&field={priority}:eq:high"),
                ("search, a choice's value alone (priority:high)", "/search?q=priority:high"),
                // What an open page's script asks every 1.5 s while any document it shows is in the pipeline.
                ("live statuses of 50 documents (one poll)", $"/documents/statuses?ids={string.Join(',', ids.Take(50))}"),
            ];
            Console.WriteLine();
            Console.WriteLine($"{requests} requests each, one at a time, {documents:N0} documents in the tenant:");
            Console.WriteLine($"{"page",-48} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
            foreach (var (name, path) in pages)
            {
                var timings = new List<double>();
                for (var i = 0; i < requests + 5; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync(path);
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || body.Contains("role=\"alert\"", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"{path} answered {(int)response.StatusCode} or showed a problem.");
                    }

                    if (i >= 5)
                    {
                        timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds); // the first five warm up
                    }
                }

                Console.WriteLine($"{name,-48} {Figures.Percentile(timings, 50),8:F1} {Figures.Percentile(timings, 95),8:F1} {timings.Max(),8:F1}");
            }

            await UploadAsync(model, page, work, uploadBytes);
        }
        finally
        {
            work.Delete(recursive: true);
            state.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Describes the tenant's documents as a team would: a third are invoices, every one has a due date spread over two
    /// years, an amount in euros up to 10,000 and a priority of three (values in the typed, indexed columns the API
    /// writes); their search entries are given the keys those make, as the API's edits would.
    /// </summary>
    private static async Task<(Guid Due, Guid Amount, Guid Invoice, Guid Priority)> DescribeAsync(NpgsqlDataSource owner)
    {
        var (due, amount, invoice, priority) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Guid[] options = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var choices = System.Text.Json.JsonSerializer.Serialize(options.Zip(["high", "medium", "low"], (id, label) => new { id, label }));
        var clock = Stopwatch.StartNew();
        await using var command = owner.CreateCommand($"""
            INSERT INTO custom_fields (id, tenant_id, name, kind, options, created_at) VALUES
                ('{due}', '{DemoIdentity.TenantId}', 'due', 'date', '[]', now()),
                ('{amount}', '{DemoIdentity.TenantId}', 'amount', 'monetary', '[]', now()),
                ('{priority}', '{DemoIdentity.TenantId}', 'priority', 'select',
                 '{choices}', now());
            INSERT INTO document_types (id, tenant_id, name, created_at) VALUES ('{invoice}', '{DemoIdentity.TenantId}', 'Invoice', now());
            UPDATE documents SET document_type_id = '{invoice}' WHERE tenant_id = '{DemoIdentity.TenantId}' AND abs(hashtext(id::text)) % 3 = 0;
            INSERT INTO field_values (tenant_id, document_id, field_id, kind, date_value)
                SELECT tenant_id, id, '{due}', 'date', date '2026-01-01' + abs(hashtext(id::text)) % 730 FROM documents WHERE tenant_id = '{DemoIdentity.TenantId}';
            INSERT INTO field_values (tenant_id, document_id, field_id, kind, number_value, currency)
                SELECT tenant_id, id, '{amount}', 'monetary', (abs(hashtext(id::text || 'a')) % 1000000) / 100.0, 'EUR' FROM documents WHERE tenant_id = '{DemoIdentity.TenantId}';
            INSERT INTO field_values (tenant_id, document_id, field_id, kind, option_ids)
                SELECT tenant_id, id, '{priority}', 'select', ARRAY[(ARRAY['{options[0]}', '{options[1]}', '{options[2]}']::uuid[])[1 + abs(hashtext(id::text || 'p')) % 3]]
                FROM documents WHERE tenant_id = '{DemoIdentity.TenantId}';
            SET {DatabaseNames.CrossTenantSetting} = 'on';
            UPDATE search_entries e SET keys = k.keys, vector = e.vector || array_to_tsvector(k.keys)
                FROM (SELECT document_id, dms_document_keys(document_id) AS keys FROM search_entries WHERE tenant_id = '{DemoIdentity.TenantId}') k
                WHERE k.document_id = e.document_id;
            RESET {DatabaseNames.CrossTenantSetting};
            ANALYZE documents; ANALYZE field_values; ANALYZE search_entries;
            """);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
        Console.WriteLine($"Described them (a type, a due date, an amount and a priority each) in {clock.Elapsed.TotalSeconds:F0} s.");
        return (due, amount, invoice, priority);
    }

    private static async Task UploadAsync(AppModel model, IPage page, DirectoryInfo work, long bytes)
    {
        // Random bytes under a name the type list accepts: the upload is what is measured, not what the pipeline makes of it.
        var file = Path.Combine(work.FullName, "large-upload.txt");
        await using (var stream = File.Create(file))
        {
            var block = new byte[4 * 1024 * 1024];
            Random.Shared.NextBytes(block);
            for (long written = 0; written < bytes; written += block.Length)
            {
                await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, bytes - written)));
            }
        }

        var webServer = new ProcessMemory(Pid(model, "web"));
        var api = new ProcessMemory(Pid(model, "api"));
        await page.GotoAsync("/upload", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var (webBefore, apiBefore) = (webServer.ResidentMiB(), api.ResidentMiB());
        var (webPeak, apiPeak) = (webBefore, apiBefore);
        Console.WriteLine();
        Console.WriteLine($"Uploading {bytes / (1024.0 * 1024 * 1024):F2} GiB from the browser (web server process {webServer.Pid}, API process {api.Pid})...");
        var started = Stopwatch.GetTimestamp();
        await page.Locator("dms-upload input[type=file]").First.SetInputFilesAsync(file);
        var row = page.Locator(".uploads li").Filter(new() { HasText = "large-upload.txt" });
        var done = row.GetByRole(AriaRole.Link, new() { Name = "Open" });
        while (!await done.IsVisibleAsync() && !await row.Locator(".problem:not(:empty)").IsVisibleAsync())
        {
            (webPeak, apiPeak) = (Math.Max(webPeak, webServer.ResidentMiB()), Math.Max(apiPeak, api.ResidentMiB()));
            await Task.Delay(100);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!await done.IsVisibleAsync())
        {
            throw new InvalidOperationException($"The upload was refused: {await row.Locator(".problem").TextContentAsync()}");
        }

        Console.WriteLine($"{"",-24} {"before MiB",10} {"peak MiB",10} {"growth MiB",10}");
        Console.WriteLine($"{"web server",-24} {webBefore,10:F0} {webPeak,10:F0} {webPeak - webBefore,10:F0}");
        Console.WriteLine($"{"API (receives the bytes)",-24} {apiBefore,10:F0} {apiPeak,10:F0} {apiPeak - apiBefore,10:F0}");
        Console.WriteLine($"Sent and completed in {seconds:F1} s ({bytes / (1024.0 * 1024) / seconds:F0} MiB/s).");
    }

    /// <summary>The process of a resource as the app model started it.</summary>
    private static int Pid(AppModel model, string resource) =>
        model.App.ResourceNotifications.TryGetCurrentState(resource, out var current)
        && current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
            ? Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"The {resource} process was not found.");
}
