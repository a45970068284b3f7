using Dms.TestSupport;

namespace Dms.IntegrationTests.Worker;

public sealed class WorkerStartupTests
{
    [Fact]
    public async Task A_wrong_setting_stops_the_worker_naming_the_key()
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Dms.Worker.dll");

        var result = await ProcessRunner.RunAsync("dotnet", [worker], new Dictionary<string, string>
        {
            ["Dms__Processing__PollInterval"] = "00:00:00",
            ["ConnectionStrings__dms"] = "Host=127.0.0.1;Port=1;Database=dms",
            ["Dms__Storage__FileSystem__Root"] = Path.GetTempPath(),
            ["Dms__Storage__FileSystem__SigningKey"] = new string('k', 32),
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Dms:Processing:PollInterval", result.Output + result.Error);
    }
}
