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
public sealed record PostgresSettings(PostgresMode Mode, int Port, string StateDirectory, string? BinDirectory)
{
    public const string Section = "Dms:Postgres";

    public static PostgresSettings Read(IConfiguration configuration, string appHostDirectory)
    {
        var section = configuration.GetSection(Section);

        var modeText = section["Mode"];
        var mode = PostgresMode.Executable;
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

        var stateDirectory = Path.GetFullPath(section["StateDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(appHostDirectory, "..", ".dms-state", "postgres"));

        var binDirectory = section["BinDirectory"] is { Length: > 0 } bin ? bin : FindInstalledBinDirectory();
        if (mode == PostgresMode.Executable && (binDirectory is null || !File.Exists(Path.Combine(binDirectory, "postgres"))))
        {
            throw new InvalidSettingException(
                $"{Section}:BinDirectory: no PostgreSQL server binaries found{(binDirectory is null ? "" : $" in '{binDirectory}'")}. " +
                "Install the 'postgresql' package (./dms.sh run does), or set the folder that holds 'postgres' and 'initdb'.");
        }

        return new PostgresSettings(mode, port, stateDirectory, binDirectory);
    }

    /// <summary>The newest Debian-packaged server, e.g. <c>/usr/lib/postgresql/15/bin</c>.</summary>
    private static string? FindInstalledBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }
}

/// <summary>A setting that cannot work; the message names the key.</summary>
public sealed class InvalidSettingException(string message) : Exception(message);
