using Microsoft.Extensions.Configuration;

namespace Dms.AppHost.Run;

/// <summary>
/// The <c>Dms:Run</c> settings: how long start-up may take before the AppHost gives up and says why, and when a
/// resource that keeps exiting after start-up is a crash loop that stops the run.
/// </summary>
/// <param name="StartLimit">From start until every resource is ready.</param>
/// <param name="UnhealthyLimit">How long a running resource may fail its health check while the system starts.</param>
/// <param name="CrashLoopExits">Exits of one resource within <paramref name="CrashLoopWindow"/> that stop the run.</param>
/// <param name="CrashLoopWindow">How far back exits are counted.</param>
public sealed record RunSettings(TimeSpan StartLimit, TimeSpan UnhealthyLimit, int CrashLoopExits, TimeSpan CrashLoopWindow)
{
    public const string Section = "Dms:Run";

    public static RunSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new RunSettings(
            Duration(section, "StartLimit", TimeSpan.FromMinutes(5)),
            Duration(section, "UnhealthyLimit", TimeSpan.FromMinutes(2)),
            Count(section, "CrashLoopExits", 5),
            Duration(section, "CrashLoopWindow", TimeSpan.FromMinutes(2)));
    }

    private static int Count(IConfigurationSection section, string key, int usual)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return usual;
        }

        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new InvalidSettingException($"{Section}:{key} is '{text}'; it must be a whole number of at least 1.");
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan usual)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return usual;
        }

        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidSettingException($"{Section}:{key} is '{text}'; it must be a positive duration such as 00:02:00.");
    }
}
