using System.Security.Cryptography;
using System.Text;
using Dms.Contracts;
using Dms.Queue;
using Dms.Search;

namespace Dms.Worker.Dashboard;

/// <summary>
/// The dashboard's buttons on the worker resource (redrive and purge dead letters, reindex search) land here. They
/// are answered only with the key the AppHost gave the worker (<see cref="DashboardCommands.KeySetting"/>); without a
/// key they are not served at all. Operators elsewhere use the API's <c>/api/v1/admin/*</c> routes.
/// </summary>
public static class DashboardCommandEndpoints
{
    private const int ReindexBatchSize = 500;

    public sealed record CommandResponse(long Count);

    public static IEndpointRouteBuilder MapDashboardCommands(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IConfiguration>()[DashboardCommands.KeySetting] is not { Length: >= 32 } key)
        {
            return endpoints;
        }

        var commands = endpoints.MapGroup(DashboardCommands.Route).AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers[DashboardCommands.KeyHeader].ToString() is var given
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key))
                ? await next(context)
                : TypedResults.Unauthorized());
        commands.MapPost(DashboardCommands.RedriveDeadLetters, async (IJobQueue queue, CancellationToken cancellationToken) =>
            TypedResults.Ok(new CommandResponse(await queue.RedriveAsync(null, cancellationToken))));
        commands.MapPost(DashboardCommands.PurgeDeadLetters, async (IJobQueue queue, CancellationToken cancellationToken) =>
            TypedResults.Ok(new CommandResponse(await queue.PurgeAsync(null, cancellationToken))));
        commands.MapPost(DashboardCommands.ReindexSearch, ReindexEverythingAsync);
        return endpoints;
    }

    /// <summary>Every tenant's documents, batch after batch; each batch commits on its own, so searches go on.</summary>
    private static async Task<IResult> ReindexEverythingAsync(SearchReindexer reindexer, CancellationToken cancellationToken)
    {
        long indexed = 0;
        Guid? cursor = null;
        do
        {
            var progress = await reindexer.ReindexBatchAsync(null, cursor, ReindexBatchSize, cancellationToken);
            indexed += progress.Indexed;
            cursor = progress.NextCursor;
        }
        while (cursor is not null);

        return TypedResults.Ok(new CommandResponse(indexed));
    }
}
