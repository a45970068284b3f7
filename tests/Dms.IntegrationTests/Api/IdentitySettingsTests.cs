using Dms.Api.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Api;

public sealed class IdentitySettingsTests
{
    /// <summary>
    /// Checked as the host checks it when it starts (the options validated on start). Not through a started test
    /// host: when start-up fails there, the test host sometimes loses the exception to its own disposal (an
    /// ObjectDisposedException, seen under a full run's load).
    /// </summary>
    [Fact]
    public void A_plain_http_issuer_without_saying_it_is_local_stops_start_up_naming_the_key()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Dms:Identity:Authority"] = "http://issuer.example/pool";
        builder.Configuration["Dms:Identity:Audience"] = "client-1";
        builder.AddIdentity();
        using var services = builder.Services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Dms:Identity:Authority must use https", failure.Message);
    }
}
