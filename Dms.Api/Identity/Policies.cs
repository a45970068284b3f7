using Dms.Contracts;

namespace Dms.Api.Identity;

/// <summary>The authorization policies endpoints ask for, over the users' <see cref="Roles"/>.</summary>
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

    /// <summary>Across tenants: <c>/api/v1/admin/*</c>.</summary>
    public const string Operate = "operator";
}
