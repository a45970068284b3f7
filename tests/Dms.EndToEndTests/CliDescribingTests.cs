using System.Text.Json;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// <c>dms fields</c>, <c>dms types</c> and <c>dms correspondents</c>, as a script setting up a tenant uses them: what they
/// print, what they made at the API, and the exit code of a mistake.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class CliDescribingTests(RunningEmbeddedAppModel running) : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("dms-cli-describing-");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_script_defines_a_contract_type_with_a_required_choice_and_a_correspondent()
    {
        using var admin = await running.Model.SignInAsync("admin", Cancellation);
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;

        var field = await DmsAsync(token, "fields", "add", "--name", $"Signed-{_run}", "--type", "select", "--option", "Yes", "--option", "No", "--json");
        var type = await DmsAsync(token, "types", "add", "--name", $"Contract-{_run}", "--description", "Agreements we signed", "--field", $"signed-{_run}!");
        var listed = await DmsAsync(token, "types", "list");
        var correspondent = await DmsAsync(token, "correspondents", "add", $"Counterparty-{_run}");
        var correspondents = await DmsAsync(token, "correspondents", "list", "--json");
        var retyped = await DmsAsync(token, "fields", "update", JsonDocument.Parse(field.Output).RootElement.GetProperty("id").GetString()!, "--type", "text");
        var mistake = await DmsAsync(token, "types", "add", "--name", $"Broken-{_run}", "--field", "no-such-field");

        Assert.True(field.ExitCode == 0 && type.ExitCode == 0 && correspondent.ExitCode == 0, $"{field}\n{type}\n{correspondent}");
        Assert.Equal(["Yes", "No"], JsonDocument.Parse(field.Output).RootElement.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("label").GetString()));
        Assert.Contains(listed.Output.Split('\n'), line => line.Contains($"Contract-{_run}") && line.Contains($"Signed-{_run}!"));
        Assert.Contains(JsonDocument.Parse(correspondents.Output).RootElement.EnumerateArray(), c => c.GetProperty("name").GetString() == $"Counterparty-{_run}");
        Assert.True(retyped.ExitCode == 0 && retyped.Output.Contains("text"), retyped.ToString());
        Assert.Equal(2, mistake.ExitCode);
        Assert.Contains("There is no field 'no-such-field'", mistake.Error);
    }

    private Task<ProcessResult> DmsAsync(string token, params string[] arguments) => running.Model.DmsAsync(_home, token, arguments);

    public void Dispose() => _home.Delete(recursive: true);
}
