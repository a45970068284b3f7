using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.Holds;

/// <summary>What a hold refuses, in one place: the use cases ask before they act, and read the database's own refusal the same way.</summary>
public static class HoldRules
{
    /// <summary>The code of the database's refusal (the triggers of migration <c>LegalHolds</c>).</summary>
    public const string RefusedState = "DH001";

    public const string Code = "document-on-hold";

    /// <summary>The refusal naming the holds that cover the document, or null when none does.</summary>
    public static async Task<Error?> RefusalAsync(DmsDbContext db, Guid documentId, string what, CancellationToken cancellationToken)
    {
        var names = await db.HeldDocuments.Where(h => h.DocumentId == documentId)
            .Join(db.LegalHolds, h => h.HoldId, l => l.Id, (_, l) => l.Name).OrderBy(n => n).ToListAsync(cancellationToken);
        return names.Count == 0 ? null : Refusal(what, string.Join("', '", names));
    }

    /// <summary>
    /// For a purge: a hold lifted moments ago whose legal hold storage still keeps (until <see cref="StorageHolds"/>'
    /// next pass clears it) would leave bytes no sweep could delete; the purge waits for it.
    /// </summary>
    public static async Task<Error?> PurgeRefusalAsync(DmsDbContext db, Guid documentId, CancellationToken cancellationToken) =>
        await RefusalAsync(db, documentId, "deleted", cancellationToken)
        ?? (await db.DocumentVersions.AnyAsync(v => v.DocumentId == documentId && v.StorageHeld, cancellationToken)
            ? new Error(ErrorKind.Conflict, "storage-hold-pending",
                "The document's legal hold was lifted, and storage still holds its bytes for a minute or so: try again shortly.")
            : null);

    public static Error Refusal(string what, string holds) =>
        new(ErrorKind.Conflict, Code, $"The document is under legal hold ('{holds}'): it cannot be {what} until the hold is lifted.");

    /// <summary>The database's refusal of a change to a held document (a route that did not ask first).</summary>
    public static bool IsRefusal(Exception e) =>
        (e as PostgresException ?? e.InnerException as PostgresException) is { SqlState: RefusedState };

    /// <summary>The database's refusal in the same words (its triggers name the holds).</summary>
    public static Error FromDatabase(Exception e) =>
        new(ErrorKind.Conflict, Code, (e as PostgresException ?? (PostgresException)e.InnerException!).MessageText);
}
