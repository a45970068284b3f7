using System.Text.Json;
using Dms.Fields;

namespace Dms.UnitTests.Fields;

/// <summary>What each kind of custom field accepts, and the text a value converts through when its field's kind changes.</summary>
public sealed class FieldValueRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Theory]
    [InlineData(FieldKind.Integer, "42", "42")]
    [InlineData(FieldKind.Integer, "-9007199254740991", "-9007199254740991")]
    [InlineData(FieldKind.Decimal, "12.345678", "12.345678")]
    [InlineData(FieldKind.Decimal, "\"0.5\"", "0.5")]
    [InlineData(FieldKind.Monetary, "{\"amount\": 12.5, \"currency\": \"eur\"}", "EUR12.5")]
    [InlineData(FieldKind.Monetary, "\"12.50 chf\"", "CHF12.5")]
    [InlineData(FieldKind.Date, "\"2027-02-28\"", "2027-02-28")]
    [InlineData(FieldKind.Boolean, "false", "false")]
    [InlineData(FieldKind.Text, "\"  kept as written  \"", "  kept as written  ")]
    [InlineData(FieldKind.LongText, "\"two\\nlines\"", "two\nlines")]
    [InlineData(FieldKind.Url, "\"https://example.com/a?b=c\"", "https://example.com/a?b=c")]
    [InlineData(FieldKind.User, "\" Ann@Example.com \"", "ann@example.com")]
    public void A_value_of_its_kind_is_kept_and_reads_back_from_its_text(FieldKind kind, string json, string text)
    {
        var field = CustomField.Create(Guid.NewGuid(), "f", kind, Now);

        var value = FieldValueRules.FromJson(field, JsonDocument.Parse(json).RootElement);

        Assert.Null(value.Error);
        Assert.Equal(text, FieldValueRules.ToText(field, value.Value!));
        var again = FieldValueRules.FromText(field, text);
        Assert.Equal(text.Trim() == text || kind is FieldKind.Text ? text : text.Trim(), FieldValueRules.ToText(field, again.Value!));
    }

    [Theory]
    [InlineData(FieldKind.Boolean, "maybe", "Field 'f': 'maybe' is not true or false.")]
    [InlineData(FieldKind.Date, "soon", "Field 'f': 'soon' is not a date written yyyy-mm-dd.")]
    public void Text_that_is_no_value_of_the_kind_is_refused_in_a_sentence(FieldKind kind, string text, string refusal) =>
        Assert.Equal(refusal, FieldValueRules.FromText(CustomField.Create(Guid.NewGuid(), "f", kind, Now), text).Error!.Detail);

    [Theory]
    [InlineData(FieldKind.Integer, "1e400")]
    [InlineData(FieldKind.Integer, "9007199254740992")]
    [InlineData(FieldKind.Integer, "\"12\"")]
    [InlineData(FieldKind.Decimal, "1000000000000000")]
    [InlineData(FieldKind.Decimal, "0.0000001")]
    [InlineData(FieldKind.Monetary, "12")]
    [InlineData(FieldKind.Monetary, "\"12.50\"")]
    [InlineData(FieldKind.Date, "\"28.02.2027\"")]
    [InlineData(FieldKind.Boolean, "1")]
    [InlineData(FieldKind.Text, "\"tab\\there\"")]
    [InlineData(FieldKind.Text, "\"\\ud800\"")]
    [InlineData(FieldKind.Url, "\"ftp://example.com\"")]
    [InlineData(FieldKind.Url, "\"/relative\"")]
    [InlineData(FieldKind.Select, "\"not-a-guid\"")]
    [InlineData(FieldKind.MultiSelect, "\"one\"")]
    [InlineData(FieldKind.DocumentLink, "42")]
    public void A_value_not_of_its_kind_is_refused_naming_the_field(FieldKind kind, string json)
    {
        var field = CustomField.Create(Guid.NewGuid(), "Due", kind, Now);

        var value = FieldValueRules.FromJson(field, JsonDocument.Parse(json).RootElement);

        Assert.Equal("invalid-fields", value.Error?.Code);
        Assert.StartsWith("Field 'Due':", value.Error!.Detail);
    }

    [Fact]
    public void Texts_are_bounded_by_their_kind()
    {
        var text = CustomField.Create(Guid.NewGuid(), "t", FieldKind.Text, Now);
        var longText = CustomField.Create(Guid.NewGuid(), "l", FieldKind.LongText, Now);

        Assert.Null(FieldValueRules.FromText(text, new string('x', FieldValueRules.MaxTextLength)).Error);
        Assert.NotNull(FieldValueRules.FromText(text, new string('x', FieldValueRules.MaxTextLength + 1)).Error);
        Assert.Null(FieldValueRules.FromText(longText, new string('x', FieldValueRules.MaxLongTextLength)).Error);
        Assert.NotNull(FieldValueRules.FromText(longText, new string('x', FieldValueRules.MaxLongTextLength + 1)).Error);
    }

    [Fact]
    public void Options_are_named_by_id_or_label_and_an_unknown_one_is_refused()
    {
        var field = CustomField.Create(Guid.NewGuid(), "Status", FieldKind.MultiSelect, Now);
        var (open, paid) = (new FieldOption(Guid.NewGuid(), "Open"), new FieldOption(Guid.NewGuid(), "Paid"));
        field.ReplaceOptions([open, paid]);

        Assert.Equal([paid.Id, open.Id], FieldValueRules.FromText(field, $"paid, {open.Id}").Value!.Options!);
        Assert.Equal("Open, Paid", FieldValueRules.ToText(field, FieldValueRules.FromJson(field, JsonDocument.Parse($"[\"{open.Id}\", \"{paid.Id}\"]").RootElement).Value!));
        var unknown = Guid.NewGuid();
        Assert.Contains(unknown.ToString(), FieldValueRules.FromJson(field, JsonDocument.Parse($"[\"{unknown}\"]").RootElement).Error!.Detail);
        Assert.NotNull(FieldValueRules.FromJson(field, JsonDocument.Parse($"[\"{open.Id}\", \"{open.Id}\"]").RootElement).Error);
    }

    [Theory]
    [InlineData("Paid", "paid", true)]
    [InlineData("a", "b", false)]
    public void Option_labels_are_unique_ignoring_case(string first, string second, bool clash)
    {
        var checkedOptions = CustomField.CheckOptions("Status", [(null, first), (null, second)], []);

        Assert.Equal(clash, checkedOptions.Error is not null);
    }
}
