using System.Text.Json.Nodes;
using Dms.Contracts;

namespace Dms.AppHost.Identity;

/// <summary>The user pool and app client the API trusts: made on the first run, found again on later ones.</summary>
public sealed record SeededPool(string PoolId, string ClientId);

/// <summary>
/// Creates the demo user pool in cognito-local through the Cognito JSON API (the same calls the AWS CLI makes), once;
/// on later runs it finds the pool and client it made before.
/// </summary>
public static class CognitoLocalSeeder
{
    private const string PoolName = "dms-local";
    private const string ClientName = "dms";

    public static async Task<SeededPool> SeedAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = endpoint };
        var pools = await CallAsync(http, "ListUserPools", new { MaxResults = 60 }, cancellationToken);
        var poolId = pools["UserPools"]!.AsArray().FirstOrDefault(p => (string?)p!["Name"] == PoolName)?["Id"]?.GetValue<string>();
        if (poolId is not null)
        {
            var clients = await CallAsync(http, "ListUserPoolClients", new { UserPoolId = poolId, MaxResults = 60 }, cancellationToken);
            var clientId = clients["UserPoolClients"]!.AsArray().First(c => (string?)c!["ClientName"] == ClientName)!["ClientId"]!.GetValue<string>();
            return new SeededPool(poolId, clientId);
        }

        var pool = await CallAsync(http, "CreateUserPool", new
        {
            PoolName,
            Schema = new[] { new { Name = "tenant_id", AttributeDataType = "String", Mutable = true } },
        }, cancellationToken);
        poolId = pool["UserPool"]!["Id"]!.GetValue<string>();
        var client = await CallAsync(http, "CreateUserPoolClient", new
        {
            UserPoolId = poolId,
            ClientName,
            ExplicitAuthFlows = new[] { "USER_PASSWORD_AUTH" },
        }, cancellationToken);

        foreach (var group in Roles.All)
        {
            await CallAsync(http, "CreateGroup", new { UserPoolId = poolId, GroupName = group }, cancellationToken);
        }

        foreach (var (email, group, inTenant) in DemoIdentity.Users)
        {
            var attributes = new List<object> { new { Name = "email", Value = email } };
            if (inTenant)
            {
                attributes.Add(new { Name = "custom:tenant_id", Value = DemoIdentity.TenantId.ToString() });
            }

            await CallAsync(http, "AdminCreateUser", new { UserPoolId = poolId, Username = email, UserAttributes = attributes, MessageAction = "SUPPRESS" }, cancellationToken);
            await CallAsync(http, "AdminSetUserPassword", new { UserPoolId = poolId, Username = email, DemoIdentity.Password, Permanent = true }, cancellationToken);
            await CallAsync(http, "AdminAddUserToGroup", new { UserPoolId = poolId, Username = email, GroupName = group }, cancellationToken);
        }

        return new SeededPool(poolId, client["UserPoolClient"]!["ClientId"]!.GetValue<string>());
    }

    private static Task<JsonNode> CallAsync(HttpClient http, string action, object body, CancellationToken cancellationToken) =>
        LocalAwsJson.CallAsync(http, "The local identity provider", $"AWSCognitoIdentityProviderService.{action}", "1.1", body, cancellationToken);
}
