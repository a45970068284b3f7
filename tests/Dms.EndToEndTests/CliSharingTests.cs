using System.Net.Http.Json;
using System.Text.Json;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// <c>dms groups</c>, <c>dms permissions</c> and <c>dms share</c> as an admin's script uses them: a group made, a
/// document shared with it (restricting it), a share link created with its token, listed and revoked; a saved view
/// found with <c>dms views list</c> and shared by link with <c>--view</c>.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class CliSharingTests(RunningEmbeddedAppModel running) : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("dms-cli-sharing-");

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_makes_a_group_restricts_a_document_to_it_gives_it_to_the_group_and_creates_lists_and_revokes_a_share_link()
    {
        using var admin = await running.Model.SignInAsync("admin", Cancellation);
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var run = Guid.NewGuid().ToString("N")[..8];
        var created = await (await admin.PostAsJsonAsync("/api/v1/documents", new { fileName = $"cli-share-{run}.txt", contentType = "text/plain", sizeBytes = 5 }, Cancellation))
            .Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var id = created.GetProperty("document").GetProperty("id").GetGuid().ToString();

        var group = await DmsAsync(token, "groups", "create", $"Finance {run}", "--json");
        var groupId = group.ExitCode == 0 ? JsonDocument.Parse(group.Output).RootElement.GetProperty("id").GetString()! : "";
        var groups = await DmsAsync(token, "groups", "list");
        var shared = await DmsAsync(token, "permissions", "share", id, "--group", groupId);
        var shown = await DmsAsync(token, "permissions", "show", id, "--json");
        var link = await DmsAsync(token, "share", "create", id, "--days", "1", "--downloads", "3", "--json");
        var linkId = link.ExitCode == 0 ? JsonDocument.Parse(link.Output).RootElement.GetProperty("id").GetString()! : "";
        var revoked = await DmsAsync(token, "share", "revoke", id, linkId);
        var links = await DmsAsync(token, "share", "list", id);
        var tooLong = await DmsAsync(token, "share", "create", id, "--days", "4000");
        var nobody = await DmsAsync(token, "permissions", "share", id);
        var given = await DmsAsync(token, "permissions", "owner", id, "--group", groupId, "--json");

        Assert.True(group.ExitCode == 0, group.ToString());
        Assert.Contains(groups.Output.Split('\n'), line => line.Contains($"Finance {run}"));
        Assert.True(shared.ExitCode == 0 && shared.Output.Contains($"Finance {run} (view)"), shared.ToString());
        var permissions = JsonDocument.Parse(shown.Output).RootElement;
        Assert.True(permissions.GetProperty("restricted").GetBoolean());
        Assert.Equal("admin@demo.dms.local", permissions.GetProperty("ownerName").GetString());
        Assert.True(link.ExitCode == 0 && JsonDocument.Parse(link.Output).RootElement.GetProperty("token").GetString()!.Length >= 40, link.ToString());
        Assert.True(revoked.ExitCode == 0 && revoked.Output.Contains("revoked"), revoked.ToString());
        Assert.Contains(links.Output.Split('\n'), line => line.Contains(linkId) && line.Contains("0 of 3") && line.Contains("revoked"));
        Assert.NotEqual(0, tooLong.ExitCode);
        Assert.Contains("days", tooLong.ToString());
        Assert.Equal(2, nobody.ExitCode);
        Assert.True(given.ExitCode == 0, given.ToString());
        var owned = JsonDocument.Parse(given.Output).RootElement;
        Assert.Equal(groupId, owned.GetProperty("ownerGroupId").GetString());
        Assert.Equal($"Finance {run}", owned.GetProperty("ownerName").GetString());
        Assert.Contains(owned.GetProperty("grants").EnumerateArray(), g => g.GetProperty("groupId").GetString() == groupId);
    }

    [Fact]
    public async Task An_editor_finds_a_saved_view_and_shares_it_by_link_lists_the_link_and_revokes_it()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        var token = editor.DefaultRequestHeaders.Authorization!.Parameter!;
        var name = $"Leases {Guid.NewGuid():N}"[..15];
        (await editor.PostAsJsonAsync("/api/v1/saved-views", new { name, filters = new { tag = "lease" } }, Cancellation)).EnsureSuccessStatusCode();

        var views = await DmsAsync(token, "views", "list", "--json");
        var viewId = views.ExitCode == 0
            ? JsonDocument.Parse(views.Output).RootElement.EnumerateArray().FirstOrDefault(v => v.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } view
                ? view.GetProperty("id").GetString()!
                : ""
            : "";
        var link = await DmsAsync(token, "share", "create", viewId, "--view", "--days", "1", "--json");
        var linkId = link.ExitCode == 0 ? JsonDocument.Parse(link.Output).RootElement.GetProperty("id").GetString()! : "";
        var listed = await DmsAsync(token, "share", "list", viewId, "--view");
        var revoked = await DmsAsync(token, "share", "revoke", viewId, linkId, "--view");
        var asDocument = await DmsAsync(token, "share", "list", viewId);

        Assert.True(Guid.TryParse(viewId, out _), views.ToString());
        Assert.True(link.ExitCode == 0, link.ToString());
        var created = JsonDocument.Parse(link.Output).RootElement;
        Assert.Equal(viewId, created.GetProperty("viewId").GetString());
        Assert.True(created.GetProperty("token").GetString()!.Length >= 40, link.ToString());
        Assert.Contains(listed.Output.Split('\n'), line => line.Contains(linkId) && line.Contains("active"));
        Assert.True(revoked.ExitCode == 0 && revoked.Output.Contains("revoked"), revoked.ToString());
        Assert.NotEqual(0, asDocument.ExitCode);
    }

    private Task<ProcessResult> DmsAsync(string token, params string[] arguments) => running.Model.DmsAsync(_home, token, arguments);

    public void Dispose() => _home.Delete(recursive: true);
}
