using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dms.Audit;

/// <summary>
/// The hash of a chain link: SHA-256 over the previous link's hash and the event's content, every column of it in a
/// fixed order, each as its length then its UTF-8 bytes (so no value can pass for two), times in microseconds since
/// the epoch as PostgreSQL keeps them.
/// </summary>
public static class AuditDigest
{
    /// <summary>The previous hash of a tenant's first link.</summary>
    public static readonly byte[] Genesis = new byte[32];

    private static readonly byte[] Version = Encoding.ASCII.GetBytes("dms-audit-1");

    public static byte[] Link(ReadOnlySpan<byte> previousHash, AuditEvent audit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Version);
        hash.AppendData(previousHash);
        Append(hash, audit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, audit.TenantId.ToString());
        Append(hash, ((audit.OccurredAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, audit.Action);
        Append(hash, audit.ActorKind);
        Append(hash, audit.ActorId);
        Append(hash, audit.ActorName);
        Append(hash, audit.ClientAddress);
        Append(hash, audit.UserAgent);
        Append(hash, audit.DocumentId?.ToString());
        Append(hash, audit.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, audit.Outcome);
        Append(hash, audit.Details);
        return hash.GetHashAndReset();
    }

    /// <summary>A value as its length (-1 for none) and its bytes.</summary>
    private static void Append(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        var bytes = value is null ? [] : Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, value is null ? -1 : bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
