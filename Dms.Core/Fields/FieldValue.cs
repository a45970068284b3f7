namespace Dms.Fields;

/// <summary>
/// One document's value of one custom field, stored typed: the column of its <see cref="Kind"/> holds it (text, long
/// text, URL and user in <see cref="Text"/>; decimal and a monetary amount in <see cref="Number"/>; a select's option or
/// a multi-select's in <see cref="Options"/>), indexed per (tenant, field, value) so ranges and sorts stay fast.
/// </summary>
public sealed class FieldValue
{
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public Guid FieldId { get; set; }
    public FieldKind Kind { get; set; }
    public string? Text { get; set; }
    public long? Integer { get; set; }
    public decimal? Number { get; set; }
    public string? Currency { get; set; }
    public DateOnly? Date { get; set; }
    public bool? Boolean { get; set; }
    public Guid[]? Options { get; set; }
    public Guid? LinkedDocumentId { get; set; }

    /// <summary>Takes the kind and typed columns of <paramref name="other"/> (the same field's new value).</summary>
    public void Overwrite(FieldValue other)
    {
        Kind = other.Kind;
        Text = other.Text;
        Integer = other.Integer;
        Number = other.Number;
        Currency = other.Currency;
        Date = other.Date;
        Boolean = other.Boolean;
        Options = other.Options;
        LinkedDocumentId = other.LinkedDocumentId;
    }
}
