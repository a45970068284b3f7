using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.UnitTests.ServiceDefaults;

/// <summary>
/// The HTTP clients every service gets from the service defaults, against a server on 127.0.0.1 that answers 503 once:
/// a read is retried; a write (a document created, a user added) is not, since the first may have done its work.
/// </summary>
public sealed class HttpRetryTests
{
    [Theory]
    [InlineData("GET", 2)]
    [InlineData("POST", 1)]
    [InlineData("PATCH", 1)]
    [InlineData("DELETE", 1)]
    public async Task A_failed_request_is_retried_only_when_it_is_safe_to_send_again(string method, int sent)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var received = 0;
        var server = WebApplication.CreateBuilder();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = server.Build();
        app.Map("/", () => Interlocked.Increment(ref received) == 1 ? Results.StatusCode(503) : Results.Ok());
        await app.StartAsync(cancellation);

        var client = Host.CreateApplicationBuilder();
        client.AddServiceDefaults();
        client.Services.AddHttpClient("test");
        using var host = client.Build();
        using var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("test");
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), app.Urls.Single()), cancellation);

        Assert.Equal(sent, received);
        Assert.Equal(sent == 2 ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
