namespace Dms.Api.Identity;

/// <summary>The groups a user belongs to, and the policies endpoints ask for.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Editor = "editor";
    public const string Admin = "admin";

    /// <summary>Across tenants, and only for <c>/api/v1/admin/*</c>.</summary>
    public const string Operator = "operator";

    public static class Policies
    {
        /// <summary>A tenant's user who may read: viewer, editor or admin.</summary>
        public const string Read = "tenant-read";

        /// <summary>A tenant's user who may write: editor or admin.</summary>
        public const string Write = "tenant-write";

        /// <summary>A tenant's administrator: permanent deletes, reprocessing, usage.</summary>
        public const string Administer = "tenant-admin";

        /// <summary>Moving a document to the trash (editor or admin); with <c>?permanent=true</c>, removing it for good (admin).</summary>
        public const string Delete = "tenant-delete";

        public const string Operate = "operator";
    }
}
