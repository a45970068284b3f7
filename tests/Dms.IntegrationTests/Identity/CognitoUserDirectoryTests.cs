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
/// signer is checked against AWS's published test vectors in the unit tests).
/// </summary>
public sealed class CognitoUserDirectoryTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-cognito-local-");
    private readonly int _port = LoopbackPort.Free();
    private readonly HttpClient _http = new();
    private Process? _cognito;
    private string _poolId = "";
    private string _clientId = "";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

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

    [Fact]
    public async Task A_user_is_made_in_the_pool_with_the_tenant_the_role_and_a_temporary_password_and_only_once()
    {
        var directory = new CognitoUserDirectory(_http, Options.Create(new IdentityOptions { Authority = $"http://127.0.0.1:{_port}/{_poolId}", Audience = _clientId }));
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
        Assert.True(again.UserExists);
    }

    private Task<JsonNode> CallAsync(string action, object body) => CognitoApi.CallAsync(_http, Endpoint, action, body, Cancellation);
}
