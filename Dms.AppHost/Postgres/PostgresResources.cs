using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Run;
using Dms.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Dms.AppHost.Postgres;

/// <summary>
/// The metadata database seen three ways: as its owner (the migrations), as the application role <c>dms_app</c>
/// (api and worker), which row-level security confines to one tenant per transaction, and as the web app's role
/// <c>dms_web</c>, which may touch the web app's sessions and nothing else.
/// </summary>
/// <param name="AppPassword">The password the migrations give <c>dms_app</c>; null where the deployment manages it.</param>
/// <param name="WebPassword">The password the migrations give <c>dms_web</c>; null where the deployment manages it.</param>
/// <param name="Identity">The database as the identity provider's role <c>dms_identity</c>, where Dms runs its own provider (not on AWS).</param>
/// <param name="IdentityPassword">The password the migrations give <c>dms_identity</c>.</param>
public sealed record DmsDatabase(
    IResourceBuilder<IResourceWithConnectionString> Owner,
    IResourceBuilder<IResourceWithConnectionString> App,
    IResourceBuilder<ParameterResource>? AppPassword,
    IResourceBuilder<IResourceWithConnectionString> Web,
    IResourceBuilder<ParameterResource>? WebPassword,
    IResourceBuilder<IResourceWithConnectionString>? Identity = null,
    IResourceBuilder<ParameterResource>? IdentityPassword = null);

public static class PostgresResources
{
    private const string DatabaseName = "dms";

    /// <summary>
    /// Connections one api or worker process may hold: four per core of the machine the embedded server shares. More
    /// do not make PostgreSQL faster, they make it slower: on two cores, with 50, creates of one tenant convoyed on the
    /// tenant's row (each waiter woken only when the scheduler got to it) and searches fought for the cores; with 8,
    /// creates and searches went twice as fast (docs/benchmarks.md). A request waits for a connection in the pool instead,
    /// at most a fifth of its database deadline.
    /// </summary>
    private static readonly string AppPoolSize = (Environment.ProcessorCount * 4).ToString(CultureInfo.InvariantCulture);

    /// <summary>The web app's connections: one query per request that carries a session, at most.</summary>
    private const string WebPoolSize = "4";

    /// <summary>The identity provider's connections: sign-ins and token requests, a few a minute per user.</summary>
    private const string IdentityPoolSize = "4";

    /// <summary>Adds the metadata database the way <c>Dms:Postgres:Mode</c> asks; never a container unless asked.</summary>
    public static DmsDatabase AddMetadataDatabase(this IDistributedApplicationBuilder builder, DeploymentProfile profile)
    {
        var settings = PostgresSettings.Read(builder.Configuration, builder.AppHostDirectory, profile);
        switch (settings.Mode)
        {
            case PostgresMode.Executable:
                return builder.AddLocalPostgres(settings);
            case PostgresMode.Container:
                var server = builder.AddPostgres("postgres").WithDataVolume();
                var containerAppPassword = builder.AddParameter("dms-app-password", secret: true);
                var containerWebPassword = builder.AddParameter("dms-web-password", secret: true);
                var containerIdentityPassword = builder.AddParameter("dms-identity-password", secret: true);
                var endpoint = server.Resource.PrimaryEndpoint;
                return new DmsDatabase(
                    server.AddDatabase(DatabaseName),
                    builder.AddConnectionString("dms-app", RoleConnectionString(endpoint, DatabaseNames.AppRole, containerAppPassword.Resource, AppPoolSize)),
                    containerAppPassword,
                    builder.AddConnectionString("dms-web", RoleConnectionString(endpoint, DatabaseNames.WebRole, containerWebPassword.Resource, WebPoolSize)),
                    containerWebPassword,
                    builder.AddConnectionString("dms-identity", RoleConnectionString(endpoint, DatabaseNames.IdentityRole, containerIdentityPassword.Resource, IdentityPoolSize)),
                    containerIdentityPassword);
            default:
                // An existing database (Aurora): the owner's, the application's and the web app's connection strings are parameters.
                return new DmsDatabase(
                    builder.AddConnectionString(DatabaseName), builder.AddConnectionString("dms-app"), null, builder.AddConnectionString("dms-web"), null);
        }
    }

    /// <summary>
    /// Hands a project the database as its owner, with the password it is to give the application role and, where
    /// the demo identity is seeded, the demo tenant to add.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabaseOwner(this IResourceBuilder<ProjectResource> project, DmsDatabase database, Guid? demoTenantId)
    {
        project.WithReference(database.Owner, DatabaseNames.ConnectionName).WaitFor(database.Owner);
        if (demoTenantId is { } tenantId)
        {
            project.WithEnvironment("Dms__Database__DemoTenantId", tenantId.ToString());
        }

        if (database.WebPassword is not null)
        {
            project.WithEnvironment("Dms__Database__WebPassword", database.WebPassword);
        }

        if (database.IdentityPassword is not null)
        {
            project.WithEnvironment("Dms__Database__IdentityPassword", database.IdentityPassword);
        }

        return database.AppPassword is null ? project : project.WithEnvironment("Dms__Database__AppPassword", database.AppPassword);
    }

