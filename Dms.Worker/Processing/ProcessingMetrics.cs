using System.Diagnostics.Metrics;
using Dms.Contracts;
using Dms.Queue;

namespace Dms.Worker.Processing;

/// <summary>The runbook's "processing success" and "DLQ messages" rows, on the <c>Dms</c> meter.</summary>
public sealed class ProcessingMetrics
{
    private readonly Counter<long> _completed;
    private readonly Histogram<double> _duration;
    private static readonly KeyValuePair<string, object?> Processing = new("queue", "processing");
    private QueueDepth _depth = new(0, 0);

    public ProcessingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.Dms);
        _completed = meter.CreateCounter<long>("dms.processing.completed", "{document}", "Documents that finished processing, by outcome.");
        _duration = meter.CreateHistogram<double>("dms.processing.duration", "s", "Time each pipeline step took, by step.");
        // Named by their queue, so each has a dimension in CloudWatch (its alarms and the worker's scaling read them there).
        meter.CreateObservableGauge("dms.queue.depth", () => new Measurement<long>(Volatile.Read(ref _depth).Waiting, Processing), "{job}",
            "Jobs waiting or running (on SQS with those still in the outbox).");
        meter.CreateObservableGauge("dms.queue.dead_letters", () => new Measurement<long>(Volatile.Read(ref _depth).DeadLetters, Processing), "{job}",
            "Jobs that gave up and wait for an operator.");
    }

    public void Completed(string outcome) => _completed.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void StepTook(string step, TimeSpan duration) => _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("step", step));

    public void QueueMeasured(QueueDepth depth) => Volatile.Write(ref _depth, depth);
}
