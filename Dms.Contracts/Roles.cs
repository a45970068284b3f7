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

    /// <summary>
    /// What each role may do in its tenant: the API's policies are these, and a client offers its menus by them (for
    /// one document, its answer's <c>actions</c> say more: they follow its status too).
    /// </summary>
    public static readonly string[] Readers = InTenant;

    /// <summary>Create, upload, edit, trash and restore documents.</summary>
    public static readonly string[] Writers = [Editor, Admin];

    /// <summary>Purge and reprocess documents, manage the tenant's users.</summary>
    public static readonly string[] Administrators = [Admin];

    public static readonly string[] All = [.. InTenant, Operator];
}
