using System.Net.Http.Json;
using System.Text.Json;
using Dms.AppHost.Postgres;
using Npgsql;

namespace Dms.EndToEndTests;

/// <summary>
/// A checkout in a folder only its owner may enter, as root's home folder is (mode 0700). When the tests run as root,
/// PostgreSQL runs as the 'postgres' system user, which cannot enter it: the AppHost keeps the cluster where that
/// user can, and nothing of the user's folder is opened up. The second run of that checkout finds the first one's data
/// (one test: each run of the whole system costs a minute of CPU on cores the test suites share).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnreachableCheckoutTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_system_comes_up_from_a_checkout_whose_parent_folder_has_mode_0700_and_its_second_run_keeps_the_data()
    {
        var tenantName = $"kept-{Guid.NewGuid():N}";
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

                await ExecuteAsync(model,
                    "INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, created_at, used_bytes) " +
                    $"VALUES (gen_random_uuid(), '{tenantName}', 'pro', 1073741824, 30, now(), 0)");
            }

            await using (var second = await AppModel.StartAsync(null, Cancellation, localIdentity: false, appHostDirectory: appHost))
            {
                Assert.Equal(1L, await ExecuteAsync(second, $"SELECT count(*) FROM tenants WHERE name = '{tenantName}'"));
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

    private static async Task<object?> ExecuteAsync(AppModel model, string sql)
    {
        await using var connection = new NpgsqlConnection(await model.App.GetConnectionStringAsync("postgres", Cancellation));
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Cancellation);
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
