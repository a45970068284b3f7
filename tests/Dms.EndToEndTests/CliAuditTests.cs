using System.Net.Http.Json;
using System.Text.Json;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// <c>dms audit</c> as an admin's or an operator's script uses it: the latest events as JSON, the export to a file,
/// and the check of the chain with its exit code.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class CliAuditTests(RunningEmbeddedAppModel running) : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("dms-cli-audit-");

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_lists_and_exports_the_trail_and_an_operator_checks_the_tenants_chain()
    {
        using var admin = await running.Model.SignInAsync("admin", Cancellation);
        using var @operator = await running.Model.SignInAsync("operator", Cancellation);
        var adminToken = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var tenant = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenant", Cancellation)).GetProperty("tenant").GetProperty("id").GetGuid();
        var created = await (await admin.PostAsJsonAsync("/api/v1/documents", new { fileName = "cli-audit.txt", contentType = "text/plain", sizeBytes = 5 }, Cancellation))
            .Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        var listed = await DmsAsync(adminToken, "audit", "list", "--document", id.ToString(), "--json");
        var exported = await DmsAsync(adminToken, "audit", "export", "--format", "csv", "--action", "document", "-o", "audit.csv");
        var verified = await DmsAsync(@operator.DefaultRequestHeaders.Authorization!.Parameter!, "audit", "verify", "--tenant", tenant.ToString());
        var mistake = await DmsAsync(adminToken, "audit", "export", "--format", "xml");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var events = JsonDocument.Parse(listed.Output).RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["document.created"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("admin@demo.dms.local", events[0].GetProperty("actorName").GetString());
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var csv = await File.ReadAllLinesAsync(Path.Combine(_home.FullName, "audit.csv"), Cancellation);
        Assert.Contains(csv, line => line.Contains(id.ToString()) && line.Contains("document.created"));
        Assert.True(verified.ExitCode == 0 && verified.Output.Contains("Intact") && verified.Output.Contains("yes"), verified.ToString());
        Assert.Equal(2, mistake.ExitCode);
    }

    private Task<ProcessResult> DmsAsync(string token, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [Runbook.CliAssembly, .. arguments], new Dictionary<string, string>
        {
            ["DMS_API_URL"] = running.Model.App.GetEndpoint("api", "http").ToString().TrimEnd('/'),
            ["DMS_TOKEN"] = token,
            ["DMS_SESSION"] = Path.Combine(_home.FullName, "session.json"),
        }, TimeSpan.FromMinutes(1), _home.FullName);

    public void Dispose() => _home.Delete(recursive: true);
}
