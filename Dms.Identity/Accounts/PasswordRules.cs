using Microsoft.AspNetCore.Identity;

namespace Dms.Identity.Accounts;

/// <summary>What a password must be (Cognito's default policy, so a user meets the same rules on AWS), said before the first try.</summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;

    public const string Description =
        "At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol.";

    public static void Apply(PasswordOptions password)
    {
        password.RequiredLength = MinimumLength;
        password.RequireUppercase = true;
        password.RequireLowercase = true;
        password.RequireDigit = true;
        password.RequireNonAlphanumeric = true;
        password.RequiredUniqueChars = 4;
    }
}
