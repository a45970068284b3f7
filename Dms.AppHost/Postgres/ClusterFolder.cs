using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Dms.AppHost.Postgres;

/// <summary>
/// Where the embedded cluster's files live. PostgreSQL refuses to run as root, so when the AppHost runs as root the
/// server runs as the <c>postgres</c> system user, which must reach the cluster folder. A checkout in root's home
/// folder (mode 0700) is out of its reach; rather than loosen the user's folders, such a checkout's cluster lives in
/// a folder of its own under <see cref="SystemRoot"/>, and the state folder keeps a symbolic link to it
/// (<c>postgres/data</c>), so deleting the state folder still starts from nothing.
/// </summary>
public static class ClusterFolder
{
    /// <summary>The system state folder for the clusters of checkouts the <c>postgres</c> user cannot reach.</summary>
    public const string SystemRoot = "/var/lib/dms/postgres";

    /// <summary>The system user the server runs as when the AppHost runs as root.</summary>
    public const string ServerUser = "postgres";

    /// <summary>
    /// The cluster's folder for a state folder (made if needed): <c>{state}/data</c> where the server's user can
    /// reach it, else its folder under <see cref="SystemRoot"/>, linked from <c>{state}/data</c>.
    /// </summary>
    /// <param name="startEmpty">Whether the cluster is to be made anew: its files are removed first.</param>
    public static string Prepare(string stateDirectory, bool startEmpty)
    {
        Directory.CreateDirectory(stateDirectory);
        var link = Path.Combine(stateDirectory, "data");
        var linked = new DirectoryInfo(link).LinkTarget;
        string data;
        if (linked is not null)
        {
            data = linked;
        }
        else if (Directory.Exists(link) || !Environment.IsPrivilegedProcess || ServerUserCanReach(stateDirectory))
        {
            data = link;
        }
        else
        {
            data = SystemFolderFor(stateDirectory);
            // The link is new, so this state folder is new: a cluster left there by an earlier state folder of the same
            // path was made with passwords that are gone.
            startEmpty = true;
            Directory.CreateDirectory(SystemRoot);
            Directory.CreateSymbolicLink(link, data);
        }

        // Not while a server left behind by a killed run may still hold it: run-postgres.sh stops that one and keeps its data.
        if (startEmpty && Directory.Exists(data) && !File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            Directory.Delete(data, recursive: true);
        }

        return data;
    }

    /// <summary>One folder per state folder, named after its path so a second checkout never shares it.</summary>
    public static string SystemFolderFor(string stateDirectory)
    {
        var full = Path.GetFullPath(stateDirectory);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12];
        var checkout = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(full.TrimEnd('/'))) ?? "") is { Length: > 0 } name
            ? new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray())
            : "dms";
        return Path.Combine(SystemRoot, $"{checkout}-{Path.GetFileName(full.TrimEnd('/'))}-{hash}");
    }

    /// <summary>Whether the server's user may enter the folder: asked as that user, so ACLs and groups count as the server would see them.</summary>
    private static bool ServerUserCanReach(string directory)
    {
        try
        {
            using var test = Process.Start(new ProcessStartInfo("setpriv")
            {
                ArgumentList = { $"--reuid={ServerUser}", $"--regid={ServerUser}", "--init-groups", "--", "test", "-x", directory },
                RedirectStandardError = true,
                WorkingDirectory = "/",
            })!;
            test.WaitForExit();
            return test.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no setpriv: run-postgres.sh will say what is missing
        }
    }
}
