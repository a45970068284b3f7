using System.Globalization;
using System.Security.Cryptography;
using Dms.Common;
using Microsoft.IdentityModel.Tokens;

namespace Dms.Identity.Keys;

/// <summary>
/// This installation's keys: RSA keys that sign the tokens (published as the provider's JWKS) and AES keys that
/// encrypt what only the provider reads back (authorization codes, device codes, refresh tokens). Made at the first
/// start, one file each in an owner-only folder; never shipped, never shared with another installation. A key is
/// used for <see cref="KeyOptions.Rotation"/>, then a new one is made and used while the old one still verifies what
/// it signed for as long again; after that it is deleted.
/// </summary>
public sealed class KeyRing
{
    private const string SigningPrefix = "signing-";
    private const string EncryptionPrefix = "encryption-";
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    private KeyRing(IReadOnlyList<RsaSecurityKey> signing, IReadOnlyList<SymmetricSecurityKey> encryption)
    {
        SigningKeys = signing;
        EncryptionKeys = encryption;
    }

    /// <summary>Newest first: the first one signs, all are published.</summary>
    public IReadOnlyList<RsaSecurityKey> SigningKeys { get; }

    /// <summary>Newest first: the first one encrypts, all decrypt.</summary>
    public IReadOnlyList<SymmetricSecurityKey> EncryptionKeys { get; }

    /// <summary>Reads the folder's keys, making a new one of each kind when the newest is older than the rotation.</summary>
    public static KeyRing Open(KeyOptions options, DateTimeOffset now)
    {
        var folder = OwnerOnly.CreateFolder(options.Folder ?? throw new InvalidOperationException($"{KeyOptions.Section}:Folder is required: where this installation's keys are kept."));
        if (!OperatingSystem.IsWindows() && (folder.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
        {
            throw new InvalidOperationException(
                $"The key folder {folder.FullName} can be read by other users, so its keys may have been copied: make it owner-only (chmod 700) " +
                "or delete the folder to make new keys (everyone signs in again).");
        }

        var signing = Read(folder, SigningPrefix, options, now, bytes =>
        {
            var rsa = RSA.Create();
            rsa.ImportRSAPrivateKey(bytes, out _);
            return rsa;
        }, () => RSA.Create(3072).ExportRSAPrivateKey());
        var encryption = Read(folder, EncryptionPrefix, options, now, bytes => bytes, () => RandomNumberGenerator.GetBytes(32));
        return new KeyRing(
            [.. signing.Select(key => new RsaSecurityKey(key.Value) { KeyId = key.Id })],
            [.. encryption.Select(key => new SymmetricSecurityKey(key.Value) { KeyId = key.Id })]);
    }

    private static List<(string Id, T Value)> Read<T>(DirectoryInfo folder, string prefix, KeyOptions options, DateTimeOffset now, Func<byte[], T> parse, Func<byte[]> make)
    {
        var files = folder.GetFiles(prefix + "*.key")
            .Select(file => (File: file, Made: MadeAt(file, prefix)))
            .Where(key => key.Made is not null)
            .OrderByDescending(key => key.Made)
            .ToList();
        if (files.Count == 0 || now - files[0].Made > options.Rotation)
        {
            var name = Path.Combine(folder.FullName, $"{prefix}{now.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}.key");
            using (var file = OwnerOnly.CreateFile(name, FileMode.CreateNew))
            {
                file.Write(make());
            }

            files.Insert(0, (new FileInfo(name), now));
        }

        var kept = new List<(string, T)>();
        foreach (var (file, made) in files)
        {
            // The newest signs; an older one verifies for one rotation more, then goes.
            if (kept.Count > 0 && now - made > 2 * options.Rotation)
            {
                file.Delete();
                continue;
            }

            if (!OperatingSystem.IsWindows() && (file.UnixFileMode & ~OwnerOnly.FileMode) != 0)
            {
                throw new InvalidOperationException(
                    $"The key {file.FullName} can be read by other users, so it may have been copied: delete it to make a new one (everyone signs in again).");
            }

            kept.Add(($"{prefix}{made!.Value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}", parse(File.ReadAllBytes(file.FullName))));
        }

        return kept;
    }

    private static DateTimeOffset? MadeAt(FileInfo file, string prefix) =>
        DateTimeOffset.TryParseExact(Path.GetFileNameWithoutExtension(file.Name)[prefix.Length..], TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var made) ? made : null;
}

/// <summary>Where the keys are kept and how long one is used (<c>Dms:Identity:Keys</c>).</summary>
public sealed class KeyOptions
{
    public const string Section = "Dms:Identity:Keys";

    public string? Folder { get; set; }

    public TimeSpan Rotation { get; set; } = TimeSpan.FromDays(90);
}
