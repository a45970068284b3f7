using System.Net;

namespace Dms.Contracts.Client;

/// <summary>
/// What the API answered a request: its value, or the problem it refused it with (a 4xx ProblemDetails, in the user's
/// words). A server's failure (5xx) is not an answer: <see cref="DmsApiClient"/> throws <see cref="ApiFailedException"/>.
/// </summary>
public sealed record ApiAnswer<T>(T? Value, ApiProblem? Problem)
{
    /// <summary>The value, or <see cref="ApiRefusedException"/> with the problem.</summary>
    public T Take() => Problem is null ? Value! : throw new ApiRefusedException(Problem);

    /// <summary>The value, the refusal in a person's words (null when it succeeded), and the problem whole.</summary>
    public void Deconstruct(out T? value, out string? refusal, out ApiProblem? problem) => (value, refusal, problem) = (Value, Problem?.Message, Problem);
}

/// <summary>A refusal as the API's ProblemDetails gives it; <see cref="Message"/> is what a person is shown.</summary>
/// <param name="Type">The problem's type URI: its last segment names it (<see cref="Name"/>).</param>
public sealed record ApiProblem(HttpStatusCode Status, string? Type, string? Title, string? Detail)
{
    public string Message => Detail ?? Title ?? $"The request was refused ({(int)Status}).";

    /// <summary>The problem's name: the last segment of its type (<c>urn:dms:problem:quota-exceeded</c> is <c>quota-exceeded</c>).</summary>
    public string? Name => Type is null ? null : Type[(Type.LastIndexOfAny([':', '/']) + 1)..];
}

/// <summary>The API refused a request whose refusal the caller did not expect (<see cref="ApiAnswer{T}.Take"/>).</summary>
public sealed class ApiRefusedException(ApiProblem problem) : Exception(problem.Message)
{
    public ApiProblem Problem { get; } = problem;
}

/// <summary>The API failed a request (5xx), or answered with what the contract does not describe.</summary>
public sealed class ApiFailedException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
