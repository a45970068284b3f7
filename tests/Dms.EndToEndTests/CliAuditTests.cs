using System.Net.Http.Json;
using System.Text.Json;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// <c>dms audit</c> and <c>dms holds</c> as an admin's or an operator's script uses them: the latest events as JSON,
/// the export to a file, the check of the chain with its exit code; a hold placed, listed and lifted.
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
        var placed = await DmsAsync(adminToken, "holds", "place", "--name", "CLI matter", "--reason", "Kept for the test.", "--document", id.ToString(), "--json");
        var holdId = placed.ExitCode == 0 ? JsonDocument.Parse(placed.Output).RootElement.GetProperty("id").GetString()! : "";
        var listedHolds = await DmsAsync(adminToken, "holds", "list");
        var trash = await admin.DeleteAsync($"/api/v1/documents/{id}", Cancellation);
        var lifted = await DmsAsync(adminToken, "holds", "lift", holdId);
        var neither = await DmsAsync(adminToken, "holds", "place", "--name", "x", "--reason", "y");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var events = JsonDocument.Parse(listed.Output).RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["document.created"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("admin@demo.dms.local", events[0].GetProperty("actorName").GetString());
        Assert.True(exported.ExitCode == 0, exported.ToString());
        var csv = await File.ReadAllLinesAsync(Path.Combine(_home.FullName, "audit.csv"), Cancellation);
        Assert.Contains(csv, line => line.Contains(id.ToString()) && line.Contains("document.created"));
        Assert.True(verified.ExitCode == 0 && verified.Output.Contains("Intact") && verified.Output.Contains("yes"), verified.ToString());
        Assert.Equal(2, mistake.ExitCode);
        Assert.True(placed.ExitCode == 0, placed.ToString());
        Assert.Contains(listedHolds.Output.Split('\n'), line => line.Contains("CLI matter") && line.Contains("in force"));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, trash.StatusCode);
        Assert.True(lifted.ExitCode == 0 && lifted.Output.Contains("by admin@demo.dms.local"), lifted.ToString());
        Assert.Equal(2, neither.ExitCode);
    }

    private Task<ProcessResult> DmsAsync(string token, params string[] arguments) => running.Model.DmsAsync(_home, token, arguments);

    public void Dispose() => _home.Delete(recursive: true);
}
