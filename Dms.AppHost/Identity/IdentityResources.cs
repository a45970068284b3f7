using Dms.Contracts;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Run;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dms.AppHost.Identity;

/// <summary>Who issues the API's tokens: the local Cognito stand-in, or a user pool elsewhere (Cognito in AWS).</summary>
public abstract record IdentityProvider;

/// <summary>A user pool configured by <c>Dms:Identity:Authority</c> and <c>Dms:Identity:Audience</c>.</summary>
public sealed record ExternalIdentity(string Authority, string Audience) : IdentityProvider;

/// <summary>
/// The user pool of a published app model: its issuer and app client are parameters the deployment gives. The local
/// stand-in is never published: its signing key ships in its npm package.
/// </summary>
public sealed record PublishedIdentity(IResourceBuilder<ParameterResource> Authority, IResourceBuilder<ParameterResource> Audience) : IdentityProvider;

/// <summary>npm <c>cognito-local</c> and the pool it was seeded with (known once it is ready).</summary>
public sealed record LocalIdentity(IResourceBuilder<ExecutableResource> Resource) : IdentityProvider
{
    /// <summary>
    /// cognito-local's discovery document names <c>http://localhost:9229</c> whatever it listens on, so it listens
    /// there and issues its tokens under that name.
    /// </summary>
    public const int Port = 9229;

    public const string Url = "http://localhost:9229";

    /// <summary>This installation's signing key, in the identity state folder, owner-only (tools/identity/start.cjs).</summary>
    public const string SigningKeyFile = "signing-key.json";

    private readonly TaskCompletionSource<SeededPool> _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<SeededPool> Seeded => _seeded.Task;

    internal void Complete(SeededPool pool) => _seeded.TrySetResult(pool);
}

public static class IdentityResources
{
    /// <summary>
    /// The configured user pool if <c>Dms:Identity:Authority</c> is set; otherwise cognito-local, run by the AppHost
    /// on 127.0.0.1 with its pool kept in the state folder, seeded with the demo users when it is ready.
    /// </summary>
    public static IdentityProvider AddIdentityProvider(this IDistributedApplicationBuilder builder, DeploymentProfile profile)
    {
        if (builder.Configuration["Dms:Identity:Authority"] is { Length: > 0 } authority)
        {
            return builder.Configuration["Dms:Identity:Audience"] is { Length: > 0 } audience
                ? new ExternalIdentity(authority, audience)
                : throw new InvalidSettingException(
                    "Dms:Identity:Audience is required with Dms:Identity:Authority: the app client id the API's tokens are issued for " +
                    "(the stack's UserPoolClientId output); tokens for any other client of the pool are refused.");
        }

        if (profile == DeploymentProfile.Aws)
        {
            throw new InvalidSettingException(
                "Dms:Identity:Authority is required with Dms:Profile=Aws: the user pool's issuer (the stack's UserPoolAuthority output).");
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return new PublishedIdentity(builder.AddParameter("identity-authority"), builder.AddParameter("identity-audience"));
        }

        var state = Path.Combine(StateFolder.Of(builder.Configuration, builder.AppHostDirectory), "identity");
        Directory.CreateDirectory(Path.Combine(state, ".cognito"));
        File.WriteAllText(Path.Combine(state, ".cognito", "config.json"), JsonSerializer.Serialize(new { TokenConfig = new { IssuerDomain = LocalIdentity.Url } }));
        // cognito-local with this installation's own signing key, made at first start (its package's key is public).
        var start = Path.Combine(builder.AppHostDirectory, "..", "tools", "identity", "start.cjs");

        var resource = builder.AddExecutable("identity", "node", state, Path.GetFullPath(start))
            .WithHttpEndpoint(port: LocalIdentity.Port, env: "PORT", isProxied: false)
            .WithEnvironment("HOST", "127.0.0.1")
            .WithEnvironment("DMS_IDENTITY_KEY_FILE", Path.Combine(state, LocalIdentity.SigningKeyFile))
            .WithHttpHealthCheck("/health")
            .WithFailureHint(
                "the local identity provider is npm cognito-local in tools/identity (./dms.sh run installs it with npm ci) and needs " +
                $"port {LocalIdentity.Port} free (ss -ltnp shows who holds it); to use another user pool, set Dms:Identity:Authority.");
        var identity = new LocalIdentity(resource);

        builder.Eventing.Subscribe<ResourceReadyEvent>(resource.Resource, async (ready, cancellationToken) =>
        {
            SeededPool pool;
            try
            {
                pool = await CognitoLocalSeeder.SeedAsync(new Uri(LocalIdentity.Url), cancellationToken);
            }
            catch (Exception e)
            {
                // Shown in the identity resource's console log: the api, which waits for the seed, will not start.
                ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource.Resource)
                    .LogError(e, "Seeding the demo user pool failed: {ErrorMessage}", e.Message);
                throw;
            }

            // For ./dms.sh token: where to ask, and which client to name.
            await File.WriteAllTextAsync(Path.Combine(state, "pool.json"),
                JsonSerializer.Serialize(new { endpoint = LocalIdentity.Url, pool.PoolId, pool.ClientId }), cancellationToken);
            identity.Complete(pool);
        });
        return identity;
    }

    /// <summary>The demo tenant to add to the database: only where the demo users exist.</summary>
    public static Guid? DemoTenantId(this IdentityProvider identity) => identity is LocalIdentity ? DemoIdentity.TenantId : null;

    /// <summary>The api trusts tokens of the pool: issuer (and so its keys) and app client.</summary>
    public static IResourceBuilder<ProjectResource> WithIdentity(this IResourceBuilder<ProjectResource> project, IdentityProvider identity) =>
        identity switch
        {
            LocalIdentity local => project
                .WaitFor(local.Resource)
                .WithEnvironment(async context =>
                {
                    var pool = await local.Seeded;
                    context.EnvironmentVariables["Dms__Identity__Authority"] = $"{LocalIdentity.Url}/{pool.PoolId}";
                    context.EnvironmentVariables["Dms__Identity__Audience"] = pool.ClientId;
                    context.EnvironmentVariables["Dms__Identity__RequireHttpsMetadata"] = "false";
                }),
            ExternalIdentity external => project
                .WithEnvironment("Dms__Identity__Authority", external.Authority)
                .WithEnvironment("Dms__Identity__Audience", external.Audience),
            PublishedIdentity published => project
                .WithEnvironment("Dms__Identity__Authority", published.Authority)
                .WithEnvironment("Dms__Identity__Audience", published.Audience),
            _ => throw new InvalidOperationException($"Unknown identity provider {identity}."),
        };
}
