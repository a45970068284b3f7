using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dms.Storage;
using Microsoft.Extensions.Options;

namespace Dms.Adapters.FileSystem;

/// <summary>Signs and checks the file store's upload URLs: what may be uploaded, where, until when.</summary>
public sealed class UploadUrlSigner(IOptions<StorageOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.FileSystem.SigningKey);

    public string Sign(string key, long sizeBytes, string? sha256, long expiresUnixSeconds) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(Canonical(key, sizeBytes, sha256, expiresUnixSeconds))));

    public bool IsValid(string key, long sizeBytes, string? sha256, long expiresUnixSeconds, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(key, sizeBytes, sha256, expiresUnixSeconds));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private static string Canonical(string key, long sizeBytes, string? sha256, long expires) =>
        string.Join('\n', key, sizeBytes.ToString(CultureInfo.InvariantCulture), sha256 ?? "", expires.ToString(CultureInfo.InvariantCulture));
}
