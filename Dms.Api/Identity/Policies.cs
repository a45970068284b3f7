using Dms.Contracts;
using Microsoft.AspNetCore.Authorization;

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

    /// <summary>Across tenants: <c>/api/v1/admin/*</c>, and the details of <c>/health</c>.</summary>
    public const string Operate = "operator";

    /// <summary>Whether the request's user passes <see cref="Operate"/>, for an answer that only shows operators more.</summary>
    public static async Task<bool> IsOperatorAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, Operate)).Succeeded;
}
