using Dms.Contracts;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Identity;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dms.EndToEndTests;

/// <summary>
/// A new operator follows docs/runbook.md against the system as <c>./dms.sh run</c> starts it: every bash block runs
/// as written, in order, and this test does what the world around the operator would (a scanner that stops and is
/// started again, documents that fail, a database and blob folder that are lost) and checks each block's outcome.
/// </summary>
/// <remarks>
/// On the embedded profile only: its backup and restore steps copy the blob folder; with S3 the runbook's backup is
/// the bucket's versioning, which fauxqs does not keep.
/// </remarks>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed partial class RunbookTests(RunningEmbeddedAppModel running) : IDisposable
{

    private readonly Dictionary<Guid, byte[]> _backedUp = [];
    private Runbook _runbook = null!;
    private HttpClient _editor = null!;
    private Guid _first, _second;
    private string _firstTemporaryPassword = "";
    private string? _lastMigration;

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private ResourceCommandService Commands => running.Model.App.Services.GetRequiredService<ResourceCommandService>();

    [Fact]
    public void Every_dms_command_the_runbook_mentions_is_one_its_tested_blocks_run()
    {
        var run = string.Join('\n', Runbook.Read().Select(b => b.Script));
        Assert.DoesNotContain(Runbook.InlineCommands(), command => !run.Contains(command, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_operator_following_the_runbook_gets_what_each_step_promises()
    {
        _runbook = new Runbook(new Dictionary<string, string>
        {
            ["DMS_API_URL"] = running.Model.App.GetEndpoint("api", "http").ToString().TrimEnd('/'),
            ["DMS_PASSWORD"] = DemoIdentity.Password,
            ["DMS_STATE"] = running.Model.StateDirectory,
            ["ConnectionStrings__dms"] = await OwnerConnectionStringAsync(),
        });
        _editor = await running.Model.SignInAsync("editor", Cancellation);

        // Each named block of the runbook, with what happens before it and what it must have done.
        (string Name, Func<Task>? Before, Func<string, Task>? After)[] steps =
        [
            ("sign-in", null, _ => TheSessionIsTheOperatorsAndOwnerOnlyAsync()),
            ("health", null, output =>
            {
                Assert.Contains("Healthy", output);
                Assert.Contains("DLQ messages", output);
                return Task.CompletedTask;
            }),
            ("dead-letters", FailTwoDocumentsWithTheScannerStoppedAsync, output =>
            {
                Assert.Contains("ALERT", RowOf(output, "DLQ messages"));
                Assert.NotEmpty(_runbook.Get("DEAD_LETTER_ID"));
                return Task.CompletedTask;
            }),
            ("redrive", StartTheScannerAsync, _ => OneDocumentReadyTheOtherStillFailedAsync()),
            ("purge", null, output =>
            {
                Assert.Contains("OK", RowOf(output, "DLQ messages"));
                return Task.CompletedTask;
            }),
            ("add-tenant", null, output =>
            {
                Assert.True(Guid.TryParse(_runbook.Get("TENANT_ID"), out _), output);
                Assert.Contains("Company Name", output);
                return Task.CompletedTask;
            }),
            ("add-user", null, _ => TheNewUserSignsInAndSeesTheirTenantAsync()),
            ("user-lifecycle", RememberTheTemporaryPassword, TheUserWasResetAndIsGoneAsync),
            ("usage", null, output =>
            {
                Assert.Contains("Company Name", output);
                Assert.Contains("200 GiB", output);
                return Task.CompletedTask;
            }),
            ("audit", null, output =>
            {
                // The tenant added above, its quota changed and its user added, each by the operator; the chain holds.
                Assert.Contains("tenant.created", output);
                Assert.Contains("tenant.changed", output);
                Assert.Contains("user.added", output);
                Assert.Matches(@"Intact\s+yes", output);
                Assert.Contains("tenant.created", File.ReadAllText(Path.Combine(_runbook.WorkDirectory, "audit.csv")));
                return Task.CompletedTask;
            }),
            ("reprocess", null, async _ => Assert.Equal("ready", await StatusAfterProcessingAsync(_second))),
            ("trash", null, async output =>
            {
                // Each command printed the document it acted on: first in the trash, then back as it was.
                Assert.Equal(["deleted", "ready"], StatusLine().Matches(output).Select(m => m.Groups[1].Value));
                var document = await _editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{_second}", Cancellation);
                Assert.Equal("ready", document.GetProperty("status").GetString());
                Assert.Equal(JsonValueKind.Null, document.GetProperty("deletedAt").ValueKind);
            }),
            ("force-delete", null, async _ =>
                Assert.Equal(HttpStatusCode.NotFound, (await _editor.GetAsync($"/api/v1/documents/{_second}", Cancellation)).StatusCode)),
            ("reindex", LoseTheSearchIndexAsync, async output =>
            {
                Assert.Matches(@"Reindexed: went through [1-9]\d* documents, [1-9]\d* are searchable\.", output);
                Assert.True(await FoundAsync(_first), "The reindex did not bring the document back into search.");
            }),
            ("migrations", RememberTheLastMigrationAsync, output =>
            {
                // status lists it applied, down reverts it, up applies it again: nothing pending afterwards.
                Assert.Contains($"applied  {_lastMigration}", output);
                Assert.Contains($"Reverted {_lastMigration}", output);
                Assert.Contains($"Applied {_lastMigration}", output);
                Assert.Contains($"Database is up to date at {_lastMigration}.", output);
                return Task.CompletedTask;
            }),
            ("backup", RememberEveryReadyDocumentAsync, _ => TheBackupIsTheOwnersOnlyAsync()),
            ("restore", LoseTheDatabaseAndTheBlobsAsync, _ => EveryDocumentIsBackByteIdenticalAndSearchableAsync()),
        ];

        var blocks = Runbook.Read();
        Assert.Equal(steps.Select(s => s.Name), blocks.Select(b => b.Name));
        foreach (var (block, (_, before, after)) in blocks.Zip(steps))
        {
            if (before is not null)
            {
                await before();
            }

            // A person at the console: where dms login prints an address to allow, they open it and allow it as the operator.
            var allowed = new List<Task>();
            var provider = await running.Model.ProviderAsync(Cancellation);
            var result = await _runbook.RunAsync(block, line => AllowWhereAsked(line, provider, allowed, "operator@demo.dms.local", DemoIdentity.Password));
            await Task.WhenAll(allowed);
            Assert.True(result.ExitCode == 0, $"The runbook's '{block.Name}' block failed:\n{block.Script}\n{result}");
            if (after is not null)
            {
                await after(result.Output);
            }
        }
    }

    public void Dispose()
    {
        _editor?.Dispose();
        _runbook?.Dispose();
    }

    private async Task FailTwoDocumentsWithTheScannerStoppedAsync()
    {
        var stopped = await Commands.ExecuteCommandAsync("scanner", KnownResourceCommands.StopCommand, Cancellation);
        Assert.True(stopped.Success, stopped.Message);
        _first = await UploadAsync("First letter waiting for the scanner");
        _second = await UploadAsync("Second letter waiting for the scanner");
        Assert.Equal("failed", await StatusAfterProcessingAsync(_first));
        Assert.Equal("failed", await StatusAfterProcessingAsync(_second));
    }

    private async Task StartTheScannerAsync()
    {
        await running.Model.StartAgainAsync("scanner", Cancellation);
    }

    /// <summary>The redriven one goes through the pipeline again; the other is the runbook's "failed document" to reprocess.</summary>
    private async Task OneDocumentReadyTheOtherStillFailedAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        string first, second;
        do
        {
            await Task.Delay(200, Cancellation);
            first = await StatusAsync(_first);
            second = await StatusAsync(_second);
        }
        while ((first, second) is not ("ready", "failed") and not ("failed", "ready") && DateTime.UtcNow < deadline);

        Assert.Contains((first, second), new[] { ("ready", "failed"), ("failed", "ready") });
        if (first == "failed")
        {
            (_first, _second) = (_second, _first);
        }

        _runbook.Set("DOCUMENT_ID", _second.ToString());
    }

    private async Task TheNewUserSignsInAndSeesTheirTenantAsync()
    {
        var password = _runbook.Get("TEMPORARY_PASSWORD");
        Assert.NotEmpty(password);
        var allowed = new List<Task>();
        var provider = await running.Model.ProviderAsync(Cancellation);
        var signIn = await _runbook.DmsAsync("user.json", ["login"], line => AllowWhereAsked(line, provider, allowed, "user@example.com", password, "User-chosen-1!"));
        await Task.WhenAll(allowed);
        Assert.True(signIn.ExitCode == 0, signIn.ToString());
        Assert.Contains("as user@example.com", signIn.Output);
        var session = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_runbook.WorkDirectory, "user.json"), Cancellation)).RootElement;
        using var user = running.Model.App.CreateHttpClient("api");
        user.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        var own = await user.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Cancellation);
        Assert.Equal(_runbook.Get("TENANT_ID"), own.GetProperty("tenant").GetProperty("id").GetString());
    }

    private Task RememberTheTemporaryPassword()
    {
        _firstTemporaryPassword = _runbook.Get("TEMPORARY_PASSWORD");
        return Task.CompletedTask;
    }

    /// <summary>Listed before, given a new temporary password, and removed at the end: the tenant has no such user any more.</summary>
    private async Task TheUserWasResetAndIsGoneAsync(string output)
    {
        Assert.Contains("user@example.com", RowOf(output, "user@example.com"));
        Assert.NotEmpty(_runbook.Get("TEMPORARY_PASSWORD"));
        Assert.NotEqual(_firstTemporaryPassword, _runbook.Get("TEMPORARY_PASSWORD"));
        Assert.Contains("is removed", output);
        using var operatorClient = await running.Model.SignInAsync("operator", Cancellation);
        var users = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/v1/admin/tenants/{_runbook.Get("TENANT_ID")}/users", Cancellation);
        Assert.DoesNotContain(users.EnumerateArray(), u => u.GetProperty("username").GetString() == "user@example.com");
    }

    /// <summary>Where <c>dms login</c> printed the address of its code, a person signs in there and allows it.</summary>
    private void AllowWhereAsked(string line, ProviderSignIn provider, List<Task> allowed, string email, string password, string? newPassword = null)
    {
        if (line.Trim() is var address && address.StartsWith("http", StringComparison.Ordinal) && address.Contains("/connect/verify?user_code=", StringComparison.Ordinal))
        {
            allowed.Add(provider.AllowDeviceAsync(address, email, password, newPassword, Cancellation));
        }
    }

    /// <summary>The block saved a session an operator's command can use, in a file only its owner can read.</summary>
    private async Task TheSessionIsTheOperatorsAndOwnerOnlyAsync()
    {
        var file = new FileInfo(Path.Combine(_runbook.WorkDirectory, "session.json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, file.UnixFileMode);
        var session = JsonDocument.Parse(await File.ReadAllTextAsync(file.FullName, Cancellation)).RootElement;
        using var api = running.Model.App.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/admin/status", Cancellation)).StatusCode);
    }

    /// <summary>What the runbook's "search not working" alert is about: the index lost, the documents still there.</summary>
    private async Task LoseTheSearchIndexAsync()
    {
        await ExecuteAsOwnerAsync("TRUNCATE search_entries");
        Assert.False(await FoundAsync(_first), "The document is still found with the index emptied.");
    }

    private async Task RememberTheLastMigrationAsync()
    {
        await using var connection = new NpgsqlConnection(await OwnerConnectionStringAsync());
        await connection.OpenAsync(Cancellation);
        _lastMigration = (string?)await new NpgsqlCommand("SELECT max(migration_id) FROM \"__EFMigrationsHistory\"", connection).ExecuteScalarAsync(Cancellation);
        Assert.NotNull(_lastMigration);
    }

    private async Task ExecuteAsOwnerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await OwnerConnectionStringAsync());
        await connection.OpenAsync(Cancellation);
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync(Cancellation);
    }

    private async Task RememberEveryReadyDocumentAsync()
    {
        var page = await _editor.GetFromJsonAsync<JsonElement>("/api/v1/documents?status=ready&limit=100", Cancellation);
        foreach (var document in page.GetProperty("documents").EnumerateArray())
        {
            var id = document.GetProperty("id").GetGuid();
            _backedUp[id] = await _editor.GetByteArrayAsync($"/api/v1/documents/{id}/content", Cancellation);
        }

        Assert.Contains(_first, _backedUp.Keys);
        Assert.True(await FoundAsync(_first), "The redriven document is not found before the backup.");
    }

    /// <summary>A backup holds every tenant's bytes: on a shared host, no other user may read any of it.</summary>
    private Task TheBackupIsTheOwnersOnlyAsync()
    {
        var backup = new DirectoryInfo(Path.Combine(_runbook.WorkDirectory, _runbook.Get("BACKUP_DIR")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, backup.UnixFileMode);
        Assert.All(backup.EnumerateDirectories("*", SearchOption.AllDirectories), d => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, d.UnixFileMode));
        Assert.All(backup.EnumerateFiles("*", SearchOption.AllDirectories), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, f.UnixFileMode));
        return Task.CompletedTask;
    }

    /// <summary>Every tenant's rows and every stored byte gone, as after a lost disk.</summary>
    private async Task LoseTheDatabaseAndTheBlobsAsync()
    {
        await ExecuteAsOwnerAsync("TRUNCATE tenants CASCADE");

        var blobs = new DirectoryInfo(Path.Combine(running.Model.StateDirectory, "blobs"));
        foreach (var folder in blobs.EnumerateDirectories())
        {
            folder.Delete(recursive: true);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _editor.GetAsync($"/api/v1/documents/{_first}", Cancellation)).StatusCode);
    }

    private async Task EveryDocumentIsBackByteIdenticalAndSearchableAsync()
    {
        foreach (var (id, bytes) in _backedUp)
        {
            Assert.Equal(bytes, await _editor.GetByteArrayAsync($"/api/v1/documents/{id}/content", Cancellation));
        }

        Assert.True(await FoundAsync(_first), "The redriven document is not found after the restore.");
    }

    private async Task<bool> FoundAsync(Guid id)
    {
        var found = await _editor.GetFromJsonAsync<JsonElement>("/api/v1/search?q=letter+waiting", Cancellation);
        return found.GetProperty("hits").EnumerateArray().Any(hit => hit.GetProperty("documentId").GetGuid() == id);
    }

    private async Task<Guid> UploadAsync(string text) =>
        (await DocumentUploads.UploadAsync(_editor, Encoding.UTF8.GetBytes(text), $"{Guid.NewGuid():N}.txt", "text/plain", cancellationToken: Cancellation)).Id;

    private async Task<string> StatusAfterProcessingAsync(Guid id) =>
        (await DocumentUploads.WaitForStatusAsync(_editor, id, ["ready", "failed", "quarantined"], TimeSpan.FromMinutes(1), Cancellation))
        .Status!;

    private async Task<string> StatusAsync(Guid id) =>
        (await _editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", Cancellation)).GetProperty("status").GetString()!;

    private Task<string> OwnerConnectionStringAsync() => running.Model.App.GetConnectionStringAsync("postgres", Cancellation).AsTask()!;

    /// <summary>The line of a printed table that names <paramref name="metric"/> (the last one, when the block printed two tables).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^Status\s+(\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex StatusLine();

    private static string RowOf(string output, string metric) =>
        output.Split('\n').LastOrDefault(line => line.Contains(metric, StringComparison.Ordinal)) ?? $"(no '{metric}' row in)\n{output}";
}
