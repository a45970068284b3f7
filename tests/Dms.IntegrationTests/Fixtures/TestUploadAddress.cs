using Dms.Storage;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>The file store's upload address where no API runs: the key and the signed query read back from the URL.</summary>
public sealed class TestUploadAddress : IUploadAddress
{
    private const string Prefix = "http://api/uploads/";

    public string UrlFor(string key, string signedQuery) => $"{Prefix}{key}?{signedQuery}";

    /// <summary>The key an upload URL of this address names.</summary>
    public static string KeyOf(Uri url) => Uri.UnescapeDataString(url.GetLeftPart(UriPartial.Path)[Prefix.Length..]);
}
