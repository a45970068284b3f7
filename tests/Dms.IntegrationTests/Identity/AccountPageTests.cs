using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dms.Identity.Accounts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.IntegrationTests.Identity;

/// <summary>
/// The account page at the provider: a password changed with the current one ends every other sign-in; each sign-in
/// (browser or device) is listed and can be ended on its own, and only by its own user.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class AccountPageTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private const string Password = "First-Password-1!";
    private ProviderScenario _provider = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _provider = await ProviderScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task A_changed_password_ends_every_other_sign_in_and_keeps_this_one()
    {
        await _provider.CreateUserAsync("changer@demo.dms.local", Password, mustChangePassword: false);
        using var here = _provider.NewBrowser();
        using var elsewhere = _provider.NewBrowser();
        var hereTokens = await _provider.SignInWithCodeAsync(here, "changer@demo.dms.local", Password);
        var elsewhereTokens = await _provider.SignInWithCodeAsync(elsewhere, "changer@demo.dms.local", Password);

        using var wrongCurrent = await ChangeAsync(here, "Not-The-Password-1!", "Second-Password-2!", "Second-Password-2!");
        using var mismatch = await ChangeAsync(here, Password, "Second-Password-2!", "Second-Password-3!");
        using var weak = await ChangeAsync(here, Password, "short", "short");
        using var changed = await ChangeAsync(here, Password, "Second-Password-2!", "Second-Password-2!");

        Assert.Contains("not your current password", await TextAsync(wrongCurrent));
        Assert.Contains("not the same", await TextAsync(mismatch));
        Assert.Contains("at least 12", await TextAsync(weak));
        Assert.Contains("Your password is changed", await TextAsync(changed));
        Assert.True((await _provider.RefreshAsync(Refresh(hereTokens))).TryGetProperty("id_token", out _));
        Assert.Equal("invalid_grant", (await _provider.RefreshAsync(Refresh(elsewhereTokens))).GetProperty("error").GetString());
        using var hereAfter = await here.GetAsync("/account", Cancellation);
        using var elsewhereAfter = await elsewhere.GetAsync("/account", Cancellation);
        Assert.Equal(HttpStatusCode.OK, hereAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, elsewhereAfter.StatusCode);
        using var oldPassword = await _provider.NewBrowser().SubmitAsync("/signin", new() { ["Email"] = "changer@demo.dms.local", ["Password"] = Password }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
    }

    [Fact]
    public async Task A_user_sees_their_sign_ins_and_ends_one_and_cannot_end_another_users()
    {
        await _provider.CreateUserAsync("traveller@demo.dms.local", Password, mustChangePassword: false);
        await _provider.CreateUserAsync("neighbour@demo.dms.local", Password, mustChangePassword: false);
        using var laptop = _provider.NewBrowser();
        using var phone = _provider.NewBrowser();
        using var neighbour = _provider.NewBrowser();
        laptop.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
        phone.Headers.UserAgent.ParseAdd("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0");
        await _provider.SignInWithCodeAsync(laptop, "traveller@demo.dms.local", Password);
        var phoneTokens = await _provider.SignInWithCodeAsync(phone, "traveller@demo.dms.local", Password);
        await _provider.SignInWithCodeAsync(neighbour, "neighbour@demo.dms.local", Password);
        var neighbourSession = Assert.Single(await SessionsOfAsync("neighbour@demo.dms.local"));

        var listed = await TextAsync(await laptop.GetAsync("/account", Cancellation));
        // The laptop's page offers to end the phone's sign-in: the only one it names by id (its own is "Sign out").
        var phoneSession = Assert.Single(SessionIds(listed));
        using var endedNeighbours = await laptop.SubmitAsync("/account", new() { ["handler"] = "EndSession", ["id"] = neighbourSession }, Cancellation);
        using var endedPhone = await laptop.SubmitAsync("/account", new() { ["handler"] = "EndSession", ["id"] = phoneSession }, Cancellation);

        Assert.Contains("Chrome on Linux</strong> (this browser)", listed);
        Assert.Contains("Firefox on Android", listed);
        Assert.DoesNotContain(phoneSession, await SessionsOfAsync("traveller@demo.dms.local"));
        Assert.Contains(neighbourSession, await SessionsOfAsync("neighbour@demo.dms.local"));
        using var phoneAfter = await phone.GetAsync("/account", Cancellation);
        using var neighbourAfter = await neighbour.GetAsync("/account", Cancellation);
        Assert.Equal(HttpStatusCode.Redirect, phoneAfter.StatusCode);
        Assert.Equal("invalid_grant", (await _provider.RefreshAsync(Refresh(phoneTokens))).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, neighbourAfter.StatusCode);
        Assert.DoesNotContain("Firefox on Android", await TextAsync(endedPhone));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"id\":\"AAAA\",\"rawId\":\"AAAA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\",\"attestationObject\":\"oA\",\"authenticatorData\":\"AA\",\"signature\":\"AA\"}}")]
    [InlineData("{\"id\":{\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}")]
    public async Task A_forged_or_unasked_for_passkey_answer_adds_nothing_and_signs_no_one_in_with_a_clear_answer(string credential)
    {
        await _provider.CreateUserAsync("forger@demo.dms.local", Password, mustChangePassword: false);
        using var signedIn = _provider.NewBrowser();
        await _provider.SignInWithCodeAsync(signedIn, "forger@demo.dms.local", Password);
        using var anonymous = _provider.NewBrowser();

        using var options = await signedIn.SubmitAsync("/account", new() { ["handler"] = "PasskeyCreationOptions" }, Cancellation);
        using var added = await signedIn.SubmitAsync("/account", new() { ["handler"] = "AddPasskey", ["Credential"] = credential, ["PasskeyName"] = "forged" }, Cancellation);
        // Its ceremony is over: the same answer again has no challenge to answer.
        using var again = await signedIn.SubmitAsync("/account", new() { ["handler"] = "AddPasskey", ["Credential"] = credential }, Cancellation);
        using var huge = await signedIn.SubmitAsync("/account", new() { ["handler"] = "AddPasskey", ["Credential"] = new string('x', 100_000) }, Cancellation);
        using var signIn = await anonymous.SubmitAsync("/signin", new() { ["handler"] = "Passkey", ["Credential"] = credential }, Cancellation);
        using var withoutToken = await _provider.Anonymous().PostAsync("/signin?handler=PasskeyOptions", null, Cancellation);

        Assert.Equal("application/json", options.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"challenge\"", await options.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("The passkey was not added", await TextAsync(added));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("The passkey was not added", await TextAsync(again));
        Assert.Contains("The passkey was not added", await TextAsync(huge));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("That passkey did not sign you in", await TextAsync(signIn));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        await using var scope = _provider.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<DmsUser>>();
        Assert.Empty(await users.GetPasskeysAsync((await users.FindByEmailAsync("forger@demo.dms.local"))!));
    }

    private async Task<HttpResponseMessage> ChangeAsync(Browser browser, string current, string next, string again) =>
        await browser.SubmitAsync("/account", new()
        {
            ["handler"] = "ChangePassword", ["CurrentPassword"] = current, ["NewPassword"] = next, ["Confirmation"] = again,
        }, Cancellation);

    private async Task<List<string>> SessionsOfAsync(string email)
    {
        await using var scope = _provider.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
        var user = await db.Users.SingleAsync(u => u.Email == email, Cancellation);
        return await db.Sessions.Where(s => s.UserId == user.Id).Select(s => s.Id).ToListAsync(Cancellation);
    }

    private static string Refresh(JsonElement tokens) => tokens.GetProperty("refresh_token").GetString()!;

    private static async Task<string> TextAsync(HttpResponseMessage page) => WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());

    /// <summary>The ids of the sign-ins other than this browser's, as the page's sign-out forms carry them.</summary>
    private static IEnumerable<string> SessionIds(string html) => SessionId().Matches(html).Select(m => m.Groups["id"].Value);

    [GeneratedRegex("<input type=\"hidden\" name=\"id\" value=\"(?<id>[^\"]+)\"")]
    private static partial Regex SessionId();
}
