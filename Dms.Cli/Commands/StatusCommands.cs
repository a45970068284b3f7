using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts.Http;
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
                var status = await context.Api.CallAsync(api => api.StatusAsync(parse.GetValue(minutes), cancellationToken));
                context.Printer.Print(status, () =>
                {
                    var table = new Table().Border(TableBorder.Rounded)
                        .Title($"Dms status over the last {status.WindowMinutes} minutes: {Colour(status.State)}")
                        .AddColumns("Metric", "Value", "Target", "Alert at", "State", "Detail");
                    foreach (var metric in status.Metrics)
                    {
                        var value = metric.Value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.##} {metric.Unit}") : "–";
                        table.AddRow(
                            Markup.Escape(metric.Name), Markup.Escape(value), Markup.Escape(metric.Target),
                            Markup.Escape(metric.AlertAt), Colour(metric.State), Markup.Escape(metric.Detail));
                    }

                    AnsiConsole.Write(table);
                });
            });
    }

    public static Command Health() =>
        new Command("health", "The API's health: one entry per dependency (database, queue, storage, search). Exits 1 when unhealthy.")
            .WithBody(async (_, context, cancellationToken) =>
            {
                var (code, health) = await context.Api.HealthAsync(cancellationToken);
                context.Printer.Print(health, () =>
                {
                    AnsiConsole.MarkupLine($"API {Markup.Escape(context.Session.ApiUrl)}: {Colour(Text(health["status"]))}");
                    Printer.Table(
                        (health["entries"] as JsonObject ?? []).Select(entry => (JsonNode?)new JsonObject
                        {
                            ["name"] = entry.Key,
                            ["status"] = entry.Value?["status"]?.DeepClone(),
                            ["description"] = entry.Value?["description"]?.DeepClone(),
                        }),
                        ("Dependency", e => Text(e!["name"])), ("Status", e => Text(e!["status"])), ("Description", e => Text(e!["description"])));
                });
                if ((int)code >= 500)
                {
                    throw new CliException($"The API reports itself {Text(health["status"])}.");
                }
            });

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "";

    private static string Colour(string state) => state switch
    {
        MetricStates.Ok or "Healthy" => $"[green]{state}[/]",
        MetricStates.Warn or "Degraded" => $"[yellow]{state}[/]",
        _ => $"[red]{Markup.Escape(state)}[/]",
    };
}
