using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Writes a health report as JSON: its status and when the checks ran, and with <c>details</c> one entry per check,
/// so an operator sees which dependency is down.
/// </summary>
public static class HealthReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable timestamps ("+00:00"); the body is JSON, never HTML
    };

    public static Task WriteAsync(HttpContext context, HealthReport report, DateTimeOffset checkedAt, bool details)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        object body = details ? new
        {
            status = report.Status.ToString(),
            checkedAt,
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            entries = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    description = entry.Value.Description ?? entry.Value.Exception?.Message,
                    durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                }),
        } : new { status = report.Status.ToString(), checkedAt };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }
}
