using Dms.Contracts;
using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web.Pages;

/// <summary>The identity provider's pages, where the web app sends a browser to sign in: what a person does there.</summary>
public static class ProviderPages
{
    /// <summary>What the servers logged, for a failed navigation's message (set by the running test's base).</summary>
    internal static Func<Task<string>>? ServerErrors { get; set; }

    /// <summary>
    /// Waits until the browser is at <paramref name="glob"/>; if it is not within the wait, fails saying where the
    /// browser was left, what it showed and what the web app and the provider logged (such waits have timed out
    /// under the full suite's load: the message is what names the cause).
    /// </summary>
    public static async Task ArriveAsync(IPage page, string glob, string what = "The page")
    {
        try
        {
            await page.WaitForURLAsync(glob, WebTest.Loaded);
        }
        catch (TimeoutException e)
        {
            // A browser that is there by now arrived: a chain of redirects ending in a meta refresh, on a busy machine,
            // can commit its last page without the wait seeing it (seen once, at the sign-in page after signing out).
            try
            {
                await page.WaitForURLAsync(glob, new() { WaitUntil = WaitUntilState.Commit, Timeout = 5_000 });
                return;
            }
            catch (TimeoutException)
            {
            }

            var shown = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 }).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "(nothing read)");
            var logged = ServerErrors is { } read ? await read() : "";
            throw new TimeoutException(
                $"{what} did not come to {glob}: the browser is at {page.Url}, showing: {shown[..Math.Min(shown.Length, 600)]}\nThe servers logged:\n{logged}", e);
        }
    }

    /// <summary>Signs in at the provider's page, where the web app's sign-in sends the browser, and waits to be back.</summary>
    public static async Task SignInAsync(IPage page, string username, string landsOn = "documents")
    {
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(DemoIdentity.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ArriveAsync(page, $"**/{landsOn}", $"Signing in as {username}");
    }

    /// <summary>A first sign-in's page at the provider: the rules shown, the new password typed twice; the password chosen.</summary>
    public static async Task<string> ChooseAPasswordAsync(IPage page)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose your password" })).ToBeVisibleAsync();
        var chosen = $"Chosen-{Guid.NewGuid():N}-1a!";
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(chosen);
        await page.GetByLabel("New password again").FillAsync(chosen);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        return chosen;
    }
}
