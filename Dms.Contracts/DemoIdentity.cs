namespace Dms.Contracts;

/// <summary>
/// The demo tenant and its users that the local identity provider is seeded with, so a new user can get a token
/// and call the API at once (<c>./dms.sh token editor</c>); the AppHost adds the tenant, the provider the users. Local use only: the password is in the source.
/// </summary>
public static class DemoIdentity
{
    public static readonly Guid TenantId = Guid.Parse("de300000-0000-4000-8000-000000000001");

    public const string Password = "Dms-demo-1!";

    /// <summary>User name (an email, as a Cognito pool with email sign-in wants) and group; the operator has no tenant.</summary>
    public static readonly (string Email, string Group, bool InTenant)[] Users =
    [
        ("viewer@demo.dms.local", Roles.Viewer, true),
        ("editor@demo.dms.local", Roles.Editor, true),
        ("admin@demo.dms.local", Roles.Admin, true),
        ("operator@demo.dms.local", Roles.Operator, false),
    ];
}
