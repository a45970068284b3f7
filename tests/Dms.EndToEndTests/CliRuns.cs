using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary><c>dms</c>, the built CLI, run against a running app model's API as a script runs it.</summary>
public static class CliRuns
{
    /// <summary>Runs <c>dms</c> (the built CLI) against the model's API with <paramref name="token"/>, its session kept in <paramref name="home"/>.</summary>
    public static Task<ProcessResult> DmsAsync(this AppModel model, DirectoryInfo home, string token, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Runbook.CliAssembly, .. arguments], new Dictionary<string, string>
        {
            ["DMS_API_URL"] = model.App.GetEndpoint("api", "http").ToString().TrimEnd('/'),
            ["DMS_TOKEN"] = token,
            ["DMS_SESSION"] = Path.Combine(home.FullName, "session.json"),
        }, TimeSpan.FromMinutes(1), home.FullName);
}
