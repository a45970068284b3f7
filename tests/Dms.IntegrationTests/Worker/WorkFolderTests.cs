using Dms.Worker.Processing;

namespace Dms.IntegrationTests.Worker;

public sealed class WorkFolderTests
{
    /// <summary>
    /// A fixed shared folder in /tmp belonged to whichever user ran a worker first: a second user's worker was refused
    /// every job ("Access to the path '/tmp/dms-worker/…' is denied") and left each document scanning.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void By_default_jobs_work_in_a_folder_of_the_worker_process_own_that_only_its_user_may_enter()
    {
        var folder = new DirectoryInfo(new ProcessingOptions().WorkFolder);

        Assert.True(folder.Exists);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, folder.UnixFileMode);
        Assert.StartsWith("dms-worker-", folder.Name, StringComparison.Ordinal);
        Assert.Equal(new ProcessingOptions().WorkFolder, folder.FullName);
    }
}
