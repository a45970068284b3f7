using System.Collections.Frozen;
using System.Text.Json;

namespace Dms.Documents;

/// <summary>The snake_case names a status has in the database and the API (<c>pending_upload</c>).</summary>
public static class DocumentStatusNames
{
    private static readonly FrozenDictionary<DocumentStatus, string> Names =
        Enum.GetValues<DocumentStatus>().ToFrozenDictionary(s => s, s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString()));

    private static readonly FrozenDictionary<string, DocumentStatus> Statuses =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string ToName(DocumentStatus status) => Names[status];

    public static DocumentStatus Parse(string name) =>
        Statuses.TryGetValue(name, out var status)
            ? status
            : throw new FormatException($"'{name}' is not a document status; expected one of {string.Join(", ", All)}.");
}
