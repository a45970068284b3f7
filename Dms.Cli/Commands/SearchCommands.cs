using System.CommandLine;
using Dms.Cli.Output;
using Dms.Contracts.Http;
using Spectre.Console;

namespace Dms.Cli.Commands;

/// <summary><c>dms search reindex</c>: rebuilds the search index from stored text in batches, with a progress bar.</summary>
public static class SearchCommands
{
    public static Command Create()
    {
        var tenant = new Option<Guid?>("--tenant") { Description = "Only this tenant's documents (default: everyone's)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Documents a batch (1 to 5000); each is its own short transaction.", DefaultValueFactory = _ => 500 };
        return new Command("search", "The search index.").With(
            new Command("reindex", "Rebuilds the index (after changing search settings, or to repair it); searches go on meanwhile.")
                .With(tenant, batchSize).WithBody(async (parse, context, token) =>
                {
                    long processed = 0, indexed = 0;
                    Task<ReindexProgress> BatchAsync(Guid? cursor) =>
                        context.Api.CallAsync(api => api.ReindexAsync(parse.GetValue(tenant), cursor, parse.GetValue(batchSize), token));

                    async Task RunAsync(Action<long, long> progress)
                    {
                        Guid? cursor = null;
                        do
                        {
                            var batch = await BatchAsync(cursor);
                            processed += batch.Processed;
                            indexed += batch.Indexed;
                            cursor = batch.NextCursor;
                            progress(processed, processed + batch.Remaining);
                        }
                        while (cursor is not null);
                    }

                    if (context.Printer.Json || Console.IsOutputRedirected)
                    {
                        await RunAsync((_, _) => { });
                    }
                    else
                    {
                        await AnsiConsole.Progress().StartAsync(async progress =>
                        {
                            var bar = progress.AddTask("Reindexing", maxValue: 1);
                            await RunAsync((done, total) =>
                            {
                                bar.MaxValue = Math.Max(total, 1);
                                bar.Value = done;
                            });
                        });
                    }

                    var summary = new { processed, indexed };
                    context.Printer.Print(summary, () => Printer.Line($"Reindexed: went through {processed} documents, {indexed} are searchable."));
                }));
    }
}
