using System.Text.Json.Nodes;
using Amazon.Runtime;
using Dms.Contracts;
using Dms.Api.Identity;
using Dms.AwsApi;
using Dms.Users;
using Microsoft.Extensions.Options;

namespace Dms.Api.Users;

/// <summary>
/// A tenant's users in the Cognito user pool that issues the API's tokens (the runbook's <c>admin-create-user</c>),
/// at the pool named by <c>Dms:Identity:Authority</c>. A user has the tenant attribute, the role's group and, when
/// made or reset, a temporary password; no e-mail is sent: the operator hands the password over. Cognito cannot
/// filter on a custom attribute, so a tenant's users are the members of the tenant roles' groups whose tenant
/// attribute is that tenant; a user of another tenant is not found.
/// </summary>
public sealed class CognitoUserDirectory(HttpClient http, IOptions<IdentityOptions> options) : IUserDirectory
{
    public async Task<NewUser> CreateAsync(string email, Guid tenantId, string role, CancellationToken cancellationToken)
    {
        var password = TemporaryPasswords.New();
        object[] attributes =
        [
            new { Name = "email", Value = email },
            new { Name = options.Value.TenantClaim, Value = tenantId.ToString() },
        ];
        await CallAsync("AdminCreateUser", pool => new
        {
            UserPoolId = pool,
            Username = email,
            UserAttributes = attributes,
            TemporaryPassword = password,
            MessageAction = "SUPPRESS",
        }, cancellationToken);
        await CallAsync("AdminAddUserToGroup", pool => new { UserPoolId = pool, Username = email, GroupName = role }, cancellationToken);
        return new NewUser(email, tenantId, role, password);
    }

    public async Task<IReadOnlyList<DirectoryUser>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DirectoryUser>(StringComparer.Ordinal);
        foreach (var role in Roles.InTenant)
        {
            string? next = null;
            do
            {
                var page = await CallAsync("ListUsersInGroup", pool => new { UserPoolId = pool, GroupName = role, Limit = 60, NextToken = next }, cancellationToken);
                foreach (var user in page["Users"]?.AsArray() ?? [])
                {
                    if (user is not null && TenantOf(user["Attributes"]) == tenantId)
                    {
                        var listed = Listed(user, tenantId, role);
                        found.TryAdd(listed.Username, listed);
                    }
                }

                next = page["NextToken"]?.GetValue<string>();
            }
            while (next is not null);
        }

