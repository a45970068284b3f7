using System.Text.Json;
using Dms.Common;

namespace Dms.Documents;

/// <summary>
/// What an edit says about a document beyond its title and tags: its type, correspondent and date (given, cleared by
/// naming them in <see cref="Clear"/>, or left alone), and custom field values by field id (JSON null removes one).
/// </summary>
public sealed record DocumentDescription(
    Guid? DocumentTypeId = null, Guid? CorrespondentId = null, DateOnly? DocumentDate = null,
    IReadOnlyDictionary<Guid, JsonElement>? Fields = null, IReadOnlyList<string>? Clear = null)
{
    public const string DocumentType = "documentType";
    public const string Correspondent = "correspondent";
    public const string Date = "documentDate";
    public const int MaxFieldsPerEdit = 100;

    public static readonly IReadOnlyList<string> Clearable = [DocumentType, Correspondent, Date];

    public bool ClearsType => Clear?.Contains(DocumentType) == true;
    public bool ClearsCorrespondent => Clear?.Contains(Correspondent) == true;
    public bool ClearsDate => Clear?.Contains(Date) == true;

    /// <summary>Whether the edit touches the type or any field (then the type's required fields are checked).</summary>
    public bool ChangesFields => DocumentTypeId is not null || ClearsType || Fields is { Count: > 0 };

    public bool IsEmpty => DocumentTypeId is null && CorrespondentId is null && DocumentDate is null && Fields is not { Count: > 0 } && Clear is not { Count: > 0 };

    public Error? Validate()
    {
        if (Clear?.FirstOrDefault(c => !Clearable.Contains(c)) is { } unknown)
        {
            return Error.Invalid("clear", $"clear may name {string.Join(", ", Clearable)}, not '{StorableText.Quoted(unknown)}'.");
        }

        if ((ClearsType && DocumentTypeId is not null) || (ClearsCorrespondent && CorrespondentId is not null) || (ClearsDate && DocumentDate is not null))
        {
            return Error.Invalid("clear", "An edit cannot both set and clear the same attribute.");
        }

        if (DocumentDate is { Year: < 1000 })
        {
            return Error.Invalid("documentDate", "documentDate must be a date from the year 1000 on.");
        }

        return Fields is { Count: > MaxFieldsPerEdit }
            ? Error.Invalid("fields", $"An edit may set at most {MaxFieldsPerEdit} fields.")
            : null;
    }
}
