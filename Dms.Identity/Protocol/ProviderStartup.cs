using Dms.Contracts;
using Dms.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Dms.Identity.Protocol;

/// <summary>
/// Before the provider takes a request: its schema migrated (it owns the schema, nothing else does), the client
/// registered as the settings name it, and on the single-machine profiles the demo tenant's users.
/// </summary>
public static class ProviderStartup
{
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        await provider.GetRequiredService<IdentityDatabase>().Database.MigrateAsync(cancellationToken);

        var options = provider.GetRequiredService<IOptions<ProviderOptions>>().Value;
        var applications = provider.GetRequiredService<IOpenIddictApplicationManager>();
        var client = ProviderRegistration.Client(options);
        if (await applications.FindByClientIdAsync(options.ClientId, cancellationToken) is { } existing)
        {
            await applications.UpdateAsync(existing, client, cancellationToken);
        }
        else
        {
            await applications.CreateAsync(client, cancellationToken);
        }

        if (options.SeedDemoUsers)
        {
            var users = provider.GetRequiredService<UserManager<DmsUser>>();
            foreach (var (email, role, inTenant) in DemoIdentity.Users)
            {
                if (await users.FindByEmailAsync(email) is not null)
                {
                    continue;
                }

                var user = new DmsUser { UserName = email, Email = email, EmailConfirmed = true, Role = role, TenantId = inTenant ? DemoIdentity.TenantId : null, CreatedAt = DateTimeOffset.UtcNow };
                // The demo password is older than the password rules (one character short): it is set as it is.
                user.PasswordHash = users.PasswordHasher.HashPassword(user, DemoIdentity.Password);
                Check(await users.CreateAsync(user), email);
            }
        }
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The demo user {email} could not be made: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