        return [.. found.Values.OrderBy(u => u.Username, StringComparer.Ordinal)];
    }

    /// <summary>Disabling revokes the user's tokens as well (Cognito's AdminDisableUser).</summary>
    public async Task SetEnabledAsync(Guid tenantId, string username, bool enabled, CancellationToken cancellationToken)
    {
        await FindAsync(tenantId, username, cancellationToken);
        if (enabled)
        {
            await CallAsync("AdminEnableUser", pool => new { UserPoolId = pool, Username = username }, cancellationToken);
        }
        else
        {
            await CallAsync("AdminDisableUser", pool => new { UserPoolId = pool, Username = username }, cancellationToken);
        }
    }

    /// <summary>A temporary password (Cognito asks for a new one at the next sign-in) and every sign-in ended.</summary>
    public async Task<NewUser> ResetAsync(Guid tenantId, string username, CancellationToken cancellationToken)
    {
        var user = await FindAsync(tenantId, username, cancellationToken);
        var password = TemporaryPasswords.New();
        await CallAsync("AdminSetUserPassword", pool => new { UserPoolId = pool, Username = username, Password = password, Permanent = false }, cancellationToken);
        await CallAsync("AdminUserGlobalSignOut", pool => new { UserPoolId = pool, Username = username }, cancellationToken);
        return new NewUser(username, tenantId, user.Role, password);
    }

    public async Task RemoveAsync(Guid tenantId, string username, CancellationToken cancellationToken)
    {
        await FindAsync(tenantId, username, cancellationToken);
        await CallAsync("AdminDeleteUser", pool => new { UserPoolId = pool, Username = username }, cancellationToken);
    }

    private async Task<DirectoryUser> FindAsync(Guid tenantId, string username, CancellationToken cancellationToken)
    {
        JsonNode user;
        try
        {
            user = await CallAsync("AdminGetUser", pool => new { UserPoolId = pool, Username = username }, cancellationToken);
        }
        catch (UserDirectoryException e) when (e.Failure == DirectoryFailure.NotFound)
        {
            throw new UserDirectoryException($"The tenant has no user {username}.", DirectoryFailure.NotFound);
        }

        if (TenantOf(user["UserAttributes"]) != tenantId)
        {
            throw new UserDirectoryException($"The tenant has no user {username}.", DirectoryFailure.NotFound);
        }

        // The pool's own name for the user (with e-mail as the sign-in name, a generated id).
        var groups = await CallAsync("AdminListGroupsForUser", pool => new { UserPoolId = pool, Username = user["Username"]!.GetValue<string>() }, cancellationToken);
        var role = groups["Groups"]?.AsArray().Select(g => g?["GroupName"]?.GetValue<string>()).FirstOrDefault(g => g is not null && Roles.InTenant.Contains(g));
        return Listed(user, tenantId, role ?? "");
    }

    private Guid? TenantOf(JsonNode? attributes) =>
        attributes?.AsArray().FirstOrDefault(a => a?["Name"]?.GetValue<string>() == options.Value.TenantClaim)?["Value"]?.GetValue<string>() is { } value
        && Guid.TryParse(value, out var tenant) ? tenant : null;

    private static DirectoryUser Listed(JsonNode user, Guid tenantId, string role)
    {
        var attributes = (user["Attributes"] ?? user["UserAttributes"])?.AsArray() ?? [];
        string? Attribute(string name) => attributes.FirstOrDefault(a => a?["Name"]?.GetValue<string>() == name)?["Value"]?.GetValue<string>();
        return new DirectoryUser(
            Attribute("email") ?? user["Username"]!.GetValue<string>(),
            Attribute("sub") ?? "",
            tenantId,
            role,
            user["Enabled"]?.GetValue<bool>() ?? true,
            user["UserStatus"]?.GetValue<string>() == "FORCE_CHANGE_PASSWORD",
            user["UserCreateDate"] is { } created ? DateTimeOffset.FromUnixTimeMilliseconds((long)(created.GetValue<double>() * 1000)) : default);
    }

    private async Task<JsonNode> CallAsync(string action, Func<string, object> body, CancellationToken cancellationToken)
    {
        var (endpoint, poolId) = CognitoApi.PoolOf(options.Value.Authority
            ?? throw new UserDirectoryException($"{IdentityOptions.Section}:Authority is not set: there is no user pool to manage users in."));
        try
        {
            return await CognitoApi.CallAsync(http, endpoint, action, body(poolId), cancellationToken, await SigningAsync(endpoint));
        }
        catch (HttpRequestException e)
        {
            throw new UserDirectoryException($"The identity provider at {endpoint} cannot be reached: {e.Message}");
        }
        catch (AwsApiException e)
        {
            var failure = e.Type.EndsWith("UsernameExistsException", StringComparison.Ordinal) ? DirectoryFailure.Exists
                : e.Type.EndsWith("UserNotFoundException", StringComparison.Ordinal) ? DirectoryFailure.NotFound
                : DirectoryFailure.Unavailable;
            throw new UserDirectoryException(e.Message, failure);
        }
    }

    /// <summary>
    /// A Cognito user pool in AWS takes admin calls signed with IAM credentials, found as every AWS SDK client finds
    /// them (environment, profile, the ECS task role); cognito-local (the tests) takes them unsigned.
    /// </summary>
    private static async Task<AwsSigning?> SigningAsync(Uri endpoint)
    {
        if (CognitoApi.AwsRegionOf(endpoint) is not { } region)
        {
            return null;
        }

        try
        {
            return await AwsSigning.FromDefaultChainAsync(region);
        }
        catch (AmazonClientException e)
        {
            throw new UserDirectoryException($"No AWS credentials to sign the user pool's admin calls with: {e.Message}");
        }
    }
}
