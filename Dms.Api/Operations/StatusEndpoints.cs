using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Operations;
using Dms.Persistence;
using Dms.Processing;
using Dms.Queue;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Outcomes = Dms.Operations.OperationEvents.UploadOutcomes;

namespace Dms.Api.Operations;

/// <summary>
/// <c>GET /api/v1/admin/status</c>: the runbook's Key Metrics table, computed now over a window. API latency and error
/// rate come from this process's own requests; upload and processing success from the operation events every
/// process writes to the database; dead letters from the queue.
/// </summary>
public static class StatusEndpoints
{
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.AddRequestTelemetry();
        builder.Services.AddCheckedOptions<StatusOptions>(StatusOptions.Section);
        return builder;
    }

    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/admin/status", GetAsync).WithName("GetStatus")
            .WithTags("Status (operator)")
            .WithSummary("The runbook's key metrics over a window (minutes, default 5): value, target, alert threshold and state OK / WARN / ALERT.")
            .RequireAuthorization(Policies.Operate);
        return endpoints;
    }

    private static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> GetAsync(
        RequestStatistics requests, DmsDbContext db, IJobQueue queue, IOptions<StatusOptions> options, TimeProvider time,
        CancellationToken cancellationToken, int? minutes = null)
    {
        var settings = options.Value;
        var window = minutes ?? settings.WindowMinutes;
        if (window < 1 || window > RequestStatistics.MaxWindow.TotalMinutes)
        {
            return Error.Invalid("minutes", $"minutes must be 1 to {RequestStatistics.MaxWindow.TotalMinutes}.").ToProblem();
        }

        var now = time.GetUtcNow();
        var api = requests.Summarize(TimeSpan.FromMinutes(window));
        var events = await db.CountEventsAsync(now.AddMinutes(-window), cancellationToken);
        var deadLetters = (await queue.GetDepthAsync(cancellationToken)).DeadLetters;
        long Count(string kind, string outcome) => events.GetValueOrDefault((kind, outcome));

        var uploadsCompleted = Count(OperationEvents.Upload, Outcomes.Completed);
        var uploadsEnded = uploadsCompleted + Count(OperationEvents.Upload, Outcomes.Failed) + Count(OperationEvents.Upload, Outcomes.Expired);
        var processed = Enum.GetValues<ProcessingOutcome>().ToDictionary(o => o, o => Count(OperationEvents.Processing, SnakeCaseNames<ProcessingOutcome>.ToName(o)));
        var processedOk = processed[ProcessingOutcome.Ready] + processed[ProcessingOutcome.Quarantined];
        var processedAll = processed.Values.Sum();

        MetricStatus[] metrics =
        [
            LowerIsBetter("API p95 latency", api.P95Ms, "ms", settings.ApiP95TargetMs, settings.ApiP95AlertMs,
                $"{api.Requests} requests to this API process"),
            LowerIsBetter("API error rate", Percent(api.ServerErrors, api.Requests), "%", settings.ErrorRateTargetPercent, settings.ErrorRateAlertPercent,
                $"{api.ServerErrors} of {api.Requests} requests answered 5xx"),
            HigherIsBetter("Upload success", Percent(uploadsCompleted, uploadsEnded), settings.UploadSuccessTargetPercent, settings.UploadSuccessAlertPercent,
                $"{uploadsCompleted} of {uploadsEnded} uploads completed ({uploadsEnded - uploadsCompleted} failed their check or expired)"),
            HigherIsBetter("Processing success", Percent(processedOk, processedAll), settings.ProcessingSuccessTargetPercent, settings.ProcessingSuccessAlertPercent,
                $"{processed[ProcessingOutcome.Ready]} ready, {processed[ProcessingOutcome.Quarantined]} quarantined, " +
                $"{processed[ProcessingOutcome.Failed]} failed, {processed[ProcessingOutcome.DeadLettered]} dead-lettered"),
            new MetricStatus("DLQ messages", deadLetters, "jobs", "0", $"> {settings.DeadLettersAlertAbove}",
                deadLetters > settings.DeadLettersAlertAbove ? MetricStates.Alert : MetricStates.Ok,
                deadLetters == 0 ? "no dead letters" : $"{deadLetters} jobs wait in the dead letters: dms dlq list"),
        ];
        var state = metrics.Any(m => m.State == MetricStates.Alert) ? MetricStates.Alert : metrics.Any(m => m.State == MetricStates.Warn) ? MetricStates.Warn : MetricStates.Ok;
        return TypedResults.Ok(new StatusResponse(now, window, state, metrics));
    }

    private static double? Percent(long part, long whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 2);

    private static MetricStatus LowerIsBetter(string name, double? value, string unit, double target, double alertAt, string detail) =>
        new(name, value, unit, $"< {target}", $"> {alertAt}", value is not { } v || v < target ? MetricStates.Ok : v > alertAt ? MetricStates.Alert : MetricStates.Warn,
            value is null ? "nothing measured in the window" : detail);

    private static MetricStatus HigherIsBetter(string name, double? value, double target, double alertAt, string detail) =>
        new(name, value, "%", $"> {target}", $"< {alertAt}", value is not { } v || v > target ? MetricStates.Ok : v < alertAt ? MetricStates.Alert : MetricStates.Warn,
            value is null ? "nothing measured in the window" : detail);
}
