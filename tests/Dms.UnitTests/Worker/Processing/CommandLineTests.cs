using Dms.Worker.Processing;

namespace Dms.UnitTests.Worker.Processing;

public sealed class CommandLineTests
{
    /// <summary>A tool reads a tenant's file: whatever takes it over must not find the worker's credentials.</summary>
    [Fact]
    public async Task A_tool_gets_what_it_is_given_and_where_programs_are_but_none_of_the_workers_secrets()
    {
        Environment.SetEnvironmentVariable("ConnectionStrings__commandlinetest", "Host=db;Password=not-for-tools");

        var result = await CommandLine.RunAsync("env", [], new Dictionary<string, string> { ["GIVEN"] = "yes" }, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("GIVEN=yes", result.Output);
        Assert.Contains("PATH=", result.Output);
        Assert.DoesNotContain("not-for-tools", result.Output);
    }
}
