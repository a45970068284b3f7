using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dms.AwsApi;

/// <summary>
/// AWS Signature Version 4 for the few AWS JSON API calls made without a service client (the Cognito user pool's
/// admin calls, Secrets Manager: the SDK's packages for them are not ones this project can take). Signs the given
/// headers, which must include <c>host</c> and <c>x-amz-date</c>; checked against AWS's published signing test vectors.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <param name="headers">Header names in any case; their values are trimmed.</param>
    /// <param name="payloadSha256">Lowercase hex SHA-256 of the body (of nothing, for a body-less request).</param>
    public static string Authorization(
        string method, Uri url, IReadOnlyDictionary<string, string> headers, string payloadSha256,
        string accessKey, string secretKey, string region, string service, DateTimeOffset at)
    {
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var canonicalHeaders = headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', canonicalHeaders.Select(h => h.Name));
        var canonicalRequest = string.Join('\n',
            method,
            string.IsNullOrEmpty(url.AbsolutePath) ? "/" : url.AbsolutePath,
            CanonicalQuery(url.Query),
            string.Concat(canonicalHeaders.Select(h => $"{h.Name}:{h.Value}\n")),
            signedHeaders,
            payloadSha256);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = new[] { date, region, service, "aws4_request" }
            .Aggregate(Encoding.UTF8.GetBytes("AWS4" + secretKey), (k, part) => HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(part)));
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return $"{Algorithm} Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static string AmzDate(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Parameters sorted by name, then value, each already URI-encoded as the URL carries it.</summary>
    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=') ? p : p + "=")
            .OrderBy(p => p[..p.IndexOf('=')], StringComparer.Ordinal)
            .ThenBy(p => p, StringComparer.Ordinal));
}
