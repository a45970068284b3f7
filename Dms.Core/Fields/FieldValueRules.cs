using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dms.Common;

namespace Dms.Fields;

/// <summary>
/// What each kind of field accepts, how a value is written in JSON and as text. Everything a tenant sends is checked
/// here before it is stored: bounded lengths, numbers that JSON clients read back exactly, real dates, option ids the
/// field has, absolute http(s) URLs; every refusal names the field.
/// </summary>
public static partial class FieldValueRules
{
    public const int MaxTextLength = 1_000;
    public const int MaxLongTextLength = 20_000;
    public const int MaxUrlLength = 2_000;
    public const int MaxUserLength = 254;

    /// <summary>The largest whole number a JSON client (a browser's double) reads back exactly: 2^53 - 1.</summary>
    public const long MaxInteger = 9_007_199_254_740_991;

    /// <summary>Decimals and amounts: under 10^15, at most 6 places (the column is numeric(21, 6)).</summary>
    public const decimal MaxDecimal = 999_999_999_999_999.999999m;
    public const int DecimalPlaces = 6;

    /// <summary>A value from the JSON of a request (null is handled by the caller: it removes the value).</summary>
    public static Outcome<FieldValue> FromJson(CustomField field, JsonElement json)
    {
        var value = new FieldValue { FieldId = field.Id, Kind = field.Kind };
        var fits = (field.Kind, json.ValueKind) switch
        {
            (FieldKind.Text or FieldKind.LongText or FieldKind.Url or FieldKind.User, JsonValueKind.String) => Text(json) is { } text && Set(() => value.Text = text),
            (FieldKind.Integer, JsonValueKind.Number) => json.TryGetInt64(out var whole) && Set(() => value.Integer = whole),
            (FieldKind.Decimal, JsonValueKind.Number) => json.TryGetDecimal(out var number) && Set(() => value.Number = number),
            (FieldKind.Decimal, JsonValueKind.String) => Text(json) is { } text && ParseDecimal(text) is { } parsed && Set(() => value.Number = parsed),
            (FieldKind.Monetary, JsonValueKind.Object) => Amount(json, value),
            (FieldKind.Monetary, JsonValueKind.String) => Text(json) is { } text && ParseMoney(text, value),
            (FieldKind.Date, JsonValueKind.String) => Text(json) is { } text && ParseDate(text) is { } date && Set(() => value.Date = date),
            (FieldKind.Boolean, JsonValueKind.True or JsonValueKind.False) => Set(() => value.Boolean = json.GetBoolean()),
            (FieldKind.Select, JsonValueKind.String) => Guid.TryParse(Text(json), out var option) && Set(() => value.Options = [option]),
            (FieldKind.MultiSelect, JsonValueKind.Array) => json.GetArrayLength() <= CustomField.MaxOptions && OptionIds(json, value),
            (FieldKind.DocumentLink, JsonValueKind.String) => Guid.TryParse(Text(json), out var linked) && Set(() => value.LinkedDocumentId = linked),
            _ => false,
        };
        return fits ? Check(field, value) : Error.Invalid("fields", $"Field '{field.Name}': {Expected(field.Kind)}.");
    }

