using Dms.Web.Account;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dms.UnitTests.Web;

/// <summary>
/// The web app in-process with nothing behind it: a user pool, an API and a database that no test here reaches (each
/// named on a port nothing listens on). For what the web app itself answers: redirects, headers, refusals.
/// </summary>
public static class WebAppWithoutServices
{
    public static WebApplicationFactory<UserPool> Create(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<UserPool>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Dms:Identity:Authority", "http://127.0.0.1:1/pool-1")
                .UseSetting("Dms:Identity:Audience", "client-1")
                .UseSetting("Dms:Web:ApiUrl", "http://127.0.0.1:1")
                .UseSetting("ConnectionStrings:dms", "Host=127.0.0.1;Port=1;Username=dms_web;Database=dms");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
}
