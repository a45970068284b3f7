using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Common;
using Dms.Persistence;
using Npgsql;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms backup create|restore</c> for the embedded profile: the database (<c>pg_dump</c>) and the blob folder,
/// consistent with each other. Stored bytes are write-once (an upload is written aside and moved into place), so the
/// folder is copied before the dump and again after it: every object the dump's snapshot refers to is in the backup,
/// even one purged while the dump ran. In AWS the same is Aurora point-in-time restore and S3 versioning (docs/runbook.md).
/// </summary>
public static class BackupCommands
{
    private const string DumpFile = "database.dump";
    private const string BlobFolder = "blobs";
    private const string ManifestFile = "manifest.json";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "A new (or empty) folder to write the backup to.", Required = true };
        var from = new Option<DirectoryInfo>("--from") { Description = "A folder 'dms backup create' wrote.", Required = true };
        var blobs = new Option<string?>("--blobs") { Description = "The blob folder (default: the state folder's blobs)." };
        return new Command("backup", "Backs up and restores the embedded profile: database and document bytes together.").With(
            new Command("create", "Writes a consistent backup of the database and the blob folder.")
                .With(output, blobs, LocalDatabase.Connection, LocalDatabase.State)
                .WithBody((parse, context, token) => CreateAsync(parse.GetValue(output)!, BlobRoot(parse, blobs), LocalDatabase.ConnectionString(parse), context.Printer, token)),
            new Command("restore", "Replaces the database and the blob folder with a backup's, then checks every stored version's bytes are there.")
                .With(from, blobs, LocalDatabase.Connection, LocalDatabase.State)
                .WithBody((parse, context, token) => RestoreAsync(parse.GetValue(from)!, BlobRoot(parse, blobs), LocalDatabase.ConnectionString(parse), context.Printer, token)));
    }

    private static string BlobRoot(ParseResult parse, Option<string?> blobs) =>
        Path.GetFullPath(parse.GetValue(blobs) ?? Path.Combine(parse.GetValue(LocalDatabase.State)!, "blobs"));

    private static async Task CreateAsync(DirectoryInfo target, string blobRoot, string connectionString, Printer printer, CancellationToken cancellationToken)
    {
        if (target.Exists && target.EnumerateFileSystemInfos().Any())
        {
            throw new CliException($"{target.FullName} is not empty: back up into a new folder.", ExitCodes.UsageError);
        }

        if (!Directory.Exists(blobRoot))
        {
            throw new CliException($"There is no blob folder at {blobRoot}.", ExitCodes.UsageError);
        }

        // A backup holds every tenant's bytes: owner-only from creation, the dump included (pg_dump keeps the file's mode).
        var blobCopy = Path.Combine(target.FullName, BlobFolder);
        OwnerOnly.CreateFolder(target.FullName);
        OwnerOnly.CreateFolder(blobCopy);
        await OwnerOnly.CreateFile(Path.Combine(target.FullName, DumpFile)).DisposeAsync();
        var started = Stopwatch.GetTimestamp();
        CopyNew(blobRoot, blobCopy);
        await RunAsync("pg_dump", ["--format=custom", "--file", Path.Combine(target.FullName, DumpFile)], connectionString, cancellationToken);
        var (files, bytes) = CopyNew(blobRoot, blobCopy);

        var manifest = new JsonObject
        {
            ["createdAt"] = DateTimeOffset.UtcNow.ToString("O"),
            ["database"] = new NpgsqlConnectionStringBuilder(connectionString).Database,
            ["databaseDumpBytes"] = new FileInfo(Path.Combine(target.FullName, DumpFile)).Length,
            ["blobFiles"] = files,
            ["blobBytes"] = bytes,
        };
        await OwnerOnly.WriteAllTextAsync(Path.Combine(target.FullName, ManifestFile), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        printer.Print(manifest, () => Printer.Line(
            $"Backed up the database ({Printer.Bytes(new FileInfo(Path.Combine(target.FullName, DumpFile)).Length)}) and {files} stored objects ({Printer.Bytes(bytes)}) to {target.FullName} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s."));
    }

    private static async Task RestoreAsync(DirectoryInfo source, string blobRoot, string connectionString, Printer printer, CancellationToken cancellationToken)
    {
        var dump = Path.Combine(source.FullName, DumpFile);
        var blobCopy = Path.Combine(source.FullName, BlobFolder);
        if (!File.Exists(dump) || !Directory.Exists(blobCopy))
        {
            throw new CliException($"{source.FullName} holds no backup ({DumpFile} and {BlobFolder}/ are written by 'dms backup create').", ExitCodes.UsageError);
        }

        // One transaction: the database is either the backup's or what it was.
        await RunAsync("pg_restore", ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--dbname", Database(connectionString), dump], connectionString, cancellationToken);

        OwnerOnly.CreateFolder(blobRoot);
        var restored = Directory.EnumerateFiles(blobCopy, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(blobCopy, f)).ToHashSet();
        foreach (var extra in Directory.EnumerateFiles(blobRoot, "*", SearchOption.AllDirectories).Where(f => !restored.Contains(Path.GetRelativePath(blobRoot, f))).ToList())
        {
            File.Delete(extra); // bytes of documents the restored database does not know
        }

        var kept = CopyNew(blobCopy, blobRoot, overwrite: true);

        var (versions, missing) = await CheckBytesAsync(connectionString, blobRoot, cancellationToken);
        var summary = new JsonObject { ["versions"] = versions, ["missing"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]), ["blobFiles"] = kept.Files };
        printer.Print(summary, () => Printer.Line(missing.Count == 0
            ? $"Restored the database and {kept.Files} stored objects from {source.FullName}: all {versions} stored versions have their bytes."
            : $"Restored, but {missing.Count} of {versions} stored versions have no bytes: {string.Join(", ", missing.Take(10))}"));
        if (missing.Count > 0)
        {
            throw new CliException("The backup's blob folder lacks bytes the database refers to.");
        }
    }

    /// <summary>Every completed version's object must be in the blob folder.</summary>
    private static async Task<(int Versions, List<string> Missing)> CheckBytesAsync(string connectionString, string blobRoot, CancellationToken cancellationToken)
    {
        var keys = await StoredVersions.ListBlobKeysAsync(connectionString, cancellationToken);
        return (keys.Count, keys.Where(key => !File.Exists(Path.Combine(blobRoot, key))).ToList());
    }

    /// <summary>Copies the files <paramref name="to"/> lacks (or all, when <paramref name="overwrite"/>); returns what <paramref name="to"/> then holds.</summary>
    private static (int Files, long Bytes) CopyNew(string from, string to, bool overwrite = false)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.EndsWith(".part", StringComparison.Ordinal) || Path.GetFileName(relative).StartsWith(".health-", StringComparison.Ordinal))
            {
                continue; // an upload being received, a health probe: never a stored object
            }

            var copy = Path.Combine(to, relative);
            if (overwrite || !File.Exists(copy))
            {
                OwnerOnly.CreateFolder(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy, overwrite: true);
            }
        }

        var files = Directory.EnumerateFiles(to, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        return (files.Count, files.Sum(f => f.Length));
    }

    /// <summary>The libpq form of the connection string, without the password (it goes in PGPASSWORD).</summary>
    private static string Database(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"host={builder.Host} port={builder.Port} user={builder.Username} dbname={builder.Database}";
    }

    /// <summary>Runs a PostgreSQL client tool of the newest installed version (it must not be older than the server).</summary>
    private static async Task RunAsync(string tool, string[] arguments, string connectionString, CancellationToken cancellationToken)
    {
        var program = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", tool)).LastOrDefault(File.Exists) ?? tool
            : tool;
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (tool == "pg_dump")
        {
            start.ArgumentList.Add("--dbname");
            start.ArgumentList.Add(Database(connectionString));
        }

        start.Environment["PGPASSWORD"] = new NpgsqlConnectionStringBuilder(connectionString).Password ?? "";
        using var process = Process.Start(start) ?? throw new CliException($"{tool} could not be started.");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new CliException($"{tool} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
