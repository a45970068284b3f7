using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Spectre.Console;

namespace Dms.Cli.Commands;

/// <summary><c>dms status</c> (the runbook's key metrics, computed by the API) and <c>dms health</c> (each dependency).</summary>
public static class StatusCommands
{
    public static Command Status()
    {
        var minutes = new Option<int?>("--minutes") { Description = "The window to measure over (1 to 60; default: the API's, 5)." };
        return new Command("status", "The runbook's key metrics now: value, target, alert threshold and OK / WARN / ALERT.")
            .With(minutes)
            .WithBody(async (parse, context, cancellationToken) =>
            {
                var window = parse.GetValue(minutes) is { } m ? $"?minutes={m}" : "";
                var status = await context.Api.GetAsync($"api/v1/admin/status{window}", cancellationToken);
                context.Printer.Print(status, () =>
                {
                    var table = new Table().Border(TableBorder.Rounded)
                        .Title($"Dms status over the last {status["windowMinutes"]} minutes: {Colour(Printer.Text(status["state"]))}")
                        .AddColumns("Metric", "Value", "Target", "Alert at", "State", "Detail");
                    foreach (var metric in status["metrics"]!.AsArray().OfType<JsonNode>())
                    {
                        var value = metric["value"] is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.GetValue<double>():0.##} {metric["unit"]}") : "–";
                        table.AddRow(
                            Markup.Escape(Printer.Text(metric["name"])), Markup.Escape(value), Markup.Escape(Printer.Text(metric["target"])),
                            Markup.Escape(Printer.Text(metric["alertAt"])), Colour(Printer.Text(metric["state"])), Markup.Escape(Printer.Text(metric["detail"])));
                    }

                    AnsiConsole.Write(table);
                });
            });
    }

    public static Command Health() =>
        new Command("health", "The API's health: one entry per dependency (database, queue, storage, search). Exits 1 when unhealthy.")
            .WithBody(async (_, context, cancellationToken) =>
            {
                var (code, health) = await context.Api.GetAnonymousAsync("health", cancellationToken);
                context.Printer.Print(health, () =>
                {
                    AnsiConsole.MarkupLine($"API {Markup.Escape(context.Session.ApiUrl)}: {Colour(Printer.Text(health["status"]))}");
                    Printer.Table(
                        (health["entries"] as JsonObject ?? []).Select(entry => (JsonNode?)new JsonObject
                        {
                            ["name"] = entry.Key,
                            ["status"] = entry.Value?["status"]?.DeepClone(),
                            ["description"] = entry.Value?["description"]?.DeepClone(),
                        }),
                        ("Dependency", e => Printer.Text(e["name"])), ("Status", e => Printer.Text(e["status"])), ("Description", e => Printer.Text(e["description"])));
                });
                if ((int)code >= 500)
                {
                    throw new CliException($"The API reports itself {Printer.Text(health["status"])}.");
                }
            });

    private static string Colour(string state) => state switch
    {
        "OK" or "Healthy" => $"[green]{state}[/]",
        "WARN" or "Degraded" => $"[yellow]{state}[/]",
        _ => $"[red]{Markup.Escape(state)}[/]",
    };
}
