using System.Text.Json;
using Dms.Common;

namespace Dms.Cli.Client;

/// <summary>
/// Where <c>dms</c> talks to and with which token: saved by <c>dms login</c> in <c>~/.config/dms/session.json</c>
/// (or the file <c>DMS_SESSION</c> names), readable only by its owner. <c>DMS_API_URL</c> and <c>DMS_TOKEN</c> override it.
/// <see cref="Authorities"/> pins, per API, the identity provider a password was first sent to.
/// </summary>
public sealed record Session(string ApiUrl, string? Token, DateTimeOffset? ExpiresAt, string? User, IReadOnlyDictionary<string, string>? Authorities = null)
{
    /// <summary>The identity provider this API named when a user last signed in to it, if one did.</summary>
    public string? PinnedAuthority => Authorities?.GetValueOrDefault(ApiUrl);

    public const string DefaultApiUrl = "http://localhost:5380";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string FilePath =>
        Environment.GetEnvironmentVariable("DMS_SESSION") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "dms", "session.json");

    /// <summary>The saved session, with the environment's overrides; <paramref name="apiUrl"/> (from <c>--api</c>) wins over both.</summary>
    public static Session Load(string? apiUrl)
    {
        var saved = File.Exists(FilePath) ? JsonSerializer.Deserialize<Session>(File.ReadAllText(FilePath), Json) : null;
        var session = saved ?? new Session(DefaultApiUrl, null, null, null);
        if (Environment.GetEnvironmentVariable("DMS_API_URL") is { Length: > 0 } fromEnvironment)
        {
            session = session with { ApiUrl = fromEnvironment };
        }

        if (Environment.GetEnvironmentVariable("DMS_TOKEN") is { Length: > 0 } token)
        {
            session = session with { Token = token, ExpiresAt = null, User = null };
        }

        return apiUrl is null ? session : session with { ApiUrl = apiUrl };
    }

    public void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        // Owner-only before the token is written into it, whether the file is new or not.
        if (File.Exists(FilePath) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, OwnerOnly.FileMode);
        }

        using var file = new StreamWriter(OwnerOnly.CreateFile(FilePath));
        file.Write(JsonSerializer.Serialize(this, Json));
    }
}
