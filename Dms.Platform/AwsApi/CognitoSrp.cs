using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Dms.AwsApi;

/// <summary>
/// The client's side of Cognito's <c>USER_SRP_AUTH</c> (SRP-6a over RFC 3526's 3072-bit group, SHA-256): the password
/// never leaves the machine; the pool sees only that the client knows it. <see cref="Start"/> makes the ephemeral
/// pair and <c>SRP_A</c>; <see cref="Answer"/> turns the pool's <c>PASSWORD_VERIFIER</c> challenge into the claim's
/// signature. Cognito's particulars: numbers hashed in their signed big-endian form (a leading zero byte when the top
/// bit is set), x = H(salt | H(pool name | user id | ":" | password)), the key taken with HKDF ("Caldera Derived
/// Key", 16 bytes), and the timestamp as "ddd MMM d HH:mm:ss UTC yyyy".
/// </summary>
public sealed class CognitoSrp
{
    /// <summary>RFC 3526's 3072-bit MODP prime (a test compares it with OpenSSL's <c>modp_3072</c>).</summary>
    public static readonly BigInteger N = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
        NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static readonly BigInteger G = 2;

    /// <summary>The multiplier k = H(N | g).</summary>
    public static readonly BigInteger K = Hash(Padded(N), Padded(G));

    private static readonly byte[] DerivedKeyInfo = [.. "Caldera Derived Key"u8, 1];

    private readonly BigInteger _a;

    private CognitoSrp(BigInteger a)
    {
        _a = a;
        LargeA = BigInteger.ModPow(G, a, N);
    }

    /// <summary>A = g^a mod N, sent as SRP_A.</summary>
    public BigInteger LargeA { get; }

    public string SrpA => Hex(LargeA);

    /// <summary>A new ephemeral pair (a test may give its own a).</summary>
    public static CognitoSrp Start(BigInteger? a = null)
    {
        while (true)
        {
            var chosen = a ?? Unsigned(RandomNumberGenerator.GetBytes(128)) % N;
            var srp = new CognitoSrp(chosen);
            if (!srp.LargeA.IsZero)
            {
                return srp;
            }
        }
    }

    /// <summary>The PASSWORD_VERIFIER answer: the claim's signature over pool name, user id, secret block and time.</summary>
    /// <param name="poolName">The pool id's part after the region's underscore.</param>
    /// <exception cref="CryptographicException">The pool's B or the derived u is not one SRP may use.</exception>
    public string Answer(string poolName, string userIdForSrp, string password, string saltHex, string srpBHex, string secretBlock, string timestamp)
    {
        var b = Parse(srpBHex);
        if ((b % N).IsZero)
        {
            throw new CryptographicException("The identity provider's SRP_B is not valid.");
        }

        var u = Hash(Padded(LargeA), Padded(b));
        if (u.IsZero)
        {
            throw new CryptographicException("The identity provider's SRP_B makes u zero.");
        }

        var x = Hash(Padded(Parse(saltHex)), SHA256.HashData(Encoding.UTF8.GetBytes($"{poolName}{userIdForSrp}:{password}")));
        var s = BigInteger.ModPow(Mod(b - K * BigInteger.ModPow(G, x, N)), _a + u * x, N);
        var key = HMACSHA256.HashData(HMACSHA256.HashData(Padded(u), Padded(s)), DerivedKeyInfo)[..16];
        var message = Encoding.UTF8.GetBytes(poolName + userIdForSrp).Concat(Convert.FromBase64String(secretBlock)).Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray();
        return Convert.ToBase64String(HMACSHA256.HashData(key, message));
    }

    /// <summary>"Sun Dec 6 15:09:03 UTC 2026": the day of the month not zero-padded, as Cognito checks it.</summary>
    public static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("ddd MMM d HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);

    /// <summary>A number's signed big-endian bytes: a leading zero when its top bit is set (SRP's padHex).</summary>
    public static byte[] Padded(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);

    /// <summary>The number SHA-256 of the parts makes, read as unsigned.</summary>
    public static BigInteger Hash(params byte[][] parts) => Unsigned(SHA256.HashData(parts.SelectMany(p => p).ToArray()));

    public static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static string Hex(BigInteger value) => Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0') is { Length: > 0 } hex ? hex : "0";

    public static BigInteger Mod(BigInteger value) => (value % N + N) % N;

    private static BigInteger Unsigned(byte[] bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);
}
