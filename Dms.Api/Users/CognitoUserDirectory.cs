using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dms.Api.Identity;
using Microsoft.Extensions.Options;

namespace Dms.Api.Users;

/// <summary>A user made in the identity provider, with the password they sign in with once before choosing their own.</summary>
public sealed record NewUser(string Username, Guid TenantId, string Role, string TemporaryPassword);

/// <summary>The identity provider refused or could not be reached.</summary>
public sealed class UserDirectoryException(string message, bool exists = false) : Exception(message)
{
    public bool UserExists { get; } = exists;
}

/// <summary>
/// Adds users to the Cognito user pool that issues the API's tokens (the runbook's <c>admin-create-user</c>), through
/// the Cognito JSON API at the pool's endpoint: <c>Dms:Identity:Authority</c> is <c>{endpoint}/{poolId}</c> for
/// Cognito and its local stand-in alike. The user gets the tenant attribute, the role's group and a temporary password;
/// no e-mail is sent: the operator hands the password over.
/// </summary>
public sealed class CognitoUserDirectory(HttpClient http, IOptions<IdentityOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(); // Cognito's member names are PascalCase

    public async Task<NewUser> CreateAsync(string email, Guid tenantId, string role, CancellationToken cancellationToken)
    {
        var (endpoint, poolId) = Pool();
        var password = TemporaryPassword();
        object[] attributes =
        [
            new { Name = "email", Value = email },
            new { Name = options.Value.TenantClaim, Value = tenantId.ToString() },
        ];
        await CallAsync(endpoint, "AdminCreateUser", new
        {
            UserPoolId = poolId,
            Username = email,
            UserAttributes = attributes,
            TemporaryPassword = password,
            MessageAction = "SUPPRESS",
        }, cancellationToken);
        await CallAsync(endpoint, "AdminAddUserToGroup", new { UserPoolId = poolId, Username = email, GroupName = role }, cancellationToken);
        return new NewUser(email, tenantId, role, password);
    }

    private (Uri Endpoint, string PoolId) Pool()
    {
        var authority = options.Value.Authority?.TrimEnd('/')
            ?? throw new UserDirectoryException($"{IdentityOptions.Section}:Authority is not set: there is no user pool to add users to.");
        var split = authority.LastIndexOf('/');
        return (new Uri(authority[..split] + "/"), authority[(split + 1)..]);
    }

    private async Task<JsonNode> CallAsync(Uri endpoint, string action, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", $"AWSCognitoIdentityProviderService.{action}");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new UserDirectoryException($"The identity provider at {endpoint} cannot be reached: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var answer = JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? new JsonObject();
            if (response.IsSuccessStatusCode)
            {
                return answer;
            }

            var type = answer["__type"]?.GetValue<string>() ?? response.StatusCode.ToString();
            var message = answer["message"]?.GetValue<string>() ?? text;
            throw new UserDirectoryException($"The identity provider refused {action}: {type}: {message}", exists: type.EndsWith("UsernameExistsException", StringComparison.Ordinal));
        }
    }

    /// <summary>16 characters with an upper, a lower, a digit and a symbol: Cognito's default password policy.</summary>
    private static string TemporaryPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "!#%+-=?";
        const string all = upper + lower + digits + symbols;
        var chars = new[] { Pick(upper), Pick(lower), Pick(digits), Pick(symbols) }.Concat(Enumerable.Range(0, 12).Select(_ => Pick(all))).ToArray();
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);

        static char Pick(string from) => from[RandomNumberGenerator.GetInt32(from.Length)];
    }
}
