namespace Dms.Identity.Accounts;

/// <summary>What the provider takes of a passkey from a browser: an answer of this size at most, a name of this length.</summary>
public static class PasskeyLimits
{
    /// <summary>An attestation with its certificate chain is a few kilobytes; anything near this is not one.</summary>
    public const int CredentialJsonLength = 64 * 1024;

    public const int NameLength = 64;

    /// <summary>How many passkeys one account keeps (a phone, a laptop, a security key or two).</summary>
    public const int PerUser = 10;
}

/// <summary>A browser's answer to a passkey ceremony (adding one, or signing in with one).</summary>
public static class PasskeyCeremony
{
    /// <summary>
    /// The answer checked; null when no ceremony of this browser is underway to answer (its options never asked for,
    /// expired, or already answered once), which Identity reports by throwing: a refusal, not a server error.
    /// </summary>
    public static async Task<T?> AnswerAsync<T>(Func<Task<T>> answer) where T : class
    {
        try
        {
            return await answer();
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("No passkey", StringComparison.Ordinal))
        {
            return null;
        }
    }
}
