using System.Collections.Frozen;
using System.Text.Json;

namespace Dms.Common;

/// <summary>The snake_case names an enum's values have in the database and the API (<c>pending_upload</c>).</summary>
public static class SnakeCaseNames<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> Names =
        Enum.GetValues<T>().ToFrozenDictionary(s => s, s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString()));

    private static readonly FrozenDictionary<string, T> Values =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string ToName(T value) => Names[value];

    public static T Parse(string name) =>
        Values.TryGetValue(name, out var value)
            ? value
            : throw new FormatException($"'{name}' is not a {typeof(T).Name}; expected one of {string.Join(", ", All)}.");

    /// <summary>A CHECK constraint's condition that admits exactly these names in <paramref name="column"/>.</summary>
    public static string CheckSql(string column) => $"{column} IN ({string.Join(", ", All.Select(s => $"'{s}'"))})";
}
