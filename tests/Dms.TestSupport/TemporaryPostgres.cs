using System.Security.Cryptography;
using Npgsql;
using Xunit;

namespace Dms.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster from the machine's own binaries (about a second to start): created in a temporary
/// folder, durability switched off for speed, stopped and deleted when the tests are done. Each test class asks for
/// its own empty database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class TemporaryPostgres : IAsyncLifetime
{
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-test-postgres-");
    private readonly string _bin = FindBinDirectory();
    private string DataDirectory => Path.Combine(_folder.FullName, "data");

    public int Port { get; } = LoopbackPort.Free();

    /// <summary>More server settings (<c>-c name=value ...</c>), e.g. a benchmark's cache size.</summary>
    public string ServerSettings { get; init; } = "";

    /// <summary>The password the tests give the application role <c>dms_app</c> when they migrate a database.</summary>
    public string AppPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The database as the application role, which row-level security confines to one tenant.</summary>
    public string AppConnectionString(string ownerConnectionString) =>
        new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = "dms_app", Password = AppPassword, Pooling = true }.ConnectionString;

    /// <summary>
    /// The database as its owner, without a pool: every test database has its own connection string, and pooled owner
    /// connections stayed open (idle, for five minutes each) after their test, until a burst of requests in a later
    /// test found the server's connections used up and was answered 503.
    /// </summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Password = _password,
            Database = database,
            Pooling = false,
        }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        var passwordFile = Path.Combine(_folder.FullName, "password");
        await File.WriteAllTextAsync(passwordFile, _password);
        if (Environment.IsPrivilegedProcess)
        {
            await Run("chown", "-R", "postgres:postgres", _folder.FullName);
        }

        await RunAsServerUser(Path.Combine(_bin, "initdb"), "-D", DataDirectory, "-U", "postgres", "-A", "scram-sha-256",
            $"--pwfile={passwordFile}", "--no-sync", "--encoding=UTF8", "--locale=C.UTF-8");
        await RunAsServerUser(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-w", "-l", Path.Combine(_folder.FullName, "server.log"),
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off {ServerSettings}",
            "start");
    }

    /// <summary>A new, empty database on this server; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// A new database made as <paramref name="prepare"/> makes one (migrated, say), as a copy: the first call prepares
    /// a template database once, each call copies it (a file copy, a small part of what running every migration again
    /// costs). Copies are made one at a time, and nothing stays connected to the template.
    /// </summary>
    public async Task<string> CreatePreparedDatabaseAsync(Func<string, Task> prepare)
    {
        await _templateLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                var template = await CreateDatabaseAsync("template");
                await prepare(template);
                await using var postgres = new NpgsqlConnection(ConnectionString("postgres"));
                await postgres.OpenAsync();
                await using var disconnect = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", postgres);
                disconnect.Parameters.AddWithValue("name", new NpgsqlConnectionStringBuilder(template).Database!);
                await disconnect.ExecuteScalarAsync();
                _template = new NpgsqlConnectionStringBuilder(template).Database;
            }

            var name = $"test_{Guid.NewGuid():N}";
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{_template}\" STRATEGY FILE_COPY", connection);
            await create.ExecuteNonQueryAsync();
            return ConnectionString(name);
        }
        finally
        {
            _templateLock.Release();
        }
    }

    private readonly SemaphoreSlim _templateLock = new(1, 1);
    private string? _template;

    /// <summary>
    /// Stalls the whole server as a hung host or a storage freeze does: the postmaster and every backend are
    /// stopped (SIGSTOP), so connections are accepted by the kernel and then hear nothing. Disposing resumes them.
    /// </summary>
    public async Task<IAsyncDisposable> PauseAsync()
    {
        var postmaster = int.Parse((await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid")))[0]);
        // The postmaster first, so it forks no new backend; then its children. A backend that ended meanwhile (a
        // connection closed) has nothing to stop.
        Signal(postmaster, SignalStop);
        var processes = new[] { postmaster }.Concat(ChildrenOf(postmaster).Where(child => Signal(child, SignalStop))).ToArray();
        return new Paused(processes);
    }

    private const int SignalStop = 19;
    private const int SignalContinue = 18;
    private const int NoSuchProcess = 3;

    /// <summary>Sends a signal; false when the process has ended.</summary>
    private static bool Signal(int process, int signal) =>
        SendSignal(process, signal) == 0 || (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is var error && error == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"Signal {signal} to process {process} failed: errno {error}."));

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int process, int signal);

    private static IEnumerable<int> ChildrenOf(int process) =>
        File.ReadAllText($"/proc/{process}/task/{process}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);

    private sealed class Paused(int[] processes) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            foreach (var process in processes)
            {
                Signal(process, SignalContinue);
            }

            return ValueTask.CompletedTask;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsServerUser(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "stop");
        _folder.Delete(recursive: true);
    }

    private Task RunAsServerUser(string program, params string[] arguments) =>
        Environment.IsPrivilegedProcess
            // PostgreSQL refuses to run as root: run its tools as the 'postgres' system user.
            ? Run("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program, .. arguments])
            : Run(program, arguments);

    private static async Task Run(string program, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {result}");
        }
    }

    private static string FindBinDirectory() =>
        Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured
            ? configured
            : Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.Parse(Path.GetFileName(Path.GetDirectoryName(bin)!)))
                .FirstOrDefault()
              ?? throw new InvalidOperationException("No PostgreSQL server in /usr/lib/postgresql: run ./dms.sh test, which installs it.");
}
