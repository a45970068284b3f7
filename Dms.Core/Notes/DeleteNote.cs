using Dms.Audit;
using Dms.Contracts.Http;
using Dms.Common;
using Dms.Persistence;
using Dms.Search;
using Microsoft.EntityFrameworkCore;

namespace Dms.Notes;

/// <summary>Removes a note: its author may, and the tenant's admins.</summary>
public sealed class DeleteNote(DmsDbContext db, ISearchIndex search, AuditTrail audit)
{
    public static readonly Error NotFound = Error.NotFound("The note");

    public async Task<Error?> HandleAsync(Guid tenantId, Guid documentId, Guid noteId, NoteAuthor caller, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Notes.SingleOrDefaultAsync(n => n.Id == noteId && n.DocumentId == documentId, cancellationToken) is not { } note)
        {
            return NotFound;
        }

        if (note.AuthorSubject != caller.Subject && !caller.Administers)
        {
            return new Error(ErrorKind.Forbidden, "not-the-author", "Only a note's author or an admin may remove it.");
        }

        db.Notes.Remove(note);
        audit.Changed(tenantId, AuditActions.NoteDeleted, documentId, details: new { noteId = note.Id, text = note.Text });
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
