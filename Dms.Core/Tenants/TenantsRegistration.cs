using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Tenants;

public static class TenantsRegistration
{
    public static IHostApplicationBuilder AddTenantUseCases(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CreateTenant>();
        builder.Services.AddScoped<UpdateTenant>();
        builder.Services.AddScoped<GetTenant>();
        builder.Services.AddScoped<ListTenants>();
        builder.Services.AddScoped<MeasureUsage>();
        return builder;
    }

    /// <summary>The use cases on a tenant's users, over the directory the host registers (<see cref="Users.IUserDirectory"/>).</summary>
    public static IHostApplicationBuilder AddUserUseCases(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<Users.UserRules>();
        builder.Services.AddScoped<Users.ListUsers>();
        builder.Services.AddScoped<Users.AddUser>();
        builder.Services.AddScoped<Users.ChangeUser>();
        return builder;
    }
}
