using Dms.Common;
using Dms.Fields;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Queries;

/// <summary>A page of the tenant's documents, newest first, with filters and a cursor.</summary>
public sealed class ListDocuments(DmsDbContext db, IOptions<DocumentOptions> options)
{
    public async Task<Outcome<DocumentPage>> HandleAsync(Guid tenantId, DocumentQuery query, CancellationToken cancellationToken)
    {
        if (query.Validate(options.Value) is { } invalid)
        {
            return invalid;
        }

        using var scope = db.ReadAsTenant(tenantId);
        var fields = await FieldFiltersAsync(query.Facts?.Fields, cancellationToken);
        if (fields.Error is { } badField)
        {
            return badField;
        }

        // The tenant named as well as enforced: the row-level policy's "or cross-tenant" keeps PostgreSQL from using the
        // (tenant, created) index for it, and without the index a page of a large tenant sorts all its documents.
        var documents = query.Apply(db.Documents.AsNoTracking().Where(d => d.TenantId == tenantId), fields.Value);
        var limit = query.Limit ?? DocumentQuery.DefaultLimit;
        var page = await documents.Take(limit + 1).ToListAsync(cancellationToken);
        var next = page.Count > limit ? DocumentQuery.CursorAfter(page[limit - 1]) : null;
        return new DocumentPage(page.Take(limit).ToList(), next);
    }

    /// <summary>The written field filters read against the tenant's fields (by id, or by name ignoring case).</summary>
    private async Task<Outcome<IReadOnlyList<FieldFilter>>> FieldFiltersAsync(IReadOnlyList<string>? written, CancellationToken cancellationToken)
    {
        if (written is not { Count: > 0 })
        {
            return Outcome<IReadOnlyList<FieldFilter>>.Of([]);
        }

        var splits = written.Select(w => FieldFilter.Split(w).Value).ToList();
        var names = splits.Select(s => s.Field.ToLowerInvariant()).ToArray();
        var ids = splits.Select(s => Guid.TryParse(s.Field, out var id) ? id : Guid.Empty).ToArray();
        var known = await db.CustomFields.AsNoTracking().Where(f => ids.Contains(f.Id) || names.Contains(f.Name.ToLower())).ToListAsync(cancellationToken);
        var filters = new List<FieldFilter>();
        foreach (var (field, op, value) in splits)
        {
            if (known.FirstOrDefault(f => f.Id.ToString() == field.ToLowerInvariant() || string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase)) is not { } named)
            {
                return Error.Invalid("field", $"There is no field '{StorableText.Quoted(field)}'.");
            }

            var filter = FieldFilter.For(named, op, value);
            if (filter.Error is { } invalid)
            {
                return invalid;
            }

            filters.Add(filter.Value!);
        }

        return filters;
    }
}
