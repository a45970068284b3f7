using Dms.Worker.Tools;

namespace Dms.UnitTests.Worker.Processing;

public sealed class CommandLineTests
{
    /// <summary>A tool reads a tenant's file: whatever takes it over must not find the worker's credentials.</summary>
    [Fact]
    public async Task A_tool_gets_what_it_is_given_and_where_programs_are_but_none_of_the_workers_secrets()
    {
        Environment.SetEnvironmentVariable("ConnectionStrings__commandlinetest", "Host=db;Password=not-for-tools");
        CommandResult result;
        try
        {
            result = await CommandLine.RunAsync("env", [], new Dictionary<string, string> { ["GIVEN"] = "yes" }, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConnectionStrings__commandlinetest", null);
        }

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("GIVEN=yes", result.Output);
        Assert.Contains("PATH=", result.Output);
        Assert.DoesNotContain("not-for-tools", result.Output);
    }

    [Fact]
    public async Task A_dotnet_child_process_runs_under_an_address_space_limit_above_its_heap_limit()
    {
        var budget = ToolBudget.ForDotnetChild(64L << 20, TimeSpan.FromSeconds(10));

        var result = await CommandLine.RunAsync("sh", ["-c", "grep 'Max address space' /proc/self/limits"], null, TimeSpan.FromSeconds(30),
            TestContext.Current.CancellationToken, budget);

        Assert.Equal(2 * ((64L << 20) + (1L << 30)), budget.MemoryBytes);
        Assert.Matches($@"Max address space\s+{budget.MemoryBytes}\s+{budget.MemoryBytes}\s+bytes", result.Output);
    }
}
