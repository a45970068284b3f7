using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dms.Persistence;

public static class DatabaseRegistration
{
    /// <summary>
    /// Registers the PostgreSQL data source (with its health check, traces and metrics) and
    /// <see cref="DmsDbContext"/> on it, from the <c>ConnectionStrings:dms</c> connection string; the password is
    /// read again and again from <c>Dms:Database:PasswordFile</c> or <c>PasswordSecretId</c> where one is set.
    /// </summary>
    /// <param name="deadline">Whether connections and commands keep to <see cref="DatabaseDeadline"/> (the API's requests do).</param>
    public static IHostApplicationBuilder AddDmsDatabase(this IHostApplicationBuilder builder, bool deadline = false)
    {
        var connections = builder.AddDmsDataSource(deadline);
        // Pooled: a request takes a ready context instead of building its options and services again.
        builder.Services.AddDbContextPool<DmsDbContext>((services, options) =>
        {
            DmsDbContext.Configure(options, services.GetRequiredService<NpgsqlDataSource>());
            if (connections.Rotates)
            {
                options.AddInterceptors(new RotationInterceptor(connections));
            }
        });
        return builder;
    }
}
