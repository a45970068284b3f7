namespace Dms.IntegrationTests.Fixtures;

/// <summary>What a test's worker is set up with, whether it runs in a process of its own or in the test process.</summary>
public static class WorkerSettings
{
    /// <param name="scannerPort">clamd's port; null switches scanning off.</param>
    /// <param name="settings">More settings, by their configuration keys (<c>Dms:Processing:MaxAttempts</c>).</param>
    public static IReadOnlyDictionary<string, string> For(ApiScenario scenario, string appConnection, int? scannerPort, IReadOnlyDictionary<string, string>? settings)
    {
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings:dms"] = appConnection,
            ["Dms:Storage:FileSystem:Root"] = scenario.Api.BlobRoot.FullName,
            ["Dms:Storage:FileSystem:SigningKey"] = ApiFactory.SigningKey,
            ["Dms:Scanner:Provider"] = scannerPort is null ? "Disabled" : "Clamd",
            ["Dms:Scanner:Port"] = (scannerPort ?? 1).ToString(),
            ["Dms:Processing:PollInterval"] = "00:00:01",
            ["Dms:Processing:RetryBaseDelay"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return all;
    }
}
