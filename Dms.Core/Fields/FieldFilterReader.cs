using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Fields;

/// <summary>Reads written field filters (<see cref="FieldFilter"/>), and a field to sort by, against the tenant's fields: by id, or by name ignoring case.</summary>
public sealed class FieldFilterReader(DmsDbContext db)
{
    /// <remarks>Runs in the caller's tenant scope (a transaction or a read scope): another tenant's fields are not there.</remarks>
    public async Task<Outcome<IReadOnlyList<FieldFilter>>> ReadAsync(IReadOnlyList<string>? written, CancellationToken cancellationToken)
    {
        if (written is not { Count: > 0 })
        {
            return Outcome<IReadOnlyList<FieldFilter>>.Of([]);
        }

        if (written.Count > FieldFilter.MaxPerQuery)
        {
            return Error.Invalid("field", $"At most {FieldFilter.MaxPerQuery} field filters.");
        }

        var splits = new List<(string Field, string Op, string? Value)>();
        foreach (var filter in written)
        {
            var split = FieldFilter.Split(filter);
            if (split.Error is { } invalid)
            {
                return invalid;
            }

            splits.Add(split.Value);
        }

        var names = splits.Select(s => s.Field.ToLowerInvariant()).ToArray();
        var ids = splits.Select(s => Guid.TryParse(s.Field, out var id) ? id : Guid.Empty).ToArray();
        var known = await db.CustomFields.AsNoTracking().Where(f => ids.Contains(f.Id) || names.Contains(f.Name.ToLower())).ToListAsync(cancellationToken);
        var filters = new List<FieldFilter>();
        foreach (var (field, op, value) in splits)
        {
            var named = known.FirstOrDefault(f => (Guid.TryParse(field, out var id) && f.Id == id) || string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase));
            if (named is null)
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

    /// <summary>The tenant's field written <paramref name="field"/> (its id, or its name ignoring case), or null.</summary>
    public async Task<CustomField?> FindAsync(string field, CancellationToken cancellationToken)
    {
        var id = Guid.TryParse(field, out var parsed) ? parsed : Guid.Empty;
        var name = field.ToLowerInvariant();
        return await db.CustomFields.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id || f.Name.ToLower() == name, cancellationToken);
    }
}
