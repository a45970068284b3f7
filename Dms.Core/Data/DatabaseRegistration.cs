using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dms.Data;

public static class DatabaseRegistration
{
    /// <summary>
    /// Registers the PostgreSQL data source (with its health check, traces and metrics) and
    /// <see cref="DmsDbContext"/> on it, from the <c>ConnectionStrings:dms</c> connection string.
    /// </summary>
    public static IHostApplicationBuilder AddDmsDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(DmsDbContext.ConnectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Pooled: a request takes a ready context instead of building its options and services again.
        builder.Services.AddDbContextPool<DmsDbContext>((services, options) =>
            DmsDbContext.Configure(options, services.GetRequiredService<NpgsqlDataSource>()));
        return builder;
    }
}
