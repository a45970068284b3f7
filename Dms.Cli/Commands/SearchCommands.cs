using System.CommandLine;
using System.Text.Json.Nodes;
using Dms.Cli.Output;
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
                    var query = $"batchSize={parse.GetValue(batchSize)}" + (parse.GetValue(tenant) is { } t ? $"&tenantId={t}" : "");
                    long processed = 0, indexed = 0;
                    async Task<JsonNode> BatchAsync(string? cursor) =>
                        await context.Api.PostAsync($"api/v1/admin/search/reindex?{query}{(cursor is null ? "" : $"&cursor={cursor}")}", null, token);

                    async Task RunAsync(Action<long, long> progress)
                    {
                        string? cursor = null;
                        do
                        {
                            var batch = await BatchAsync(cursor);
                            processed += batch["processed"]!.GetValue<long>();
                            indexed += batch["indexed"]!.GetValue<long>();
                            cursor = batch["nextCursor"]?.GetValue<string>();
                            progress(processed, processed + batch["remaining"]!.GetValue<long>());
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

                    var summary = new JsonObject { ["processed"] = processed, ["indexed"] = indexed };
                    context.Printer.Print(summary, () => Printer.Line($"Reindexed: went through {processed} documents, {indexed} are searchable."));
                }));
    }
}
