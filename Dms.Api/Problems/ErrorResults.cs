using Dms.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Problems;

/// <summary>Turns a use case's <see cref="Error"/> into its ProblemDetails answer.</summary>
public static class ErrorResults
{
    public static ProblemHttpResult ToProblem(this Error error) =>
        TypedResults.Problem(detail: error.Detail, statusCode: error.Status(), type: ProblemTypes.For(error.Code));

    /// <summary>The HTTP status an error answers with.</summary>
    public static int Status(this Error error) => error.Kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict or ErrorKind.QuotaExceeded => StatusCodes.Status409Conflict,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.UnsupportedType => StatusCodes.Status415UnsupportedMediaType,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.Upstream => StatusCodes.Status502BadGateway,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        _ => StatusCodes.Status500InternalServerError,
    };
}
