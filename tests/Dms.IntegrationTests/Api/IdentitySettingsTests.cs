using Dms.IntegrationTests.Fixtures;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Api;

public sealed class IdentitySettingsTests
{
    [Fact]
    public async Task A_plain_http_issuer_without_saying_it_is_local_stops_start_up_naming_the_key()
    {
        await using var api = new ApiFactory("Host=127.0.0.1;Port=1;Database=dms", new Dictionary<string, string>
        {
            ["Dms:Identity:Authority"] = "http://issuer.example/pool",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => api.CreateClient());

        Assert.Contains("Dms:Identity:Authority must use https", failure.Message);
    }
}
