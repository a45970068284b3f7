using Dms.Audit;
using Dms.Contracts.Http;
using Dms.Common;
using Dms.Documents;
using Dms.Persistence;
using Dms.Search;
using Microsoft.EntityFrameworkCore;

namespace Dms.Notes;

/// <summary>Adds a note to one of the tenant's documents (its search entry takes the note's words).</summary>
public sealed class AddNote(DmsDbContext db, ISearchIndex search, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Note>> HandleAsync(Guid tenantId, Guid documentId, NoteAuthor author, string? text, CancellationToken cancellationToken)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > Note.MaxLength || !StorableText.IsStorable(trimmed)
            || trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return Error.Invalid("text", $"A note is 1 to {Note.MaxLength} characters.");
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (!await db.Documents.IgnoreAutoIncludes().AnyAsync(d => d.Id == documentId, cancellationToken))
        {
            return DocumentErrors.NotFound;
        }

        if (await db.Notes.CountAsync(n => n.DocumentId == documentId, cancellationToken) >= Note.MaxPerDocument)
        {
            return new Error(ErrorKind.Conflict, "too-many-notes", $"A document has at most {Note.MaxPerDocument} notes.");
        }

        var note = Note.Create(tenantId, documentId, author, trimmed, time.GetUtcNow());
        db.Notes.Add(note);
        audit.Changed(tenantId, AuditActions.NoteAdded, documentId, details: new { noteId = note.Id, text = note.Text });
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return note;
    }
}
