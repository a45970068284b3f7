using System.Text.Json;
using Dms.Common;
using Dms.Persistence;
using Dms.Users;
using Microsoft.EntityFrameworkCore;

namespace Dms.Fields;

/// <summary>
/// Turns the field values of an edit into typed values, inside the tenant's transaction: every field id must be one of
/// the tenant's fields, a document link one of its documents, a user one of its users (row-level security hides every
/// other tenant's, so another tenant's id is refused like one that never existed).
/// </summary>
public sealed class FieldReferences(DmsDbContext db, IUserDirectory users)
{
    public sealed record Parsed(IReadOnlyList<FieldValue> Values, IReadOnlyCollection<Guid> Removed);

    public async Task<Outcome<Parsed>> ParseAsync(Guid tenantId, IReadOnlyDictionary<Guid, JsonElement> given, CancellationToken cancellationToken)
    {
        var ids = given.Keys.ToArray();
        var fields = await db.CustomFields.Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        if (ids.FirstOrDefault(id => !fields.ContainsKey(id)) is var unknown && unknown != Guid.Empty)
        {
            return Error.Invalid("fields", $"Field {unknown} is not one of the tenant's fields.");
        }

        var values = new List<FieldValue>();
        var removed = new List<Guid>();
        foreach (var (id, json) in given)
        {
            if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                removed.Add(id);
                continue;
            }

            var parsed = FieldValueRules.FromJson(fields[id], json);
            if (parsed.Error is { } invalid)
            {
                return invalid;
            }

            values.Add(parsed.Value!);
        }

        return await CheckReferencesAsync(tenantId, values, fields, cancellationToken) is { } refused ? refused : new Parsed(values, removed);
    }

    /// <summary>Refuses a link to a document or a user the tenant does not have.</summary>
    public async Task<Error?> CheckReferencesAsync(Guid tenantId, IEnumerable<FieldValue> values, IReadOnlyDictionary<Guid, CustomField> fields, CancellationToken cancellationToken)
    {
        foreach (var link in values.Where(v => v.Kind == FieldKind.DocumentLink))
        {
            var linked = link.LinkedDocumentId!.Value;
            if (!await db.Documents.IgnoreAutoIncludes().AnyAsync(d => d.Id == linked && d.TenantId == tenantId, cancellationToken))
            {
                return Error.Invalid("fields", $"Field '{fields[link.FieldId].Name}': there is no document {linked}.");
            }
        }

        var named = values.Where(v => v.Kind == FieldKind.User).ToList();
        if (named.Count == 0)
        {
            return null;
        }

        IReadOnlyList<DirectoryUser> known;
        try
        {
            known = await users.ListAsync(tenantId, cancellationToken);
        }
        catch (UserDirectoryException e)
        {
            return new Error(ErrorKind.Upstream, "directory-unavailable", $"The users could not be checked: {e.Message}");
        }

        return named.FirstOrDefault(v => known.All(u => !string.Equals(u.Username, v.Text, StringComparison.OrdinalIgnoreCase))) is { } stranger
            ? Error.Invalid("fields", $"Field '{fields[stranger.FieldId].Name}': {StorableText.Quoted(stranger.Text!)} is not one of the tenant's users.")
            : null;
    }
}
