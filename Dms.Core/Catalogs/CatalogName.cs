using Dms.Common;

namespace Dms.Catalogs;

/// <summary>The rule for a name people give: 1 to a limit of characters once trimmed, on one line, storable.</summary>
public static class CatalogName
{
    public const int MaxLength = 200;

    /// <returns>The trimmed name, or why it cannot be one (naming <paramref name="what"/>).</returns>
    public static Outcome<string> Check(string? name, string what, int maxLength = MaxLength)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > maxLength || trimmed.Any(char.IsControl) || !StorableText.IsStorable(trimmed)
            ? Error.Invalid("name", $"{what} must be 1 to {maxLength} characters on one line.")
            : trimmed;
    }
}
