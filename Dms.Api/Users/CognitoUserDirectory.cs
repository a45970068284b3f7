using Amazon.Runtime;
using Dms.Api.Identity;
using Dms.AwsApi;
using Dms.Users;
using Microsoft.Extensions.Options;

namespace Dms.Api.Users;

/// <summary>
/// Adds users to the Cognito user pool that issues the API's tokens (the runbook's <c>admin-create-user</c>), at the
/// pool named by <c>Dms:Identity:Authority</c>. The user gets the tenant attribute, the role's group and a temporary
/// password; no e-mail is sent: the operator hands the password over.
/// </summary>
public sealed class CognitoUserDirectory(HttpClient http, IOptions<IdentityOptions> options) : IUserDirectory
{
    public async Task<NewUser> CreateAsync(string email, Guid tenantId, string role, CancellationToken cancellationToken)
    {
        var (endpoint, poolId) = CognitoApi.PoolOf(options.Value.Authority
            ?? throw new UserDirectoryException($"{IdentityOptions.Section}:Authority is not set: there is no user pool to add users to."));
        var signing = await SigningAsync(endpoint);
        var password = TemporaryPasswords.New();
        object[] attributes =
        [
            new { Name = "email", Value = email },
            new { Name = options.Value.TenantClaim, Value = tenantId.ToString() },
        ];
        try
        {
            await CognitoApi.CallAsync(http, endpoint, "AdminCreateUser", new
            {
                UserPoolId = poolId,
                Username = email,
                UserAttributes = attributes,
                TemporaryPassword = password,
                MessageAction = "SUPPRESS",
            }, cancellationToken, signing);
            await CognitoApi.CallAsync(http, endpoint, "AdminAddUserToGroup", new { UserPoolId = poolId, Username = email, GroupName = role }, cancellationToken, signing);
        }
        catch (HttpRequestException e)
        {
            throw new UserDirectoryException($"The identity provider at {endpoint} cannot be reached: {e.Message}");
        }
        catch (AwsApiException e)
        {
            throw new UserDirectoryException(e.Message, exists: e.Type.EndsWith("UsernameExistsException", StringComparison.Ordinal));
        }

        return new NewUser(email, tenantId, role, password);
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
