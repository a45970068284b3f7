using Dms.Common;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Lifecycle;

/// <summary>Changes a document's title or tags.</summary>
public sealed class EditDocument(DocumentChanges changes, IOptions<DocumentOptions> options, TimeProvider time)
{
    public async Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, string? title, string[]? tags, CancellationToken cancellationToken)
    {
        if (DocumentMetadata.Validate(title, tags, options.Value) is { } invalid)
        {
            return invalid;
        }

        if (title is not null && string.IsNullOrWhiteSpace(title))
        {
            return Error.Invalid("title", "title must not be empty.");
        }

        return await changes.ApplyAsync(tenantId, documentId, document => document.Edit(title, tags, time.GetUtcNow()), cancellationToken);
    }
}
