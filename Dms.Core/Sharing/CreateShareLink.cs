using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Permissions;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Sharing;

/// <summary>
/// Shares a document by link, for whoever may change it: an expiry (required, within the plan's longest), an optional
/// password and an optional number of downloads. The token is returned once.
/// </summary>
public sealed class CreateShareLink(DmsDbContext db, AuditTrail audit, IOptions<ShareLinkOptions> options, TimeProvider time)
{
    public sealed record Command(DateTimeOffset? ExpiresAt, string? Password, int? MaxDownloads);

    public async Task<Outcome<(ShareLink Link, string Token)>> HandleAsync(Guid tenantId, Guid documentId, Command command, CancellationToken cancellationToken)
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
        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        if (!await DocumentAccess.MayEditAsync(db, document, cancellationToken))
        {
            return DocumentAccess.ReadOnly;
        }

        if (document.Status == DocumentStatus.Deleted)
        {
            return DocumentErrors.InTrash;
        }

        var plan = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).SingleAsync(cancellationToken);
        var days = options.Value.MaxDaysFor(plan);
        if (expiresAt > now.AddDays(days))
        {
            return Error.Invalid("expiresAt", $"A share link lives at most {days} days on the tenant's plan.");
        }

        if (await db.ShareLinks.CountAsync(l => l.DocumentId == documentId && l.RevokedAt == null && l.ExpiresAt > now, cancellationToken) >= ShareLink.MaxOpenPerDocument)
        {
            return new Error(ErrorKind.Conflict, "too-many-share-links", $"A document has at most {ShareLink.MaxOpenPerDocument} share links that work: revoke one first.");
        }

        var (link, token) = ShareLink.Create(tenantId, documentId, audit.Actor.Name, expiresAt, command.Password, command.MaxDownloads, now);
        db.ShareLinks.Add(link);
        audit.Changed(tenantId, AuditActions.ShareCreated, documentId, document.CurrentVersion,
            new { linkId = link.Id, expiresAt, maxDownloads = command.MaxDownloads, password = link.PasswordHash is not null });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (link, token);
    }
}
