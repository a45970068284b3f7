using Dms.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Problems;

/// <summary>A use case's <see cref="Outcome{T}"/> as an endpoint's answer: its value turned into a response, or its error's problem.</summary>
public static class OutcomeResults
{
    public static Results<Ok<TResponse>, ProblemHttpResult> ToOk<T, TResponse>(this Outcome<T> outcome, Func<T, TResponse> response) =>
        outcome.Error is { } error ? error.ToProblem() : TypedResults.Ok(response(outcome.Value!));

    /// <param name="location">Where the created thing is read from.</param>
    public static Results<Created<TResponse>, ProblemHttpResult> ToCreated<T, TResponse>(
        this Outcome<T> outcome, Func<T, string> location, Func<T, TResponse> response) =>
        outcome.Error is { } error ? error.ToProblem() : TypedResults.Created(location(outcome.Value!), response(outcome.Value!));
}
