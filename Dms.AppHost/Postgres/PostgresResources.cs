using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Dms.AppHost.Postgres;

public static class PostgresResources
{
    /// <summary>The connection string name every process reads: <c>ConnectionStrings:dms</c>.</summary>
    public const string DatabaseName = "dms";

    /// <summary>Adds the metadata database the way <c>Dms:Postgres:Mode</c> asks; never a container unless asked.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddDmsDatabase(this IDistributedApplicationBuilder builder)
    {
        var settings = PostgresSettings.Read(builder.Configuration, builder.AppHostDirectory);
        return settings.Mode switch
        {
            PostgresMode.Executable => builder.AddLocalPostgres(settings),
            PostgresMode.Container => builder.AddPostgres("postgres").WithDataVolume().AddDatabase(DatabaseName),
            _ => builder.AddConnectionString(DatabaseName),
        };
    }

    private static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        Directory.CreateDirectory(settings.StateDirectory);
        var passwordText = ReadOrCreatePassword(settings.StateDirectory);
        var password = builder.AddParameter("postgres-password", passwordText, secret: true);
        if (settings.Port != 0)
        {
            // For tools run by hand against the running system, e.g. the migrations runner's --connection.
            WriteOwnerOnly(Path.Combine(settings.StateDirectory, "connection-string"),
                $"Host=127.0.0.1;Port={settings.Port};Username=postgres;Password={passwordText};Database={DatabaseName}");
        }

        var script = Path.Combine(builder.AppHostDirectory, "Postgres", "run-postgres.sh");

        var postgres = builder.AddResource(new LocalPostgresResource("postgres", script, settings.StateDirectory, password.Resource))
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp", port: settings.Port == 0 ? null : settings.Port, env: "PGPORT")
            .WithEnvironment("PGDATA", Path.Combine(settings.StateDirectory, "data"))
            .WithEnvironment("PG_BIN", settings.BinDirectory ?? "")
            .WithEnvironment("PGPASSWORD", password)
            .WithHealthCheck("postgres-accepts-connections");

        builder.Services.AddHealthChecks().AddAsyncCheck("postgres-accepts-connections", async cancellationToken =>
        {
            try
            {
                var connectionString = await postgres.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
                // The server's own database: 'dms' is created by the migrations, which wait for this check.
                var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false, Timeout = 3 };
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        });

        return postgres;
    }

    /// <summary>The superuser password is made once, with the cluster, and kept beside it (readable by its owner only).</summary>
    private static string ReadOrCreatePassword(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "password");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        WriteOwnerOnly(path, password);
        return password;
    }

    private static void WriteOwnerOnly(string path, string secret)
    {
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
