using Dms.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Dms.Persistence;

public static class DataSourceRegistration
{
    /// <summary>
    /// The PostgreSQL data source alone (with its health check, traces and metrics, and the rotating password), for
    /// a process that runs its own SQL and no EF Core context (the web app's session store), and under Core's.
    /// </summary>
    public static DatabaseConnections AddDmsDataSource(this IHostApplicationBuilder builder, bool deadline = false)
    {
        var password = new RotatingPassword(DatabasePassword.Read(builder.Configuration));
        var connections = new DatabaseConnections(password);
        var longest = DatabaseDeadline.Read(builder.Configuration);
        builder.AddNpgsqlDataSource(DatabaseNames.ConnectionName, configureDataSourceBuilder: dataSource =>
        {
            dataSource.UseRotatingPassword(password);
            if (deadline)
            {
                DatabaseDeadline.Apply(dataSource.ConnectionStringBuilder, longest);
            }
        });
        builder.Services.AddSingleton(connections);
        builder.Services.TryAddSingleton(TimeProvider.System);
        return connections;
    }
}
