using Dms.Common;

namespace Dms.Documents;

/// <summary>The rules for what users write about a document: its title and tags.</summary>
public static class DocumentMetadata
{
    public static Error? Validate(string? title, string[]? tags, DocumentOptions limits) =>
        ValidateTitle(title, limits) ?? ValidateTags(tags, limits);

    /// <summary>Tags as stored: trimmed, lower case, each once, in order.</summary>
    public static string[] NormalizeTags(string[]? tags) =>
        tags is null ? [] : tags.Select(t => t.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static Error? ValidateTitle(string? title, DocumentOptions limits) =>
        title is not null && (title.Length > limits.MaxTitleLength || title.Any(char.IsControl))
            ? Error.Invalid("title", $"title must be at most {limits.MaxTitleLength} characters, without control characters.")
            : null;

    private static Error? ValidateTags(string[]? tags, DocumentOptions limits) => tags switch
    {
        null => null,
        _ when tags.Length > limits.MaxTags => Error.Invalid("tags", $"At most {limits.MaxTags} tags are allowed."),
        _ when tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > limits.MaxTagLength || t.Any(char.IsControl)) =>
            Error.Invalid("tags", $"Each tag must be 1 to {limits.MaxTagLength} characters, without control characters."),
        _ => null,
    };
}
