using System.Security.Cryptography;

namespace Dms.Users;

/// <summary>A user made in the identity provider, with the password they sign in with once before choosing their own.</summary>
public sealed record NewUser(string Username, Guid TenantId, string Role, string TemporaryPassword);

/// <summary>The identity provider refused or could not be reached.</summary>
public sealed class UserDirectoryException(string message, bool exists = false) : Exception(message)
{
    public bool UserExists { get; } = exists;
}

/// <summary>
/// The users of the identity provider that issues the API's tokens, as the API's users endpoints, the operator pages
/// and <c>dms users</c> reach them: Dms's own provider on one machine, a Cognito user pool on AWS.
/// </summary>
public interface IUserDirectory
{
    /// <summary>Adds a user of <paramref name="tenantId"/> in <paramref name="role"/> with a temporary password (no e-mail is sent: the caller hands it over).</summary>
    Task<NewUser> CreateAsync(string email, Guid tenantId, string role, CancellationToken cancellationToken);
}

public static class TemporaryPasswords
{
    /// <summary>16 characters with an upper, a lower, a digit and a symbol: Cognito's policy and Dms's own provider's.</summary>
    public static string New()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "!#%+-=?";
        const string all = upper + lower + digits + symbols;
        var chars = new[] { Pick(upper), Pick(lower), Pick(digits), Pick(symbols) }.Concat(Enumerable.Range(0, 12).Select(_ => Pick(all))).ToArray();
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);

        static char Pick(string from) => from[RandomNumberGenerator.GetInt32(from.Length)];
    }
}
