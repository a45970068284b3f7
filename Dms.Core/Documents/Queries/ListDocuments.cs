using Dms.Common;
using Dms.Fields;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Queries;

/// <summary>A page of the tenant's documents, newest first, with filters and a cursor.</summary>
public sealed class ListDocuments(DmsDbContext db, FieldFilterReader fieldFilters, IOptions<DocumentOptions> options)
{
    public async Task<Outcome<DocumentPage>> HandleAsync(Guid tenantId, DocumentQuery query, CancellationToken cancellationToken)
    {
        if (query.Validate(options.Value) is { } invalid)
        {
            return invalid;
        }

        using var scope = db.ReadAsTenant(tenantId);
        var fields = await fieldFilters.ReadAsync(query.Facts?.Fields, cancellationToken);
        if (fields.Error is { } badField)
        {
            return badField;
        }

        // The tenant named as well as enforced: the row-level policy's "or cross-tenant" keeps PostgreSQL from using the
        // (tenant, created) index for it, and without the index a page of a large tenant sorts all its documents.
        var documents = query.Filter(db.Documents.AsNoTracking().Where(d => d.TenantId == tenantId), fields.Value);
        var limit = query.Limit ?? DocumentQuery.DefaultLimit;
        if (DocumentOrder.Parse(query.Order).Value is not { } order)
        {
            var page = await query.InAddedOrder(documents).Take(limit + 1).ToListAsync(cancellationToken);
            return new DocumentPage(page.Take(limit).ToList(), page.Count > limit ? DocumentQuery.CursorAfter(page[limit - 1]) : null);
        }

        var field = order.Field is { } named ? await fieldFilters.FindAsync(named, cancellationToken) : null;
        if (order.Field is not null && field is null)
        {
            return Error.Invalid("order", $"There is no field '{StorableText.Quoted(order.Field)}' to sort by.");
        }

        return await order.ReadPageAsync(tenantId, documents, db, field, query.Cursor, limit, cancellationToken);
    }
}
