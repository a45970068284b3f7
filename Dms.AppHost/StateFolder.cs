using Microsoft.Extensions.Configuration;

namespace Dms.AppHost;

/// <summary>Where the embedded profile keeps what it must not lose between runs: <c>Dms:StateDirectory</c>, by default <c>.dms-state</c>.</summary>
public static class StateFolder
{
    public static string Of(IConfiguration configuration, string appHostDirectory) =>
        Path.GetFullPath(configuration["Dms:StateDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(appHostDirectory, "..", ".dms-state"));
}
