using System.Text.Json;
using Dms.AwsApi;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Dms.Persistence;

/// <summary>
/// Where the application role's password is read when it may rotate, bound from <c>Dms:Database</c>: a file (a
/// mounted secret) or an AWS Secrets Manager secret. Without either, the connection string's password is used.
/// </summary>
public sealed class DatabasePasswordOptions
{
    public const string Section = "Dms:Database";

    /// <summary>A file holding the password alone.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>A Secrets Manager secret (ARN or name) whose value is the password, or JSON with a <c>password</c> member (as RDS writes).</summary>
    public string? PasswordSecretId { get; set; }

    /// <summary>The secret's region; by default the one its ARN names, else <c>AWS_REGION</c>.</summary>
    public string? PasswordSecretRegion { get; set; }

    /// <summary>A Secrets Manager-compatible endpoint instead of AWS's own (tests).</summary>
    public string? SecretsManagerUrl { get; set; }

    /// <summary>How often the password is read again; new connections then use what was read.</summary>
    public TimeSpan PasswordRefresh { get; set; } = TimeSpan.FromSeconds(10);

    public bool Rotates => !string.IsNullOrWhiteSpace(PasswordFile) || !string.IsNullOrWhiteSpace(PasswordSecretId);
}

/// <summary>
/// Hands Npgsql the password as its source holds it (<see cref="RotatingPassword"/>), so a rotated password reaches
/// new connections without a restart; connections already open stay as they are (PostgreSQL checks a password only
/// when a connection starts). Between the database taking a new password and the source holding it, opening a
/// connection is refused: <see cref="DatabaseConnections"/> waits that out, reading the source again.
/// </summary>
public static class DatabasePassword
{
    private static readonly HttpClient SecretsManager = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static DatabasePasswordOptions Read(IConfiguration configuration)
    {
        var options = new DatabasePasswordOptions();
        configuration.GetSection(DatabasePasswordOptions.Section).Bind(options);
        if (options.PasswordRefresh < TimeSpan.FromMilliseconds(100) || options.PasswordRefresh > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException($"{DatabasePasswordOptions.Section}:PasswordRefresh must be between 00:00:00.1 and 01:00:00.");
        }

        return options;
    }

    public static void UseRotatingPassword(this NpgsqlDataSourceBuilder builder, RotatingPassword password)
    {
        if (password.Rotates)
        {
            builder.UsePasswordProvider(
                _ => password.GetAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult(),
                (_, cancellationToken) => password.GetAsync(cancellationToken));
        }
    }

    public static async ValueTask<string> ReadAsync(DatabasePasswordOptions options, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.PasswordFile))
        {
            // Empty while it is being rewritten (truncated, then written): not a password, the source is away for now.
            var text = (await File.ReadAllTextAsync(options.PasswordFile, cancellationToken)).Trim();
            return text.Length > 0 ? text : throw new InvalidOperationException($"The password file {options.PasswordFile} is empty.");
        }

        var secretId = options.PasswordSecretId!;
        var region = options.PasswordSecretRegion
            ?? (secretId.Split(':') is ["arn", _, "secretsmanager", var arnRegion, ..] ? arnRegion : null)
            ?? Environment.GetEnvironmentVariable("AWS_REGION")
            ?? throw new InvalidOperationException($"{DatabasePasswordOptions.Section}:PasswordSecretRegion is required: the secret is not named by its ARN and AWS_REGION is not set.");
        var endpoint = new Uri(options.SecretsManagerUrl ?? $"https://secretsmanager.{region}.amazonaws.com/");
        var answer = await AwsJsonApi.CallAsync(SecretsManager, endpoint, "Secrets Manager", "secretsmanager.GetSecretValue", "secretsmanager",
            new { SecretId = secretId }, await AwsSigning.FromDefaultChainAsync(region), cancellationToken);
        var value = answer["SecretString"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"The secret {secretId} holds no text (SecretString).");
        return value.TrimStart().StartsWith('{') && JsonDocument.Parse(value).RootElement.TryGetProperty("password", out var password)
            ? password.GetString() ?? ""
            : value;
    }
}
