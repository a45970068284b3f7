using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dms.Identity.Accounts;

/// <summary>A sign-in at the provider: the cookie names it, the tokens issued under it remember it.</summary>
public sealed class ProviderSession
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public required byte[] Ticket { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The browser it was made in, as it named itself (cut to <see cref="ProviderSessions.UserAgentLength"/> characters): shown to its user.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The client address it was made from.</summary>
    public string? Address { get; set; }
}

/// <summary>
/// The provider's sign-ins kept on the server (the cookie holds only their id): signing out deletes the row, so a copy
/// of the cookie opens nothing after, and every token issued under it is revoked with it (<see cref="UserSessions"/>).
/// </summary>
public sealed class ProviderSessions(IServiceScopeFactory scopes, IHttpContextAccessor accessor, TimeProvider time) : ITicketStore
{
    public const int UserAgentLength = 256;

    /// <summary>Where a ticket carries the id of the session it is kept in.</summary>
    public const string IdItem = "dms.session";

    public static string? IdOf(AuthenticationProperties? properties) => properties?.Items.TryGetValue(IdItem, out var id) == true ? id : null;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        ticket.Properties.Items[IdItem] = id;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
        var request = accessor.HttpContext;
        // The session and its sign-in's audit event commit together, tried again as one on a new connection.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var session = new ProviderSession
            {
                Id = id,
                UserId = ticket.Principal.FindFirst(IdentityOptionsClaims.UserId)?.Value ?? "",
                Ticket = TicketSerializer.Default.Serialize(ticket),
                StartedAt = time.GetUtcNow(),
                ExpiresAt = ticket.Properties.ExpiresUtc ?? time.GetUtcNow().AddHours(12),
                UserAgent = request?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent
                    ? new string([.. agent.Take(UserAgentLength).Where(c => !char.IsControl(c))])
                    : null,
                Address = request?.Connection.RemoteIpAddress?.ToString(),
            };
            db.Sessions.Add(session);
            await db.SaveChangesAsync();
            await SignInAudit.RecordAsync(db, session.UserId, session.Address, request?.Request.Headers.UserAgent.ToString(), session.StartedAt);
            await transaction.CommitAsync();
        });
        return id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ticket.Properties.Items[IdItem] = key;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
        await db.Sessions.Where(s => s.Id == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, TicketSerializer.Default.Serialize(ticket)));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
        var now = time.GetUtcNow();
        var ticket = await db.Sessions.Where(s => s.Id == key && s.ExpiresAt > now).Select(s => s.Ticket).SingleOrDefaultAsync();
        return ticket is null ? null : TicketSerializer.Default.Deserialize(ticket);
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
        await db.Sessions.Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    /// <summary>The claim type ASP.NET Core Identity names the user's id with.</summary>
    private static class IdentityOptionsClaims
    {
        public static readonly string UserId = new ClaimsIdentityOptions().UserIdClaimType;
    }
}
