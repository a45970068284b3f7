using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// The API in-process, against the database the test names, trusting <see cref="TestTokens"/>, with a blob folder of
/// its own that goes when it is disposed.
/// </summary>
/// <param name="logs">Also receives every log record, for tests that read them.</param>
/// <param name="trustTestTokens">Off: the API trusts only the issuer its settings name (a test of a real provider).</param>
public sealed class ApiFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null, ILoggerProvider? logs = null, bool trustTestTokens = true)
    : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-of-at-least-32-characters";

    public DirectoryInfo BlobRoot { get; } = Directory.CreateTempSubdirectory("dms-test-blobs-");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        BlobRoot.Delete(recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:dms", connectionString);
        if (trustTestTokens)
        {
            builder.UseSetting("Dms:Identity:Audience", TestTokens.Audience);
        }

        builder.UseSetting("Dms:Storage:FileSystem:Root", BlobRoot.FullName);
        builder.UseSetting("Dms:Storage:FileSystem:SigningKey", SigningKey);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (logs is not null)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }

        if (!trustTestTokens)
        {
            return;
        }

        builder.ConfigureTestServices(services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
            {
                bearer.TokenValidationParameters.ValidIssuer = TestTokens.Issuer;
                bearer.TokenValidationParameters.IssuerSigningKey = TestTokens.SigningKey;
            }));
    }

    public HttpClient CreateClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
