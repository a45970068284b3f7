using System.Net.Http.Json;
using System.Text.Json;
using Dms.AppHost.Postgres;

namespace Dms.EndToEndTests;

/// <summary>
/// A checkout in a folder only its owner may enter, as root's home folder is (mode 0700). When the tests run as root,
/// PostgreSQL runs as the 'postgres' system user, which cannot enter it: the AppHost keeps the cluster where that
/// user can, and nothing of the user's folder is opened up.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnreachableCheckoutTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_system_comes_up_from_a_checkout_whose_parent_folder_has_mode_0700()
    {
        var home = Directory.CreateTempSubdirectory("dms-private-home-");
        home.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var appHost = CopyAppHost(Path.Combine(home.FullName, "dms"));
        var state = Path.Combine(home.FullName, "dms", ".dms-state");
        var systemFolder = ClusterFolder.SystemFolderFor(Path.Combine(state, "postgres"));
        try
        {
            // The state folder is the AppHost's default, beside its folder: nothing is set but where the AppHost is.
            await using (var model = await AppModel.StartAsync(null, Cancellation, localIdentity: false, appHostDirectory: appHost))
            {
                using var api = model.App.CreateHttpClient("api");
                var health = await api.GetFromJsonAsync<JsonElement>("/health", Cancellation);

                Assert.Equal(state, model.StateDirectory);
                Assert.Equal("Healthy", health.GetProperty("status").GetString());
                var cluster = new DirectoryInfo(Path.Combine(state, "postgres", "data"));
                if (Environment.IsPrivilegedProcess)
                {
                    Assert.Equal(systemFolder, cluster.LinkTarget);
                    Assert.True(File.Exists(Path.Combine(systemFolder, "PG_VERSION")));
                }
                else
                {
                    // The server runs as this user, who can reach their own folder.
                    Assert.Null(cluster.LinkTarget);
                    Assert.True(File.Exists(Path.Combine(cluster.FullName, "PG_VERSION")));
                }
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, home.UnixFileMode);
        }
        finally
        {
            home.Delete(recursive: true);
            if (Directory.Exists(systemFolder))
            {
                Directory.Delete(systemFolder, recursive: true);
            }
        }
    }

    /// <summary>The AppHost's folder as a checkout has it (its sources and scripts, no build output), at <paramref name="checkout"/>; its path.</summary>
    private static string CopyAppHost(string checkout)
    {
        var source = Projects.Dms_AppHost.ProjectPath; // the folder (its metadata names no project file)
        var target = Path.Combine(checkout, "Dms.AppHost");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        return target;
    }
}
