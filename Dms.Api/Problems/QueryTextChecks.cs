using Dms.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Problems;

/// <summary>
/// Every query parameter of every route is text the database can compare (<see cref="StorableText"/>): a NUL in a
/// filter is a 400 naming the parameter here, not a 500 from PostgreSQL later, whatever route it was sent to.
/// </summary>
public static class QueryTextChecks
{
    public static WebApplication UseQueryTextChecks(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            foreach (var (name, values) in http.Request.Query)
            {
                if (!StorableText.IsStorable(name) || values.Any(value => value is not null && !StorableText.IsStorable(value)))
                {
                    return Refusal(name).ExecuteAsync(http);
                }
            }

            return next(http);
        });
        return app;
    }

    private static ProblemHttpResult Refusal(string name) => TypedResults.Problem(
        detail: $"The query parameter '{StorableText.Quoted(name)}' holds a NUL character or half of a surrogate pair, which no text can hold: remove it.",
        statusCode: StatusCodes.Status400BadRequest,
        type: ProblemTypes.For("invalid-parameter"));
}
