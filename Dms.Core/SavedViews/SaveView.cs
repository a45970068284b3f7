using Dms.Catalogs;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Fields;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.SavedViews;

/// <summary>
/// Adds a saved view (no <c>id</c>) or changes one. Its filters are checked as the list checks them, against the
/// tenant's own types, correspondents and fields, so a view never names another tenant's; only admins share a view or
/// change a shared one.
/// </summary>
public sealed class SaveView(DmsDbContext db, FieldFilterReader fieldFilters, TimeProvider time)
{
    public static readonly Error NotFound = Error.NotFound("The saved view");

    public static readonly Error NotYours = new(ErrorKind.Forbidden, "not-yours", "Only its owner changes a view of their own, and only admins a shared one.");

    public async Task<Outcome<SavedView>> HandleAsync(Guid tenantId, Guid? id, ViewOwner caller, SavedViewRequest request, CancellationToken cancellationToken)
    {
        var name = id is null || request.Name is not null ? CatalogName.Check(request.Name, "A view's name") : Outcome<string>.Of(null!);
        if ((name.Error ?? Check(request)) is { } invalid)
        {
            return invalid;
        }

        if (request.Shared == true && !caller.Administers)
        {
            return new Error(ErrorKind.Forbidden, "sharing-is-for-admins", "Only admins share a view with the tenant.");
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        SavedView view;
        if (id is { } existing)
        {
            if (await db.SavedViews.Where(SavedView.SeenBy(caller.Subject)).SingleOrDefaultAsync(v => v.Id == existing, cancellationToken) is not { } found)
            {
                return NotFound;
            }

            if (!found.ChangeableBy(caller.Subject, caller.Administers))
            {
                return NotYours;
            }

            view = found;
        }
        else
        {
            if (await db.SavedViews.Where(v => v.OwnerSubject == caller.Subject).RefuseBeyondAsync(SavedView.MaxPerOwner, "saved view", cancellationToken) is { } full)
            {
                return full;
            }

            db.SavedViews.Add(view = SavedView.Create(tenantId, caller.Subject, time.GetUtcNow()));
        }

        if (request.Filters is { } filters && await CheckReferencesAsync(filters, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        if (request.Columns is { } columns && await CheckFieldColumnsAsync(columns, cancellationToken) is { } badColumn)
        {
            return badColumn;
        }

        view.Change(name.Value, request.Shared, request.Filters, request.Sort, request.Columns, request.OnStartPage);
        if (await db.SaveEntryAsync(view, "saved view", cancellationToken) is { } taken)
        {
            return taken;
        }

        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>The rules that need no database: statuses, orders, column names, date ranges, the filters' syntax.</summary>
    private static Error? Check(SavedViewRequest request)
    {
        if (request.Sort is { Length: > SavedView.MaxSort } || DocumentOrder.Parse(request.Sort).Error is not null)
        {
            return Error.Invalid("sort", $"sort must be at most {SavedView.MaxSort} characters, one of {DocumentOrders.Syntax}.");
        }

        if (request.Columns is { } columns && (columns.Count > SavedView.MaxColumns || columns.Distinct().Count() != columns.Count
            || columns.Any(c => !ViewColumns.All.Contains(c) && !(c.StartsWith(ViewColumns.FieldPrefix) && Guid.TryParse(c[ViewColumns.FieldPrefix.Length..], out _)))))
        {
            return Error.Invalid("columns", $"columns are up to {SavedView.MaxColumns} of {string.Join(", ", ViewColumns.All)} or {ViewColumns.FieldPrefix}FIELD-ID, each once.");
        }

        if (request.Filters is not { } filters)
        {
            return null;
        }

        if (filters.Status is { } status && !DocumentStatuses.All.Contains(status))
        {
            return Error.Invalid("status", $"status must be one of {string.Join(", ", DocumentStatuses.All)}.");
        }

        if (new[] { filters.Query, filters.Tag, filters.ContentType }.Any(text => text is { Length: > 500 } || (text is not null && !StorableText.IsStorable(text))))
        {
            return Error.Invalid("filters", "A view's words, tag and content type are at most 500 characters each.");
        }

        if (filters.AddedFrom > filters.AddedTo)
        {
            return Error.Invalid("added-range", "addedFrom must not be after addedTo.");
        }

        return new DocumentFacts(filters.DocumentTypeId, filters.CorrespondentId, filters.DocumentDateFrom, filters.DocumentDateTo, filters.Fields).Validate();
    }

    private async Task<Error?> CheckReferencesAsync(SavedViewFilters filters, CancellationToken cancellationToken)
    {
        if (filters.DocumentTypeId is { } type && !await db.DocumentTypes.AnyAsync(t => t.Id == type, cancellationToken))
        {
            return Error.Invalid("documentType", $"There is no document type {type}.");
        }

        if (filters.CorrespondentId is { } correspondent && !await db.Correspondents.AnyAsync(c => c.Id == correspondent, cancellationToken))
        {
            return Error.Invalid("correspondent", $"There is no correspondent {correspondent}.");
        }

        return (await fieldFilters.ReadAsync(filters.Fields, cancellationToken)).Error;
    }

    private async Task<Error?> CheckFieldColumnsAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var ids = columns.Where(c => c.StartsWith(ViewColumns.FieldPrefix)).Select(c => Guid.Parse(c[ViewColumns.FieldPrefix.Length..])).ToArray();
        var known = await db.CustomFields.Where(f => ids.Contains(f.Id)).Select(f => f.Id).ToListAsync(cancellationToken);
        return ids.FirstOrDefault(id => !known.Contains(id)) is var unknown && unknown != Guid.Empty
            ? Error.Invalid("columns", $"Field {unknown} is not one of the tenant's fields.")
            : null;
    }
}
