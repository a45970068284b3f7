using System.Net;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Security;

/// <summary>The API takes tokens issued for its own app client only, and does not start without knowing which one that is.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TokenAudienceTests(TemporaryPostgres postgres)
{
    [Fact]
    public async Task The_api_does_not_start_without_its_app_client_named()
    {
        await using var api = new ApiFactory("Host=127.0.0.1;Port=1;Database=dms", new Dictionary<string, string> { ["Dms:Identity:Audience"] = "" });

        var failure = Assert.Throws<OptionsValidationException>(() => api.CreateClient());

        Assert.Contains("Dms:Identity:Audience is required", failure.Message);
    }

    [Fact]
    public async Task A_token_the_pool_issued_for_another_app_client_is_refused()
    {
        await using var scenario = await ApiScenario.StartAsync(postgres);
        using var otherClient = scenario.Api.CreateClient(TestTokens.Mint(scenario.TenantA, [Roles.Admin], audience: "another-app-client"));

        using var response = await otherClient.GetAsync("/api/v1/documents", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
