using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Dms.Web.Account;

/// <summary>
/// Where the keys of the session cookies, antiforgery tokens and session tickets live, so that they outlive a restart
/// and every instance shares them: a folder on one machine (<c>Dms:Web:KeysFolder</c>, the AppHost's), the database
/// where several tasks run (<c>Dms:Web:KeysInDatabase</c>, the AWS stack's: <see cref="DatabaseKeyRing"/>). With
/// neither they live in memory and a restart signs everyone out.
/// </summary>
public static class CookieKeys
{
    public const string ApplicationName = "dms-web";

    public static IServiceCollection AddCookieKeys(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration["Dms:Web:KeysFolder"] is { Length: > 0 } folder)
        {
            services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(folder));
        }
        else if (configuration.GetValue<bool>("Dms:Web:KeysInDatabase"))
        {
            services.AddDataProtection().SetApplicationName(ApplicationName);
            services.AddSingleton<DatabaseKeyRing>();
            services.AddOptions<KeyManagementOptions>().Configure<DatabaseKeyRing>((options, ring) => options.XmlRepository = ring);
        }

        return services;
    }
}
