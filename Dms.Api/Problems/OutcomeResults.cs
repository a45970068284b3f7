using Dms.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Problems;

/// <summary>A use case's <see cref="Outcome{T}"/> as an endpoint's answer: its value turned into a response, or its error's problem.</summary>
public static class OutcomeResults
{
    public static Results<Ok<TResponse>, ProblemHttpResult> ToOk<T, TResponse>(this Outcome<T> outcome, Func<T, TResponse> response) =>
        outcome.Match<Results<Ok<TResponse>, ProblemHttpResult>>(value => TypedResults.Ok(response(value)), error => error.ToProblem());

    /// <param name="location">Where the created thing is read from.</param>
    public static Results<Created<TResponse>, ProblemHttpResult> ToCreated<T, TResponse>(
        this Outcome<T> outcome, Func<T, string> location, Func<T, TResponse> response) =>
        outcome.Match<Results<Created<TResponse>, ProblemHttpResult>>(
            value => TypedResults.Created(location(value), response(value)), error => error.ToProblem());

    /// <summary>A use case that answers only a refusal (or null): 204 when it did what was asked.</summary>
    public static Results<NoContent, ProblemHttpResult> ToNoContent(this Error? refused) => refused is null ? TypedResults.NoContent() : refused.ToProblem();
}
