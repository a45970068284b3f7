using System.Security.Cryptography;
using System.Text;
using Dms.Queue;

namespace Dms.Worker.Commands;

/// <summary>
/// The dashboard's buttons on the worker resource (redrive and purge dead letters) land here. They are answered only
/// with the key the AppHost gave the worker (<c>Dms:Worker:CommandKey</c>); without a key they are not served at all.
/// Operators elsewhere use the API's <c>/api/v1/admin/dead-letters</c>.
/// </summary>
public static class DeadLetterCommands
{
    public const string KeyHeader = "X-Dms-Command-Key";
    public const string KeySetting = "Dms:Worker:CommandKey";

    public sealed record CommandResponse(int Count);

    public static IEndpointRouteBuilder MapDeadLetterCommands(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IConfiguration>()[KeySetting] is not { Length: >= 32 } key)
        {
            return endpoints;
        }

        var commands = endpoints.MapGroup("/commands/dead-letters").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers[KeyHeader].ToString() is var given
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key))
                ? await next(context)
                : TypedResults.Unauthorized());
        commands.MapPost("/redrive", async (IJobQueue queue, CancellationToken cancellationToken) =>
            TypedResults.Ok(new CommandResponse(await queue.RedriveAsync(null, cancellationToken))));
        commands.MapPost("/purge", async (IJobQueue queue, CancellationToken cancellationToken) =>
            TypedResults.Ok(new CommandResponse(await queue.PurgeAsync(null, cancellationToken))));
        return endpoints;
    }
}
