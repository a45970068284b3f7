namespace Dms.Migrations;

/// <summary>
/// The migrations runner: <c>up</c> (default, what the AppHost runs), <c>down [--to NAME]</c>, <c>status</c>,
/// <c>create NAME</c>. Exit codes: 0 done, 1 failed, 2 the command line was wrong.
/// </summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => RunnerCommand.RunAsync(args, Console.Out, Console.Error);
}
