using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Persistence;
using Dms.SavedViews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Sharing;

/// <summary>
/// Shares a document by link, for whoever may change it, or a saved view, for whoever may change the view (its owner;
/// an admin for a shared one): an expiry (required, within the plan's longest), an optional password and an optional
/// number of downloads. The token is returned once.
/// </summary>
public sealed class CreateShareLink(DmsDbContext db, AuditTrail audit, IOptions<ShareLinkOptions> options, TimeProvider time)
{
    public sealed record Command(DateTimeOffset? ExpiresAt, string? Password, int? MaxDownloads);

    public async Task<Outcome<(ShareLink Link, string Token)>> HandleAsync(
        Guid tenantId, ShareTarget target, ViewOwner caller, Command command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (command.ExpiresAt is not { } expiresAt || expiresAt <= now)
        {
            return Error.Invalid("expiresAt", "A share link needs an expiry (expiresAt) in the future.");
        }

        if (command.MaxDownloads is < 1 or > 1_000_000)
        {
            return Error.Invalid("maxDownloads", "maxDownloads is from 1 to 1,000,000, or left out for no limit.");
        }

        if (command.Password is { } password && (password.Length > ShareLink.MaxPasswordLength || password.Any(char.IsControl)))
        {
            return Error.Invalid("password", $"A link's password is at most {ShareLink.MaxPasswordLength} characters, with no control characters.");
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var shareable = await ShareTargets.ChangeableAsync(db, target, caller, cancellationToken);
        if (shareable.Error is { } refused)
        {
            return refused;
        }

        if (shareable.Value!.Document is { Status: DocumentStatus.Deleted })
        {
            return DocumentErrors.InTrash;
        }

        if (shareable.Value.View is { Filters.Query: not null })
        {
            // A view's search words are no listing a link can show.
            return Error.Invalid("view", "A view that searches for words cannot be shared by link: share one that filters only.");
        }

        var plan = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).SingleAsync(cancellationToken);
        var days = options.Value.MaxDaysFor(plan);
        if (expiresAt > now.AddDays(days))
        {
            return Error.Invalid("expiresAt", $"A share link lives at most {days} days on the tenant's plan.");
        }

        if (await db.ShareLinks.Where(ShareLink.Of(target)).CountAsync(l => l.RevokedAt == null && l.ExpiresAt > now, cancellationToken) >= ShareLink.MaxOpenPerTarget)
        {
            return new Error(ErrorKind.Conflict, "too-many-share-links",
                $"A {(target.IsView ? "view" : "document")} has at most {ShareLink.MaxOpenPerTarget} share links that work: revoke one first.");
        }

        var (link, token) = ShareLink.Create(tenantId, target, audit.Actor.Name, expiresAt, command.Password, command.MaxDownloads, now);
        db.ShareLinks.Add(link);
        var hasPassword = link.PasswordHash is not null;
        audit.Changed(tenantId, AuditActions.ShareCreated, link.DocumentId, shareable.Value.Document?.CurrentVersion,
            target.IsView
                ? new { linkId = link.Id, viewId = target.Id, expiresAt, maxDownloads = command.MaxDownloads, password = hasPassword }
                : new { linkId = link.Id, expiresAt, maxDownloads = command.MaxDownloads, password = hasPassword });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (link, token);
    }
}
