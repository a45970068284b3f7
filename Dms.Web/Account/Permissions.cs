using System.Security.Claims;
using Dms.Contracts;

namespace Dms.Web.Account;

/// <summary>
/// Which actions a page offers the user, from the roles in their token: forbidden actions are not shown. The API still
/// decides every request; this only keeps the pages from offering what it would refuse.
/// </summary>
public static class Permissions
{
    public static bool CanWrite(this ClaimsPrincipal user) => Roles.Writers.Any(user.IsInRole);

    public static bool CanAdminister(this ClaimsPrincipal user) => Roles.Administrators.Any(user.IsInRole);

    public static bool CanOperate(this ClaimsPrincipal user) => user.IsInRole(Roles.Operator);
}