    /// <summary>Hands a project the database as the application role.</summary>
    public static IResourceBuilder<ProjectResource> WithDatabaseApp(this IResourceBuilder<ProjectResource> project, DmsDatabase database) =>
        project.WithReference(database.App, DatabaseNames.ConnectionName);

    /// <summary>Hands the web app the database as its own role, which reaches its sessions and nothing else.</summary>
    public static IResourceBuilder<ProjectResource> WithDatabaseWeb(this IResourceBuilder<ProjectResource> project, DmsDatabase database) =>
        project.WithReference(database.Web, DatabaseNames.ConnectionName);

    /// <summary>Hands the identity provider the database as its own role, which owns the provider's schema and reaches nothing else.</summary>
    public static IResourceBuilder<ProjectResource> WithDatabaseIdentity(this IResourceBuilder<ProjectResource> project, DmsDatabase database) =>
        project.WithReference(database.Identity ?? throw new InvalidOperationException("This database has no role for Dms's identity provider."), "identity");

    private static ReferenceExpression RoleConnectionString(EndpointReference endpoint, string role, ParameterResource password, string poolSize) => ReferenceExpression.Create(
        $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={role};Password={password};Database={DatabaseName};Maximum Pool Size={poolSize}");

    private static DmsDatabase AddLocalPostgres(this IDistributedApplicationBuilder builder, PostgresSettings settings)
    {
        // Published, the app model only describes the cluster: nothing is made or changed on this machine.
        var publishing = builder.ExecutionContext.IsPublishMode;
        var data = publishing ? Path.Combine(settings.StateDirectory, "data") : ClusterFolder.Prepare(settings.StateDirectory, settings.StartEmpty);
        var ownerPasswordParameter = LocalSecrets.Parameter(builder, settings.StateDirectory, "password", "postgres-password");
        var appPasswordParameter = LocalSecrets.Parameter(builder, settings.StateDirectory, "app-password", "dms-app-password");
        var webPasswordParameter = LocalSecrets.Parameter(builder, settings.StateDirectory, "web-password", "dms-web-password");
        var identityPasswordParameter = LocalSecrets.Parameter(builder, settings.StateDirectory, "identity-password", "dms-identity-password");
        if (settings.Port != 0 && !publishing)
        {
            // For tools run by hand against the running system, e.g. the migrations runner's --connection.
            LocalSecrets.Write(Path.Combine(settings.StateDirectory, "connection-string"),
                $"Host=127.0.0.1;Port={settings.Port};Username=postgres;Password={LocalSecrets.ReadOrCreate(settings.StateDirectory, "password")};Database={DatabaseName}");
        }

        var script = Path.Combine(builder.AppHostDirectory, "Postgres", "run-postgres.sh");
        var postgres = builder.AddResource(new LocalPostgresResource("postgres", script, settings.StateDirectory, ownerPasswordParameter.Resource))
            // Not proxied: behind the orchestrator's TCP proxy every round trip of the api and the worker crossed one more
            // process, which took a third of a core under load (docs/benchmarks.md).
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp", port: settings.Port == 0 ? LocalPorts.Free() : settings.Port, env: "PGPORT",
                isProxied: false)
            .WithEnvironment("PGDATA", data)
            .WithEnvironment("PG_BIN", settings.BinDirectory ?? "")
            .WithEnvironment("PGPASSWORD", ownerPasswordParameter)
            .WithHealthCheck("postgres-accepts-connections")
            .WithFailureHint(
                "its lines name the cause. No server binaries: ./dms.sh run installs the 'postgresql' package (or set " +
                "Dms:Postgres:BinDirectory). Its port taken: stop the program that holds it (ss -ltnp shows which) or set " +
                $"Dms:Postgres:Port. A cluster it cannot open: delete {settings.StateDirectory} to start from nothing.");

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

        var app = builder.AddConnectionString("dms-app", RoleConnectionString(postgres.Resource.Endpoint, DatabaseNames.AppRole, appPasswordParameter.Resource, AppPoolSize));
        var web = builder.AddConnectionString("dms-web", RoleConnectionString(postgres.Resource.Endpoint, DatabaseNames.WebRole, webPasswordParameter.Resource, WebPoolSize));
        var identity = builder.AddConnectionString("dms-identity",
            RoleConnectionString(postgres.Resource.Endpoint, DatabaseNames.IdentityRole, identityPasswordParameter.Resource, IdentityPoolSize));
        return new DmsDatabase(postgres, app, appPasswordParameter, web, webPasswordParameter, identity, identityPasswordParameter);
    }
}
