using System.Diagnostics;
using System.Text.Json.Nodes;
using Dms.Api.Identity;
using Dms.Api.Users;
using Dms.AwsApi;
using Dms.Contracts;
using Dms.TestSupport;
using Dms.Users;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Identity;

/// <summary>
/// The Cognito adapter of the user directory (what the API uses on AWS) against cognito-local, which speaks Cognito's
/// JSON API on 127.0.0.1. What this cannot prove: that AWS's Cognito takes the same calls signed (no AWS here; the
/// signer is checked against AWS's published test vectors in the unit tests); that a disabled user's sign-in is
/// refused and their tokens revoked (cognito-local signs a disabled user in); that a reset's temporary password
/// replaces the old one (cognito-local checks no password of a user who must choose one); and that a reset's global sign-out ends
/// the user's sessions: cognito-local has no AdminUserGlobalSignOut, so the adapter's client answers that one call
/// itself (<see cref="WithoutGlobalSignOut"/>) and passes every other to cognito-local.
/// </summary>
public sealed class CognitoUserDirectoryTests : UserDirectoryContract, IAsyncLifetime
{
    private readonly DirectoryInfo _folder = System.IO.Directory.CreateTempSubdirectory("dms-cognito-local-");
    private readonly int _port = LoopbackPort.Free();
    private readonly HttpClient _http = new(new WithoutGlobalSignOut { InnerHandler = new HttpClientHandler() });
    private Process? _cognito;
    private string _poolId = "";
    private string _clientId = "";

    private Uri Endpoint => new($"http://127.0.0.1:{_port}/");