    /// <summary>A value written as text: in a list filter, and when a field's kind changes (from <see cref="ToText"/>).</summary>
    public static Outcome<FieldValue> FromText(CustomField field, string text)
    {
        var value = new FieldValue { FieldId = field.Id, Kind = field.Kind };
        var trimmed = text.Trim();
        var fits = field.Kind switch
        {
            FieldKind.Text or FieldKind.LongText or FieldKind.Url or FieldKind.User => Set(() => value.Text = text),
            FieldKind.Integer => long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) && Set(() => value.Integer = whole)
                || ParseDecimal(trimmed) is { } exact && decimal.Truncate(exact) == exact && exact is >= -MaxInteger and <= MaxInteger && Set(() => value.Integer = (long)exact),
            FieldKind.Decimal => ParseDecimal(trimmed) is { } number && Set(() => value.Number = number),
            FieldKind.Monetary => ParseMoney(trimmed, value),
            FieldKind.Date => ParseDate(trimmed) is { } date && Set(() => value.Date = date),
            FieldKind.Boolean => ParseBoolean(trimmed) is { } flag && Set(() => value.Boolean = flag),
            FieldKind.Select => OptionNamed(field, trimmed) is { } option && Set(() => value.Options = [option]),
            FieldKind.MultiSelect => trimmed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is var names
                && names.Length <= CustomField.MaxOptions && names.Select(n => OptionNamed(field, n)).ToList() is var ids && ids.All(id => id is not null)
                && Set(() => value.Options = ids.Select(id => id!.Value).Distinct().ToArray()),
            FieldKind.DocumentLink => Guid.TryParse(trimmed, out var linked) && Set(() => value.LinkedDocumentId = linked),
            _ => false,
        };
        return fits ? Check(field, value) : Error.Invalid("fields", $"Field '{field.Name}': '{StorableText.Quoted(text)}' is not {Expected(field.Kind)[MustBe.Length..]}.");
    }

    /// <summary>The value as text that <see cref="FromText"/> reads back: options by their labels, amounts as EUR12.50.</summary>
    public static string ToText(CustomField field, FieldValue value) => value.Kind switch
    {
        FieldKind.Integer => value.Integer!.Value.ToString(CultureInfo.InvariantCulture),
        FieldKind.Decimal => Exact(value.Number!.Value).ToString(CultureInfo.InvariantCulture),
        FieldKind.Monetary => $"{value.Currency}{Exact(value.Number!.Value).ToString(CultureInfo.InvariantCulture)}",
        FieldKind.Date => value.Date!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FieldKind.Boolean => value.Boolean!.Value ? "true" : "false",
        FieldKind.Select or FieldKind.MultiSelect => string.Join(", ", (value.Options ?? []).Select(id => field.Option(id)?.Label ?? id.ToString())),
        FieldKind.DocumentLink => value.LinkedDocumentId!.Value.ToString(),
        _ => value.Text ?? "",
    };

    /// <summary>The value as the API writes it: numbers as numbers, an amount as {amount, currency}, options by their ids.</summary>
    public static JsonNode? ToJson(FieldValue value) => value.Kind switch
    {
        FieldKind.Integer => JsonValue.Create(value.Integer),
        FieldKind.Decimal => JsonValue.Create(Exact(value.Number!.Value)),
        FieldKind.Monetary => new JsonObject { ["amount"] = JsonValue.Create(Exact(value.Number!.Value)), ["currency"] = value.Currency },
        FieldKind.Date => JsonValue.Create(value.Date!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        FieldKind.Boolean => JsonValue.Create(value.Boolean),
        FieldKind.Select => JsonValue.Create(value.Options is [var option, ..] ? option.ToString() : null),
        FieldKind.MultiSelect => new JsonArray((value.Options ?? []).Select(id => (JsonNode?)JsonValue.Create(id.ToString())).ToArray()),
        FieldKind.DocumentLink => JsonValue.Create(value.LinkedDocumentId?.ToString()),
        _ => JsonValue.Create(value.Text),
    };

    /// <summary>A number as it was written, without the zeros the column's scale adds (12.5, not 12.500000).</summary>
    private static decimal Exact(decimal number) => number / 1.000000000000000000000000000000000m;

    private const string MustBe = "must be ";

    /// <summary>What a value of <paramref name="kind"/> is, as a refusal says it ("must be ...").</summary>
    public static string Expected(FieldKind kind) => MustBe + kind switch
    {
        FieldKind.Text => $"text of at most {MaxTextLength} characters on one line",
        FieldKind.LongText => $"text of at most {MaxLongTextLength} characters",
        FieldKind.Integer => $"a whole number from -{MaxInteger} to {MaxInteger}",
        FieldKind.Decimal => $"a number under 10^15 with at most {DecimalPlaces} decimal places",
        FieldKind.Monetary => "an amount with its currency: {\"amount\": 12.50, \"currency\": \"EUR\"} or \"EUR12.50\"",
        FieldKind.Date => "a date written yyyy-mm-dd",
        FieldKind.Boolean => "true or false",
        FieldKind.Select => "the id of one of the field's options",
        FieldKind.MultiSelect => "a list of ids of the field's options",
        FieldKind.Url => $"an absolute http or https URL of at most {MaxUrlLength} characters",
        FieldKind.DocumentLink => "the id of a document",
        FieldKind.User => "the e-mail address of one of the tenant's users",
        _ => "valid",
    };

    private static Outcome<FieldValue> Check(CustomField field, FieldValue value)
    {
        var fine = value.Kind switch
        {
            FieldKind.Text => value.Text!.Length <= MaxTextLength && StorableText.IsStorable(value.Text) && !value.Text.Any(char.IsControl),
            FieldKind.LongText => value.Text!.Length <= MaxLongTextLength && StorableText.IsStorable(value.Text)
                && !value.Text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')),
            FieldKind.User => value.Text!.Length <= MaxUserLength && StorableText.IsStorable(value.Text) && !value.Text.Any(char.IsControl),
            FieldKind.Url => value.Text!.Length <= MaxUrlLength && !value.Text.Any(char.IsControl) && StorableText.IsStorable(value.Text)
                && Uri.TryCreate(value.Text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
            FieldKind.Integer => value.Integer is >= -MaxInteger and <= MaxInteger,
            FieldKind.Decimal or FieldKind.Monetary => value.Number is { } n && Math.Abs(n) <= MaxDecimal && Math.Round(n, DecimalPlaces) == n
                && (value.Kind == FieldKind.Decimal || value.Currency is { } c && Currency().IsMatch(c)),
            FieldKind.Select or FieldKind.MultiSelect => value.Options is { } ids && ids.Distinct().Count() == ids.Length && ids.All(id => field.Option(id) is not null),
            _ => true,
        };
        if (!fine && value.Options is { } chosen && chosen.FirstOrDefault(id => field.Option(id) is null) is var unknown && unknown != Guid.Empty)
        {
            return Error.Invalid("fields", $"Field '{field.Name}': {unknown} is not one of its options.");
        }

        if (value.Kind == FieldKind.User)
        {
            value.Text = value.Text!.Trim().ToLowerInvariant();
        }

        return fine ? value : Error.Invalid("fields", $"Field '{field.Name}': {Expected(field.Kind)}.");
    }

    /// <summary>A JSON string's text, or null: not a string, or one .NET cannot read (half of a surrogate pair, escaped).</summary>
    private static string? Text(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return json.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool Set(Action set)
    {
        set();
        return true;
    }

    private static bool Amount(JsonElement json, FieldValue value)
    {
        if (!json.TryGetProperty("amount", out var amount) || !json.TryGetProperty("currency", out var currency) || Text(currency) is not { } code)
        {
            return false;
        }

        value.Currency = code.Trim().ToUpperInvariant();
        return amount.ValueKind switch
        {
            JsonValueKind.Number => amount.TryGetDecimal(out var number) && Set(() => value.Number = number),
            JsonValueKind.String => Text(amount) is { } text && ParseDecimal(text) is { } parsed && Set(() => value.Number = parsed),
            _ => false,
        };
    }

    private static bool ParseMoney(string text, FieldValue value)
    {
        var match = Money().Match(text.Trim());
        if (!match.Success || ParseDecimal(match.Groups["amount"].Value) is not { } amount)
        {
            return false;
        }

        value.Currency = (match.Groups["before"].Success ? match.Groups["before"].Value : match.Groups["after"].Value).ToUpperInvariant();
        value.Number = amount;
        return true;
    }

    private static bool OptionIds(JsonElement json, FieldValue value)
    {
        var ids = new List<Guid>();
        foreach (var item in json.EnumerateArray())
        {
            if (!Guid.TryParse(Text(item), out var id))
            {
                return false;
            }

            ids.Add(id);
        }

        value.Options = [.. ids];
        return true;
    }

    private static Guid? OptionNamed(CustomField field, string name) =>
        Guid.TryParse(name, out var id) ? id : field.Options.FirstOrDefault(o => string.Equals(o.Label, name, StringComparison.OrdinalIgnoreCase))?.Id;

    private static decimal? ParseDecimal(string text) =>
        text.Length <= 40 && decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static bool? ParseBoolean(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => null,
    };

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Currency();

    [GeneratedRegex(@"^(?:(?<before>[A-Za-z]{3}) ?)?(?<amount>-?\d{1,15}(?:\.\d{1,6})?)(?: ?(?<after>[A-Za-z]{3}))?$")]
    private static partial Regex Money();
}
