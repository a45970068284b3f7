using System.Globalization;
using System.Text.Json;
using Dms.Contracts.Client;
using Spectre.Console;

namespace Dms.Cli.Output;

/// <summary>Tables for people, JSON (<c>--json</c>) for scripts: every command prints through here.</summary>
public sealed class Printer(bool json)
{
    private static readonly JsonSerializerOptions Indented = new(DmsApiClient.Json) { WriteIndented = true };

    static Printer()
    {
        // Piped output has no terminal width: keep rows on one line rather than wrapping at 80 columns.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 200;
        }
    }

    public bool Json => json;

    /// <summary>With <c>--json</c>, the API's answer as the contract writes it; otherwise <paramref name="forPeople"/>.</summary>
    public void Print<T>(T answer, Action forPeople)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(answer, Indented));
        }
        else
        {
            forPeople();
        }
    }

    public static void Table<T>(IEnumerable<T> rows, params (string Header, Func<T, string> Cell)[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(header);
        }

        foreach (var row in rows)
        {
            table.AddRow(columns.Select(c => new Markup(Markup.Escape(c.Cell(row)))).ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>One object as label / value rows.</summary>
    public static void Fields(params (string Label, string Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (label, value) in fields)
        {
            grid.AddRow(new Markup($"[bold]{Markup.Escape(label)}[/]"), new Markup(Markup.Escape(value)));
        }

        AnsiConsole.Write(grid);
    }

    public static void Line(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

    /// <summary>An address to open, on a line of its own and never wrapped: a terminal or a script takes it whole.</summary>
    public static void Address(string address) => Console.Out.WriteLine($"  {address}");

    /// <summary>A value as a cell shows it: nothing for null, times in UTC, numbers without the machine's culture.</summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var size = (double)bytes;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{size:0.##} {units[unit]}");
    }
}
