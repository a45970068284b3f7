using System.Security.Cryptography;

namespace Dms.Users;

/// <summary>A user made in the identity provider, with the password they sign in with once before choosing their own.</summary>
public sealed record NewUser(string Username, Guid TenantId, string Role, string TemporaryPassword);

/// <summary>
/// A user of a tenant as the directory lists them: their e-mail address (also their user name), their subject (the
/// <c>sub</c> of their tokens), role, whether they may sign in, and whether they still have to replace a temporary password.
/// </summary>
public sealed record DirectoryUser(string Username, string Subject, Guid TenantId, string Role, bool Enabled, bool MustChangePassword, DateTimeOffset CreatedAt);

/// <summary>Why the identity provider did not do what was asked.</summary>
public enum DirectoryFailure
{
    /// <summary>It could not be reached or answered with an error of its own.</summary>
    Unavailable,

    /// <summary>There is already a user with that e-mail address.</summary>
    Exists,

    /// <summary>The tenant has no user with that e-mail address (a user of another tenant is not found either).</summary>
    NotFound,
}

/// <summary>The identity provider refused or could not be reached.</summary>
public sealed class UserDirectoryException(string message, DirectoryFailure failure = DirectoryFailure.Unavailable) : Exception(message)
{
    public DirectoryFailure Failure { get; } = failure;
}

/// <summary>
/// The users of the identity provider that issues the API's tokens, as the API's users endpoints, the operator pages
/// and <c>dms users</c> reach them: Dms's own provider on one machine, a Cognito user pool on AWS.
/// </summary>
public interface IUserDirectory
{
    /// <summary>Adds a user of <paramref name="tenantId"/> in <paramref name="role"/> with a temporary password (no e-mail is sent: the caller hands it over).</summary>
    Task<NewUser> CreateAsync(string email, Guid tenantId, string role, CancellationToken cancellationToken);

    /// <summary>The users of <paramref name="tenantId"/>, by e-mail address.</summary>
    Task<IReadOnlyList<DirectoryUser>> ListAsync(Guid tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// A disabled user cannot sign in and their sign-ins end (the tokens they hold run out; no refresh is given);
    /// enabled again, they sign in with the password they had.
    /// </summary>
    Task SetEnabledAsync(Guid tenantId, string username, bool enabled, CancellationToken cancellationToken);

    /// <summary>
    /// For a user who lost their password or second factor: a new temporary password they replace at their next
    /// sign-in, their sign-ins ended, their lockout lifted (and, at Dms's provider, their two-factor set-up removed).
    /// </summary>
    Task<NewUser> ResetAsync(Guid tenantId, string username, CancellationToken cancellationToken);

    /// <summary>The user is gone: they cannot sign in, and their sign-ins end.</summary>
    Task RemoveAsync(Guid tenantId, string username, CancellationToken cancellationToken);
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
