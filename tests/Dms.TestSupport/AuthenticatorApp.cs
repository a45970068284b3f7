using OtpNet;

namespace Dms.TestSupport;

/// <summary>What a person's authenticator app shows for a key the provider's account page gave: the TOTP code of now (RFC 6238).</summary>
public static class AuthenticatorApp
{
    /// <param name="key">The key as the page shows it (base32, in groups, any case).</param>
    public static string CodeFor(string key) => new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();
}
