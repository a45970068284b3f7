using Microsoft.AspNetCore.Mvc;

namespace Dms.Identity.Pages;

/// <summary>Where a sign-in step goes on to: the page it was asked for (on the provider itself, never elsewhere), or the account page.</summary>
public static class ReturnUrls
{
    public static string Local(IUrlHelper url, string? returnUrl) => returnUrl is { } asked && url.IsLocalUrl(asked) ? asked : "/account";
}
