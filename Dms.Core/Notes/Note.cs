namespace Dms.Notes;

/// <summary>A comment on a document: who wrote it (their subject, and their name as shown), when, and what.</summary>
public sealed class Note
{
    public const int MaxLength = 10_000;
    public const int MaxPerDocument = 1_000;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid DocumentId { get; private set; }
    public string AuthorSubject { get; private set; } = "";
    public string AuthorName { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static Note Create(Guid tenantId, Guid documentId, NoteAuthor author, string text, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        DocumentId = documentId,
        AuthorSubject = author.Subject,
        AuthorName = author.Name,
        Text = text,
        CreatedAt = now,
    };
}

/// <summary>Who is writing or removing a note: their subject, the name notes show, and whether they administer the tenant.</summary>
public sealed record NoteAuthor(string Subject, string Name, bool Administers);
