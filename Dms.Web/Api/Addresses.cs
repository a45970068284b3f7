namespace Dms.Web.Api;

/// <summary>Addresses with a query string, for the API's calls and the pages' links alike: empty values are left out, the rest escaped.</summary>
public static class Addresses
{
    public static string With(string path, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? path : $"{path}?{string.Join("&", given)}";
    }
}
