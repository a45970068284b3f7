using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// Mints RS256 tokens shaped like a Cognito user pool's ID tokens (<c>custom:tenant_id</c>, <c>cognito:groups</c>),
/// signed with a key of the tests' own. What this cannot prove: discovery of a real issuer's keys (the local
/// Cognito stand-in covers that end to end).
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://issuer.tests.dms.invalid";
    public const string Audience = "dms-tests";

    public static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "tests" };

    private static readonly RsaSecurityKey ForeignKey = new(RSA.Create(2048)) { KeyId = "tests" };

    /// <summary>A user who signed in with a second factor, as an admin or operator must where that is required.</summary>
    public static string For(Guid? tenantId, params string[] roles) => Mint(tenantId, roles, extraClaims: SignedInWithSecondFactor);

    public static readonly IReadOnlyDictionary<string, string> SignedInWithSecondFactor = new Dictionary<string, string> { ["dms_two_factor"] = "true" };

    /// <param name="subject">The user: by default one per tenant and roles, so <c>EditorA</c> is the same person in every request.</param>
    public static string Mint(
        Guid? tenantId,
        string[] roles,
        string issuer = Issuer,
        DateTime? expires = null,
        bool forged = false,
        string? subject = null,
        string audience = Audience,
        string? email = null,
        IReadOnlyDictionary<string, string>? extraClaims = null)
    {
        var claims = new List<Claim> { new("sub", subject ?? SubjectOf(tenantId, roles)) };
        claims.AddRange((extraClaims ?? new Dictionary<string, string>()).Select(c => new Claim(c.Key, c.Value)));
        if (email is not null)
        {
            claims.Add(new Claim("email", email));
        }

        if (tenantId is { } tenant)
        {
            claims.Add(new Claim("custom:tenant_id", tenant.ToString()));
        }

        claims.AddRange(roles.Select(role => new Claim("cognito:groups", role)));
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = expiry < now ? expiry.AddMinutes(-10) : now.AddMinutes(-1),
            IssuedAt = expiry < now ? expiry.AddMinutes(-10) : now.AddMinutes(-1),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(forged ? ForeignKey : SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private static string SubjectOf(Guid? tenantId, string[] roles) =>
        new Guid(MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{tenantId}/{string.Join(',', roles)}"))).ToString();
}
