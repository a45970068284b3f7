using System.Net;
using System.Security.Claims;
using Dms.Api.Identity;
using Dms.Audit;
using Microsoft.Extensions.Options;

namespace Dms.Api.Audit;

/// <summary>
/// Names the actor of each signed-in request for the audit trail (<see cref="AuditContext"/>): a tenant's user or an
/// operator, by their subject and e-mail address, from the client's address and user agent. A request that comes
/// through a proxy of Dms's own (the web app, the load balancer: from loopback or a private address) is from the
/// address that proxy names last in <c>X-Forwarded-For</c>.
/// </summary>
public static class AuditActors
{
    public static IApplicationBuilder UseAuditActors(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var options = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value;
            var user = http.User;
            var isOperator = user.FindAll(options.RoleClaim).Any(c => c.Value == Contracts.Roles.Operator);
            var subject = user.FindFirstValue("sub") ?? "";
            var name = Caller.From(user, options)?.Name ?? user.FindFirstValue("email") ?? user.FindFirstValue("username") ?? subject;
            http.RequestServices.GetRequiredService<AuditContext>().Actor = new AuditActor(
                isOperator ? AuditActor.Operator : AuditActor.User, subject, name, ClientAddress(http),
                AuditActor.CleanUserAgent(http.Request.Headers.UserAgent.ToString()));
        }

        await next(http);
    });

    /// <summary>The client's address: the connection's, or the last one a proxy of Dms's own names.</summary>
    internal static string? ClientAddress(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is not null && IsOwnProxy(remote)
            && http.Request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is [.., var last]
            && IPAddress.TryParse(last, out var forwarded))
        {
            return forwarded.ToString();
        }

        return remote?.ToString();
    }

    private static bool IsOwnProxy(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 && (bytes[0] == 10 || (bytes[0] == 172 && (bytes[1] & 0xF0) == 16) || (bytes[0] == 192 && bytes[1] == 168));
    }
}
