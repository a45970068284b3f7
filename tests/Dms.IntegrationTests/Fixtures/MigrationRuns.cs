using Dms.Migrations;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// The migrations runner, one run at a time in this process. The collections run side by side (the PostgreSQL one, the
/// fauxqs one, the classes with a server of their own), and a run makes and alters a cluster's roles (<c>dms_app</c>
/// and the others), which two runs at once on one cluster race to create.
/// </summary>
public static class MigrationRuns
{
    private static readonly SemaphoreSlim One = new(1, 1);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        await One.WaitAsync();
        try
        {
            return await RunnerCommand.RunAsync(args, output, error);
        }
        finally
        {
            One.Release();
        }
    }
}
