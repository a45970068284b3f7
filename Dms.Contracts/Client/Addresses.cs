using System.Globalization;

namespace Dms.Contracts.Client;

/// <summary>Addresses with a query string, for the API's calls and the web app's links alike: a parameter with no value is left out, every value escaped.</summary>
public static class Addresses
{
    public static string With(string path, params (string Name, string? Value)[] query)
    {
        var given = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}").ToList();
        return given.Count == 0 ? path : $"{path}?{string.Join('&', given)}";
    }

    public static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);
}
