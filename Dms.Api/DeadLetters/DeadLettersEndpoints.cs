using Dms.Adapters;
using Dms.Api.Identity;
using Dms.Api.Problems;
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

    private static async Task<Ok<CountResponse>> RedriveAllAsync(IJobQueue queue, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CountResponse(await queue.RedriveAsync(null, cancellationToken)));

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> RedriveAsync(string id, IJobQueue queue, CancellationToken cancellationToken) =>
        Found(await queue.RedriveAsync(id, cancellationToken));

    private static async Task<Ok<CountResponse>> PurgeAllAsync(IJobQueue queue, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CountResponse(await queue.PurgeAsync(null, cancellationToken)));

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> PurgeAsync(string id, IJobQueue queue, CancellationToken cancellationToken) =>
        Found(await queue.PurgeAsync(id, cancellationToken));

    private static Results<Ok<CountResponse>, ProblemHttpResult> Found(int count) =>
        count == 0 ? Error.NotFound("The dead letter").ToProblem() : TypedResults.Ok(new CountResponse(count));
}
