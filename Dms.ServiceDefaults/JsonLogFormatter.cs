using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>Logging:Console:FormatterName=dms-json</c>: one JSON object per line with the record's named fields at the top
/// level next to <c>timestamp</c>, <c>level</c> (error, warning, info, …), <c>category</c> and <c>message</c>, and
/// <c>error</c> / <c>exception</c> when an exception came with it. Where stdout is collected (ECS to CloudWatch Logs),
/// the runbook's log queries (<c>filter level = "error"</c>, <c>fields path, duration</c>, <c>fields documentId,
/// errorMessage</c>) read these fields as they are.
/// </summary>
public sealed class JsonLogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "dms-json";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow);
            json.WriteString("level", Level(entry.LogLevel));
            json.WriteString("category", entry.Category);
            json.WriteString("message", message);
            var fields = entry.State as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            foreach (var (key, value) in fields.Where(f => f.Key != "{OriginalFormat}"))
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }

            if (entry.Exception is { } exception)
            {
                if (fields.All(f => f.Key != "error"))
                {
                    json.WriteString("error", exception.Message);
                }

                json.WriteString("exception", exception.ToString());
            }

            if (Activity.Current is { } activity)
            {
                json.WriteString("traceId", activity.TraceId.ToHexString());
                json.WriteString("spanId", activity.SpanId.ToHexString());
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case double d when !double.IsFinite(d):
                json.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case int or long or short or byte or double or float or decimal:
                json.WriteRawValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!);
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