    public async ValueTask InitializeAsync()
    {
        var start = new ProcessStartInfo("node", [Path.Combine(Fauxqs.RepositoryRoot(), "tools", "cognito-local", "node_modules", "cognito-local", "lib", "bin", "start.js")])
        {
            WorkingDirectory = _folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _cognito = Process.Start(start)!;
        _ = _cognito.StandardOutput.ReadToEndAsync(Cancellation);
        _ = _cognito.StandardError.ReadToEndAsync(Cancellation);
        for (var waited = 0; ; waited++)
        {
            try
            {
                _poolId = (await CallAsync("CreateUserPool", new { PoolName = "dms", Schema = new[] { new { Name = "tenant_id", AttributeDataType = "String", Mutable = true } } }))["UserPool"]!["Id"]!.GetValue<string>();
                break;
            }
            catch (HttpRequestException) when (waited < 100)
            {
                await Task.Delay(100, Cancellation);
            }
        }

        _clientId = (await CallAsync("CreateUserPoolClient", new { UserPoolId = _poolId, ClientName = "dms", ExplicitAuthFlows = new[] { "USER_PASSWORD_AUTH" } }))["UserPoolClient"]!["ClientId"]!.GetValue<string>();
        foreach (var role in Roles.All)
        {
            await CallAsync("CreateGroup", new { UserPoolId = _poolId, GroupName = role });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cognito?.Kill(entireProcessTree: true);
        if (_cognito is not null)
        {
            await _cognito.WaitForExitAsync();
        }

        _cognito?.Dispose();
        _http.Dispose();
        _folder.Delete(recursive: true);
    }

    protected override bool ChecksTemporaryPasswords => false;

    protected override IUserDirectory Directory =>
        new CognitoUserDirectory(_http, Options.Create(new IdentityOptions { Authority = $"http://127.0.0.1:{_port}/{_poolId}", Audience = _clientId }));

    protected override async Task<PasswordSignIn> SignInAsync(string email, string password)
    {
        JsonNode signIn;
        try
        {
            signIn = await CallAsync("InitiateAuth", new
            {
                AuthFlow = "USER_PASSWORD_AUTH",
                ClientId = _clientId,
                AuthParameters = new Dictionary<string, string> { ["USERNAME"] = email, ["PASSWORD"] = password },
            });
        }
        catch (AwsApiException)
        {
            return PasswordSignIn.Refused;
        }

        return signIn["ChallengeName"]?.GetValue<string>() == "NEW_PASSWORD_REQUIRED" ? PasswordSignIn.MustChoosePassword : PasswordSignIn.SignedIn;
    }

    /// <summary>What <c>dms login --set-up-two-factor</c> does with the signed-in user's access token.</summary>
    [Fact]
    public async Task A_user_turns_on_an_authenticator_with_its_code_and_a_wrong_code_turns_nothing_on()
    {
        var user = await Directory.CreateAsync("second.factor@example.com", Guid.NewGuid(), Roles.Admin, Cancellation);
        var first = await CallAsync("InitiateAuth", new
        {
            AuthFlow = "USER_PASSWORD_AUTH",
            ClientId = _clientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = "second.factor@example.com", ["PASSWORD"] = user.TemporaryPassword },
        });
        var signedIn = await CallAsync("RespondToAuthChallenge", new
        {
            ChallengeName = "NEW_PASSWORD_REQUIRED",
            ClientId = _clientId,
            Session = first["Session"]!.GetValue<string>(),
            ChallengeResponses = new Dictionary<string, string> { ["USERNAME"] = "second.factor@example.com", ["NEW_PASSWORD"] = "Chosen-Password-1!" },
        });
        var accessToken = signedIn["AuthenticationResult"]!["AccessToken"]!.GetValue<string>();

        var key = await CognitoTwoFactor.StartAsync(_http, Endpoint, accessToken, Cancellation);
        var wrongCode = (int.Parse(AuthenticatorApp.CodeFor(key), System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000;
        await Assert.ThrowsAsync<AwsApiException>(() => CognitoTwoFactor.ConfirmAsync(_http, Endpoint, accessToken, wrongCode.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), Cancellation));
        var before = await CallAsync("AdminGetUser", new { UserPoolId = _poolId, Username = "second.factor@example.com" });
        await CognitoTwoFactor.ConfirmAsync(_http, Endpoint, accessToken, AuthenticatorApp.CodeFor(key), Cancellation);
        var after = await CallAsync("AdminGetUser", new { UserPoolId = _poolId, Username = "second.factor@example.com" });

        Assert.DoesNotContain("SOFTWARE_TOKEN_MFA", before["UserMFASettingList"]?.AsArray().Select(m => m!.GetValue<string>()) ?? []);
        Assert.Contains("SOFTWARE_TOKEN_MFA", after["UserMFASettingList"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("SOFTWARE_TOKEN_MFA", after["PreferredMfaSetting"]?.GetValue<string>());
        Assert.StartsWith("otpauth://totp/Dms:second.factor%40example.com?secret=", CognitoTwoFactor.AppLink("second.factor@example.com", key));
    }

    [Fact]
    public async Task A_user_is_made_in_the_pool_with_the_tenant_the_role_and_a_temporary_password_and_only_once()
    {
        var directory = Directory;
        var tenant = Guid.NewGuid();

        var user = await directory.CreateAsync("new@example.com", tenant, Roles.Editor, Cancellation);
        var again = await Assert.ThrowsAsync<UserDirectoryException>(() => directory.CreateAsync("new@example.com", tenant, Roles.Editor, Cancellation));

        var stored = await CallAsync("AdminGetUser", new { UserPoolId = _poolId, Username = "new@example.com" });
        Assert.Contains(stored["UserAttributes"]!.AsArray(), a => a!["Name"]!.GetValue<string>() == "custom:tenant_id" && a["Value"]!.GetValue<string>() == tenant.ToString());
        var signIn = await CallAsync("InitiateAuth", new
        {
            AuthFlow = "USER_PASSWORD_AUTH",
            ClientId = _clientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = "new@example.com", ["PASSWORD"] = user.TemporaryPassword },
        });
        Assert.Equal("NEW_PASSWORD_REQUIRED", signIn["ChallengeName"]!.GetValue<string>());
        // The first sign-in's token carries the tenant and the role where the API reads them.
        var signedIn = await CallAsync("RespondToAuthChallenge", new
        {
            ChallengeName = "NEW_PASSWORD_REQUIRED",
            ClientId = _clientId,
            Session = signIn["Session"]!.GetValue<string>(),
            ChallengeResponses = new Dictionary<string, string> { ["USERNAME"] = "new@example.com", ["NEW_PASSWORD"] = "Chosen-Password-1!" },
        });
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(signedIn["AuthenticationResult"]!["IdToken"]!.GetValue<string>());
        Assert.Equal(tenant.ToString(), token.GetClaim("custom:tenant_id").Value);
        Assert.Equal([Roles.Editor], token.Claims.Where(c => c.Type == "cognito:groups").Select(c => c.Value));
        Assert.Equal(DirectoryFailure.Exists, again.Failure);
    }

    /// <summary>Answers AdminUserGlobalSignOut, which cognito-local lacks, as Cognito does (an empty object); passes every other call on.</summary>
    private sealed class WithoutGlobalSignOut : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Headers.TryGetValues("X-Amz-Target", out var target) && target.Single() == "AWSCognitoIdentityProviderService.AdminUserGlobalSignOut"
                ? Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}") })
                : base.SendAsync(request, cancellationToken);
    }

    private Task<JsonNode> CallAsync(string action, object body) => CognitoApi.CallAsync(_http, Endpoint, action, body, Cancellation);
}
