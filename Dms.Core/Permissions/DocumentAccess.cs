using Dms.Common;
using Dms.Contracts;
using Dms.Documents;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Permissions;

/// <summary>
/// Who may change a document and its permissions, in one place. Who may <em>see</em> it is the database's to say
/// (row-level security's policy <c>document_access</c>): a document this context cannot see is not found. Changing a
/// restricted one takes its owner (the user, or a member of the group), an edit grant (to the user or one of their
/// groups), or a tenant admin; an unrestricted one is the whole tenant's, as its roles allow.
/// </summary>
public static class DocumentAccess
{
    public static readonly Error ReadOnly = new(ErrorKind.Forbidden, "document-read-only",
        "You may read this document, not change it: its owner or an admin can grant you edit access.");

    public static readonly Error NotOwner = new(ErrorKind.Forbidden, "not-document-owner",
        "Only the document's owner or a tenant admin changes who may see it.");

    /// <summary>The database's refusal of a change after which the viewer would no longer see the document (row-level security's check of the new row).</summary>
    public static readonly Error WouldLoseSight = new(ErrorKind.Forbidden, "document-access-lost",
        "After this change you could no longer see the document: keep yourself its owner or among those it is shared with, or ask an admin.");

    /// <summary>Whether <paramref name="e"/> is row-level security refusing a row the transaction wrote (SQLSTATE 42501).</summary>
    public static bool IsRefusal(Exception e) =>
        (e as Npgsql.PostgresException ?? e.InnerException as Npgsql.PostgresException) is { SqlState: Npgsql.PostgresErrorCodes.InsufficientPrivilege };

    private static bool SeesAll(DmsDbContext db) => db.Viewer == DatabaseNames.EveryDocument;

    /// <summary>Whether the context's viewer may change <paramref name="document"/>; asked in the caller's tenant transaction or read scope.</summary>
    public static async Task<bool> MayEditAsync(DmsDbContext db, Document document, CancellationToken cancellationToken)
    {
        if (!document.Restricted || SeesAll(db) || await OwnsAsync(db, document, cancellationToken))
        {
            return true;
        }

        var viewer = db.Viewer;
        var groups = db.GroupMembers.Where(m => m.UserId == viewer).Select(m => (Guid?)m.GroupId);
        return await db.DocumentGrants.AnyAsync(
            g => g.DocumentId == document.Id && g.Access == DocumentGrant.Edit && (g.UserId == viewer || groups.Contains(g.GroupId)), cancellationToken);
    }

    /// <summary>Whether the context's viewer may change who sees <paramref name="document"/>: its owner, or an admin.</summary>
    public static Task<bool> MayManageAsync(DmsDbContext db, Document document, CancellationToken cancellationToken) =>
        SeesAll(db) ? Task.FromResult(true) : OwnsAsync(db, document, cancellationToken);

    private static async Task<bool> OwnsAsync(DmsDbContext db, Document document, CancellationToken cancellationToken)
    {
        var viewer = db.Viewer;
        return document.OwnerUserId == viewer
            || (document.OwnerGroupId is { } group && await db.GroupMembers.AnyAsync(m => m.GroupId == group && m.UserId == viewer, cancellationToken));
    }
}
