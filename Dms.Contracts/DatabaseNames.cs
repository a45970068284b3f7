namespace Dms.Contracts;

/// <summary>The metadata database as the AppHost, the migrations and the services name it.</summary>
public static class DatabaseNames
{
    /// <summary>The connection string every service reads (<c>ConnectionStrings:dms</c>).</summary>
    public const string ConnectionName = "dms";

    /// <summary>The role api and worker connect as: it owns nothing, and row-level security confines it to one tenant at a time.</summary>
    public const string AppRole = "dms_app";

    /// <summary>The role the web app connects as: it may read and write its session tickets (<c>web_sessions</c>) and nothing else.</summary>
    public const string WebRole = "dms_web";

    /// <summary>
    /// The role the identity provider connects as: it owns the schema <see cref="IdentitySchema"/> (accounts, grants,
    /// its sessions) and reaches nothing else; the api's and the web app's roles do not reach that schema.
    /// </summary>
    public const string IdentityRole = "dms_identity";

    public const string IdentitySchema = "identity";

    /// <summary>The transaction setting that names the tenant whose rows a transaction sees.</summary>
    public const string TenantSetting = "app.tenant_id";

    /// <summary>
    /// The transaction setting that names who reads a tenant's documents: a user's subject, who sees the unrestricted
    /// documents and those granted to them or their groups; <see cref="EveryDocument"/> for tenant admins and Dms
    /// itself; unset, only the unrestricted documents (row-level security's policy <c>document_access</c>).
    /// </summary>
    public const string ViewerSetting = "app.viewer";

    /// <summary>The viewer no one in particular is (someone with a share link): only the unrestricted documents.</summary>
    public const string NoViewer = "";

    /// <summary>The viewer who sees every document of the tenant.</summary>
    public const string EveryDocument = "*";

    /// <summary>The transaction setting (<c>on</c>) with which the operator's use cases and the worker see every tenant's rows.</summary>
    public const string CrossTenantSetting = "app.cross_tenant";

    /// <summary>The statement that makes the rest of a transaction cross-tenant.</summary>
    public const string CrossTenantStatement = $"SELECT set_config('{CrossTenantSetting}', 'on', true)";

    /// <summary>The setting that bounds how long an API request waits on the database (the AppHost passes it on).</summary>
    public const string DeadlineSetting = "Dms:Database:Deadline";
}
