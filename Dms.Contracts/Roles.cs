namespace Dms.Contracts;

/// <summary>The groups a user belongs to in the identity provider: the API's policies, the demo users and the CLI's choices read them here.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Admin = "admin";

    /// <summary>Across tenants, and only for <c>/api/v1/admin/*</c>.</summary>
    public const string Operator = "operator";

    /// <summary>The roles a tenant's user can have, least to most.</summary>
    public static readonly string[] InTenant = [Viewer, Editor, Admin];

    public static readonly string[] All = [.. InTenant, Operator];
}
