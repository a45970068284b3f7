using Dms.Adapters;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Queue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.DeadLetters;

/// <summary>
/// The runbook's "messages in dead letter queue" task for operators: review each job's error, fix the cause, then
/// redrive (the worker takes the job again) or purge.
/// </summary>
public static class DeadLettersEndpoints
{
    public const int MaxListed = 1000;

    public static IHostApplicationBuilder AddDeadLetters(this IHostApplicationBuilder builder)
    {
        builder.AddJobQueue();
        return builder;
    }

    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder endpoints)
    {
        var letters = endpoints.MapGroup("/api/v1/admin/dead-letters").WithTags("Dead letters (operator)").RequireAuthorization(Policies.Operate);
        letters.MapGet("/", ListAsync).WithName("ListDeadLetters").WithSummary("Jobs that gave up: document, tenant, error, attempts and when.");
        letters.MapPost("/redrive", RedriveAllAsync).WithName("RedriveAllDeadLetters").WithSummary("Puts every dead letter back on the queue.");
        letters.MapPost("/{id}/redrive", RedriveAsync).WithName("RedriveDeadLetter").WithSummary("Puts one dead letter back on the queue.");
        letters.MapDelete("/", PurgeAllAsync).WithName("PurgeAllDeadLetters").WithSummary("Deletes every dead letter; their documents stay failed.");
        letters.MapDelete("/{id}", PurgeAsync).WithName("PurgeDeadLetter").WithSummary("Deletes one dead letter; its document stays failed.");
        return endpoints;
    }

    private static async Task<Results<Ok<List<DeadLetterResponse>>, ProblemHttpResult>> ListAsync(
        IJobQueue queue, CancellationToken cancellationToken, int limit = 100)
    {
        if (limit is < 1 or > MaxListed)
        {
            return Error.Invalid("limit", $"limit must be 1 to {MaxListed}.").ToProblem();
        }

        var letters = await queue.ListDeadLettersAsync(limit, cancellationToken);
        return TypedResults.Ok(letters.Select(d => new DeadLetterResponse(d.Id, d.Message.TenantId, d.Message.DocumentId, d.Message.Version, d.Attempts, d.Error, d.DeadLetteredAt)).ToList());
    }

    private static async Task<Ok<CountResponse>> RedriveAllAsync(IJobQueue queue, AuditTrail audit, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CountResponse(await AuditedAsync(null, AuditActions.DeadLetterRedriven, queue, audit, () => queue.RedriveAsync(null, cancellationToken), cancellationToken)));

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> RedriveAsync(string id, IJobQueue queue, AuditTrail audit, CancellationToken cancellationToken) =>
        Found(await AuditedAsync(id, AuditActions.DeadLetterRedriven, queue, audit, () => queue.RedriveAsync(id, cancellationToken), cancellationToken));

    private static async Task<Ok<CountResponse>> PurgeAllAsync(IJobQueue queue, AuditTrail audit, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CountResponse(await AuditedAsync(null, AuditActions.DeadLetterPurged, queue, audit, () => queue.PurgeAsync(null, cancellationToken), cancellationToken)));

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> PurgeAsync(string id, IJobQueue queue, AuditTrail audit, CancellationToken cancellationToken) =>
        Found(await AuditedAsync(id, AuditActions.DeadLetterPurged, queue, audit, () => queue.PurgeAsync(id, cancellationToken), cancellationToken));

    /// <summary>Does <paramref name="act"/> and records it in the audit trail of each dead letter's tenant, naming its document.</summary>
    private static async Task<int> AuditedAsync(string? id, string action, IJobQueue queue, AuditTrail audit, Func<Task<int>> act, CancellationToken cancellationToken)
    {
        var letters = (await queue.ListDeadLettersAsync(MaxListed, cancellationToken)).Where(d => id is null || d.Id == id).ToList();
        var count = await act();
        if (count > 0)
        {
            foreach (var letter in letters)
            {
                await audit.RecordAsync(letter.Message.TenantId, action, AuditOutcomes.Succeeded, letter.Message.DocumentId, new { deadLetter = letter.Id, letter.Error });
            }
        }

        return count;
    }

    private static Results<Ok<CountResponse>, ProblemHttpResult> Found(int count) =>
        count == 0 ? Error.NotFound("The dead letter").ToProblem() : TypedResults.Ok(new CountResponse(count));
}
