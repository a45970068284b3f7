using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;

namespace Dms.AppHost;

/// <summary>Secrets of the embedded profile: made on the first run, kept in the state folder, readable by their owner only.</summary>
public static class LocalSecrets
{
    /// <summary>
    /// A secret as a parameter of the app model: when it runs, the state folder's (made on the first run); when it is
    /// published, a secret parameter without a value, for the deployment to give (a manifest never carries one).
    /// </summary>
    public static IResourceBuilder<ParameterResource> Parameter(IDistributedApplicationBuilder builder, string directory, string fileName, string parameterName) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter(parameterName, secret: true)
            : builder.AddParameter(parameterName, ReadOrCreate(directory, fileName), secret: true);

    public static string ReadOrCreate(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        Directory.CreateDirectory(directory); // the Aws profile makes no other local state
        Write(path, secret);
        return secret;
    }

    /// <summary>Created owner-only before a byte of the secret is written (an existing file is made owner-only first).</summary>
    public static void Write(string path, string secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        using var file = new StreamWriter(path, System.Text.Encoding.UTF8, options);
        file.Write(secret);
    }
}
