using System.Diagnostics;
using Dms.Contracts;

namespace Dms.Operations;

/// <summary>The pipeline's spans, on the activity source every Dms process reports under (the service defaults export it).</summary>
public static class Telemetry
{
    /// <summary>Spans of the pipeline: one per document processed, a child per step, parented on the request that queued it.</summary>
    public static readonly ActivitySource Source = new(TelemetryNames.Dms);

    /// <summary>The W3C trace context of the running span, to carry with a job to the worker.</summary>
    public static string? CurrentTraceParent => Activity.Current?.IdFormat == ActivityIdFormat.W3C ? Activity.Current.Id : null;

    /// <summary>Starts the span of one job, continuing the trace that <paramref name="traceParent"/> names (a new trace when it names none).</summary>
    public static Activity? StartJob(string name, string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Consumer, parent)
            : Source.StartActivity(name, ActivityKind.Consumer);
}
