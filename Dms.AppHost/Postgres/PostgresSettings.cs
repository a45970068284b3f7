using Microsoft.Extensions.Configuration;

namespace Dms.AppHost.Postgres;

/// <summary>Where the metadata database comes from.</summary>
public enum PostgresMode
{
    /// <summary>The machine's PostgreSQL binaries, run by the AppHost; the cluster is kept in a state folder across runs.</summary>
    Executable,

    /// <summary>The PostgreSQL container image: only where a container runtime is healthy.</summary>
    Container,

    /// <summary>A database that runs elsewhere (Aurora): the connection string <c>ConnectionStrings:dms</c> is a parameter.</summary>
    External,
}

/// <summary>The <c>Dms:Postgres</c> settings, checked before any resource is added: a wrong one stops start-up naming its key.</summary>
/// <param name="BinDirectory">The folder holding <c>postgres</c> and <c>initdb</c>; by default the newest Debian-packaged server.</param>
/// <param name="StartEmpty">
/// Whether the cluster is made anew at each run: the local AWS profile's bucket and queues live in fauxqs's memory,
/// so a database kept from an earlier run would name documents whose bytes are gone.
/// </param>
public sealed record PostgresSettings(PostgresMode Mode, int Port, string StateDirectory, string? BinDirectory, bool StartEmpty)
{
    public const string Section = "Dms:Postgres";

    public static PostgresSettings Read(IConfiguration configuration, string appHostDirectory, DeploymentProfile profile)
    {
        var section = configuration.GetSection(Section);

        var modeText = section["Mode"];
        var mode = profile == DeploymentProfile.Aws ? PostgresMode.External : PostgresMode.Executable;
        if (!string.IsNullOrWhiteSpace(modeText)
            && (!Enum.TryParse(modeText, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || char.IsDigit(modeText.Trim()[0])))
        {
            throw new InvalidSettingException(
                $"{Section}:Mode is '{modeText}'; it must be one of {string.Join(", ", Enum.GetNames<PostgresMode>())}.");
        }

        var portText = section["Port"];
        var port = 0;
        if (!string.IsNullOrWhiteSpace(portText) && (!int.TryParse(portText, out port) || port is < 0 or > 65535))
        {
            throw new InvalidSettingException($"{Section}:Port is '{portText}'; it must be a TCP port (1-65535), or 0 for any free port.");
        }

        var startEmpty = profile == DeploymentProfile.LocalAws;
        var stateDirectory = Path.Combine(StateFolder.Of(configuration, appHostDirectory), startEmpty ? "postgres-local-aws" : "postgres");

        var binDirectory = section["BinDirectory"] is { Length: > 0 } bin ? bin : null;
        return new PostgresSettings(mode, port, stateDirectory, binDirectory, startEmpty);
    }
}
