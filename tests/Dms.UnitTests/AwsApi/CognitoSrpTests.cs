using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Dms.AwsApi;

namespace Dms.UnitTests.AwsApi;

/// <summary>
/// The client's SRP against the pool's side of the protocol, computed here the other way round (S = (A·v^u)^b with the
/// verifier the pool keeps): the two meet only if the client's arithmetic is right, and the pool's check of the
/// signature then passes only for the right password. What this cannot prove: Cognito's acceptance itself (no pool
/// is reachable here, and cognito-local has no SRP); the group, the hashing and the key derivation follow AWS's
/// published clients.
/// </summary>
public sealed class CognitoSrpTests
{
    private const string PoolName = "AbCdEf123";
    private const string UserId = "6f2c0a4e-1b1d-4bb8-9f0e-0c5f6a3d2e11";
    private const string Password = "Correct-horse-7";

    [Fact]
    public void The_group_is_rfc_3526s_3072_bit_prime_as_openssl_knows_it()
    {
        using var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "sh", ["-c", "openssl genpkey -genparam -algorithm DH -pkeyopt group:modp_3072 | openssl asn1parse"]) { RedirectStandardOutput = true })!;
        var asn1 = openssl.StandardOutput.ReadToEnd();
        openssl.WaitForExit();
        var prime = asn1.Split('\n').First(line => line.Contains("INTEGER", StringComparison.Ordinal)).Split(':')[^1].Trim();

        Assert.Equal(0, openssl.ExitCode);
        Assert.Equal(CognitoSrp.Parse(prime), CognitoSrp.N);
        Assert.Equal(3072, (int)CognitoSrp.N.GetBitLength());
    }

    [Fact]
    public void The_claim_is_the_one_the_pool_computes_from_its_verifier_and_a_wrong_password_makes_another()
    {
        var salt = CognitoSrp.Parse(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        var pool = new Pool(salt, Password);
        var client = CognitoSrp.Start();
        var secretBlock = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var timestamp = CognitoSrp.Timestamp(DateTimeOffset.UtcNow);

        var claim = client.Answer(PoolName, UserId, Password, CognitoSrp.Hex(salt), CognitoSrp.Hex(pool.B), secretBlock, timestamp);
        var wrong = client.Answer(PoolName, UserId, "Correct-horse-8", CognitoSrp.Hex(salt), CognitoSrp.Hex(pool.B), secretBlock, timestamp);

        Assert.Equal(pool.ExpectedClaim(client.LargeA, secretBlock, timestamp), claim);
        Assert.NotEqual(claim, wrong);
    }

    [Fact]
    public void A_b_the_group_divides_is_refused()
    {
        var client = CognitoSrp.Start();

        Assert.Throws<CryptographicException>(() => client.Answer(PoolName, UserId, Password, "ab", CognitoSrp.Hex(CognitoSrp.N), "AAAA", "x"));
    }

    [Fact]
    public void The_timestamp_is_written_as_cognito_checks_it()
    {
        Assert.Equal("Sun Dec 6 15:09:03 UTC 2026", CognitoSrp.Timestamp(new DateTimeOffset(2026, 12, 6, 16, 9, 3, TimeSpan.FromHours(1))));
        Assert.Equal("Thu Jan 21 08:00:00 UTC 2027", CognitoSrp.Timestamp(new DateTimeOffset(2027, 1, 21, 8, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Numbers_are_hashed_in_their_signed_form_with_a_zero_byte_before_a_top_bit()
    {
        Assert.Equal([0x00, 0x80], CognitoSrp.Padded(0x80));
        Assert.Equal([0x7f], CognitoSrp.Padded(0x7f));
        Assert.Equal("80", CognitoSrp.Hex(0x80));
        Assert.Equal(0x80, CognitoSrp.Parse("80"));
    }

    /// <summary>The pool's side: it keeps v = g^x for the user, answers B = k·v + g^b, and computes S = (A·v^u)^b.</summary>
    private sealed class Pool
    {
        private readonly BigInteger _b = new(RandomNumberGenerator.GetBytes(128), isUnsigned: true, isBigEndian: true);
        private readonly BigInteger _verifier;

        public Pool(BigInteger salt, string password)
        {
            var x = Hash(CognitoSrp.Padded(salt), SHA256.HashData(Encoding.UTF8.GetBytes($"{PoolName}{UserId}:{password}")));
            _verifier = BigInteger.ModPow(CognitoSrp.G, x, CognitoSrp.N);
            B = (CognitoSrp.K * _verifier + BigInteger.ModPow(CognitoSrp.G, _b, CognitoSrp.N)) % CognitoSrp.N;
        }

        public BigInteger B { get; }

        public string ExpectedClaim(BigInteger a, string secretBlock, string timestamp)
        {
            var u = Hash(CognitoSrp.Padded(a), CognitoSrp.Padded(B));
            var s = BigInteger.ModPow(a * BigInteger.ModPow(_verifier, u, CognitoSrp.N) % CognitoSrp.N, _b, CognitoSrp.N);
            var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, CognitoSrp.Padded(s), 16, CognitoSrp.Padded(u), "Caldera Derived Key"u8.ToArray());
            var message = Encoding.UTF8.GetBytes(PoolName + UserId).Concat(Convert.FromBase64String(secretBlock)).Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray();
            return Convert.ToBase64String(HMACSHA256.HashData(key, message));
        }

        private static BigInteger Hash(byte[] first, byte[] second) =>
            new(SHA256.HashData([.. first, .. second]), isUnsigned: true, isBigEndian: true);
    }
}
