using Dms.Contracts;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Dms.Migrations;

/// <summary>Parses the runner's command line, finds the connection string and runs one verb.</summary>
public static class RunnerCommand
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    private const string Usage = """
        Usage: Dms.Migrations [up|down|status|create NAME] [--connection CONNECTION_STRING] [--to MIGRATION]
                              [--app-password PASSWORD] [--web-password PASSWORD] [--identity-password PASSWORD]
                              [--demo-tenant TENANT_ID]

          up                 apply every pending migration (the default; creates the database if missing)
          down               roll back the last applied migration
          down --to NAME     roll back to NAME (the migrations after it are reverted; 0 reverts them all)
          status             list applied and pending migrations
          create NAME        add a migration named NAME to this project (runs the pinned dotnet-ef tool)

        The connection string comes from --connection, else from ConnectionStrings:dms
        (the environment variable ConnectionStrings__dms, as Aspire hands it on). It names the schema's owner.
        With --app-password (or Dms__Database__AppPassword), 'up' lets the application role dms_app log in with it:
        the api and worker connect as dms_app, which row-level security confines to one tenant at a time.
        With --web-password (or Dms__Database__WebPassword), 'up' lets the web app's role dms_web log in with it:
        it may read and write the web app's sessions and nothing else.
        With --identity-password (or Dms__Database__IdentityPassword), 'up' lets the identity provider's role
        dms_identity log in with it: it owns the schema 'identity' (accounts and grants) and reaches nothing else.
        With --demo-tenant (or Dms__Database__DemoTenantId), 'up' also adds the local demo tenant if it is missing.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var verb = "up";
        string? connection = null, target = null, name = null, appPassword = null, webPassword = null, identityPassword = null, demoTenant = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--connection" when i + 1 < args.Length:
                    connection = args[++i];
                    break;
                case "--app-password" when i + 1 < args.Length:
                    appPassword = args[++i];
                    break;
                case "--web-password" when i + 1 < args.Length:
                    webPassword = args[++i];
                    break;
                case "--identity-password" when i + 1 < args.Length:
                    identityPassword = args[++i];
                    break;
                case "--demo-tenant" when i + 1 < args.Length:
                    demoTenant = args[++i];
                    break;
                case "--to" when i + 1 < args.Length:
                    target = args[++i];
                    break;
                case "-h" or "--help":
                    output.WriteLine(Usage);
                    return Succeeded;
                case "up" or "down" or "status" or "create" when i == 0:
                    verb = args[i];
                    break;
                case var word when verb == "create" && name is null && !word.StartsWith('-'):
                    name = word;
                    break;
                default:
                    error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
                    error.WriteLine(Usage);
                    return UsageError;
            }
        }

        if (target is not null && verb != "down")
        {
            error.WriteLine("--to goes with 'down' only.");
            return UsageError;
        }

        if (verb == "create")
        {
            if (name is null)
            {
                error.WriteLine("'create' needs a migration name, e.g. 'create AddDocumentTags'.");
                return UsageError;
            }

            return await MigrationCreator.CreateAsync(name, output, error);
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        connection ??= configuration.GetConnectionString(DatabaseNames.ConnectionName);
        appPassword ??= configuration["Dms:Database:AppPassword"];
        webPassword ??= configuration["Dms:Database:WebPassword"];
        identityPassword ??= configuration["Dms:Database:IdentityPassword"];
        demoTenant ??= configuration["Dms:Database:DemoTenantId"];
        Guid? demoTenantId = null;
        if (demoTenant is not null)
        {
            if (!Guid.TryParse(demoTenant, out var parsed))
            {
                error.WriteLine($"--demo-tenant (Dms:Database:DemoTenantId) must be a tenant id (a GUID), not '{demoTenant}'.");
                return UsageError;
            }

            demoTenantId = parsed;
        }

        if (string.IsNullOrWhiteSpace(connection))
        {
            error.WriteLine($"No database given: pass --connection, or set ConnectionStrings__{DatabaseNames.ConnectionName}.");
            return UsageError;
        }

        try
        {
            await using var runner = new MigrationRunner(connection, output);
            return verb switch
            {
                "up" => await runner.UpAsync(appPassword, webPassword, demoTenantId, identityPassword),
                "down" => await runner.DownAsync(target),
                _ => await runner.StatusAsync(),
            };
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine($"Migrations '{verb}' failed: {e.Message}");
            return Failed;
        }
    }
}
