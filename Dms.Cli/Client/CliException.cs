namespace Dms.Cli.Client;

/// <summary>A command that could not do its work: the message is printed, the exit code returned.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>What <c>dms</c> exits with, for scripts.</summary>
public static class ExitCodes
{
    public const int Succeeded = 0;

    /// <summary>The API (or the database, or a tool) refused or failed: the message says why.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong.</summary>
    public const int UsageError = 2;

    /// <summary>Not signed in, or the token expired: run <c>dms login</c>.</summary>
    public const int NotSignedIn = 3;

    /// <summary>The API could not be reached.</summary>
    public const int Unreachable = 4;
}
