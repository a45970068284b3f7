using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dms.EndToEndTests;

/// <summary>
/// The app model published as a manifest (what <c>azd</c> and other deployment tools read to learn an Aspire app):
/// written at once, naming every project, executable and parameter, with secrets as parameters and never their values,
/// and nothing made or started on this machine.
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("dms-publish-");

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("--publisher", "manifest")]
    [InlineData("--operation", "publish", "--publisher", "manifest")]
    public async Task The_manifest_is_written_at_once_naming_every_resource_with_secrets_as_parameters_and_nothing_made_here(params string[] command)
    {
        var manifest = Path.Combine(_work.FullName, "manifest.json");
        var state = Path.Combine(_work.FullName, "state");

        await using var publish = AppHostProcess.Start(state, [.. command, "--output-path", manifest]);
        var exitCode = await publish.WaitForExitAsync(TimeSpan.FromMinutes(1), Cancellation);

        Assert.True(exitCode == 0, $"{exitCode}\n{publish.Output}\n{publish.Error}");
        var text = await File.ReadAllTextAsync(manifest, Cancellation);
        var resources = JsonDocument.Parse(text).RootElement.GetProperty("resources").EnumerateObject()
            .ToDictionary(r => r.Name, r => r.Value);
        string TypeOf(string name) => resources[name].GetProperty("type").GetString()!;
        foreach (var project in new[] { "migrations", "api", "worker", "web" })
        {
            Assert.StartsWith("project.", TypeOf(project));
        }

        Assert.Equal("executable.v0", TypeOf("postgres"));
        Assert.Equal("executable.v0", TypeOf("scanner"));
        foreach (var secret in new[] { "postgres-password", "dms-app-password", "dms-web-password", "storage-signing-key", "worker-command-key" })
        {
            Assert.Equal("parameter.v0", TypeOf(secret));
            Assert.True(resources[secret].GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), secret);
        }

        // A deployment signs people in at Cognito: Dms.Identity is for the single-machine profiles and is not published.
        Assert.Equal("parameter.v0", TypeOf("identity-authority"));
        Assert.DoesNotContain("identity", resources.Keys);
        // Every password in a connection string is a parameter's placeholder.
        Assert.DoesNotMatch(new Regex("Password=(?!\\{)"), text);
        Assert.False(Directory.Exists(state), "publishing made the state folder");
    }

    public void Dispose() => _work.Delete(recursive: true);
}
