using Dms.Worker.Processing;
using Dms.Worker.Tools;

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

    [Fact]
    public void At_start_the_folders_of_workers_that_no_longer_run_are_removed_and_running_ones_kept()
    {
        var own = new DirectoryInfo(new ProcessingOptions().WorkFolder);
        var temporary = own.Parent!.FullName;
        // A worker that crashed mid-OCR: its process is gone, its page image is still there.
        var deadProcess = Enumerable.Range(4_000_000, 100_000).First(id => !Directory.Exists($"/proc/{id}"));
        var crashed = Directory.CreateDirectory(Path.Combine(temporary, $"dms-worker-{deadProcess}-crashed"));
        File.WriteAllBytes(Path.Combine(crashed.FullName, "page-1.pgm"), new byte[1024]);
        // Another worker of this user, still running (this test's own parent process stands for it).
        var running = Directory.CreateDirectory(Path.Combine(temporary, $"dms-worker-{Environment.ProcessId}-running"));
        try
        {
            WorkFolders.CleanUp(own.FullName);

            Assert.False(Directory.Exists(crashed.FullName));
            Assert.True(Directory.Exists(running.FullName));
            Assert.True(own.Exists);
        }
        finally
        {
            running.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_configured_work_folder_is_emptied_at_start()
    {
        var configured = Directory.CreateTempSubdirectory("dms-configured-work-");
        Directory.CreateDirectory(Path.Combine(configured.FullName, "left-by-a-crash"));
        File.WriteAllText(Path.Combine(configured.FullName, "left-by-a-crash", "document.pdf"), "bytes");

        var removed = WorkFolders.CleanUp(configured.FullName);

        Assert.Equal(1, removed);
        Assert.Empty(configured.EnumerateFileSystemInfos());
        configured.Delete();
    }
}
