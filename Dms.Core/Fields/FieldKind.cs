namespace Dms.Fields;

/// <summary>What a custom field holds; each kind has its own typed column in <see cref="FieldValue"/> and its own rules in <see cref="FieldValueRules"/>.</summary>
public enum FieldKind
{
    Text,
    LongText,
    Integer,
    Decimal,
    Monetary,
    Date,
    Boolean,
    Select,
    MultiSelect,
    Url,
    DocumentLink,
    User,
}
