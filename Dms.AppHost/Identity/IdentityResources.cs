using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Postgres;
using Dms.AppHost.Run;
using Dms.Contracts;

namespace Dms.AppHost.Identity;

/// <summary>Who issues the API's tokens: Dms's own provider, or a user pool elsewhere (Cognito in AWS).</summary>
public abstract record IdentityProvider;

/// <summary>A user pool configured by <c>Dms:Identity:Authority</c> and <c>Dms:Identity:Audience</c>.</summary>
public sealed record ExternalIdentity(string Authority, string Audience) : IdentityProvider;

/// <summary>The user pool of a published app model: its issuer and app client are parameters the deployment gives.</summary>
public sealed record PublishedIdentity(IResourceBuilder<ParameterResource> Authority, IResourceBuilder<ParameterResource> Audience) : IdentityProvider;

/// <summary>
/// Dms.Identity, the single-machine profiles' OpenID Connect provider: its keys in the state folder (owner-only, made
/// at its first start), its accounts in its own schema of the metadata database, the demo tenant's users seeded.
/// </summary>
/// <param name="DirectoryKey">What the api shows the provider when it adds users for an operator or a tenant's admin.</param>
/// <param name="StateFolder">The provider's state folder (its keys; <see cref="ClientFile"/>).</param>
public sealed record LocalIdentity(IResourceBuilder<ProjectResource> Resource, IResourceBuilder<ParameterResource> DirectoryKey, string StateFolder) : IdentityProvider
{
    /// <summary>The one client the web app and <c>dms login</c> sign in as: the ID token's audience.</summary>
    public const string ClientId = "dms";

    /// <summary>
    /// Written once the provider is ready, for <c>./dms.sh token</c> and the tests: where it is, the client, and the
    /// web app's redirect address a script signing a demo user in names (it reads the code from the redirect).
    /// </summary>
    public const string ClientFile = "client.json";

    public EndpointReference Endpoint => Resource.GetEndpoint("http");
}

public static class IdentityResources
{
    /// <summary>Whether the app model runs Dms's own provider: no user pool configured, and not published for AWS.</summary>
    public static bool RunsLocalIdentity(this IDistributedApplicationBuilder builder, DeploymentProfile profile) =>
        builder.Configuration["Dms:Identity:Authority"] is not { Length: > 0 } && profile != DeploymentProfile.Aws && !builder.ExecutionContext.IsPublishMode;

    /// <summary>
    /// The configured user pool if <c>Dms:Identity:Authority</c> is set; otherwise Dms.Identity, started once the
    /// migrations have made its schema.
    /// </summary>
    public static IdentityProvider AddIdentityProvider(
        this IDistributedApplicationBuilder builder, DeploymentProfile profile, DmsDatabase database, IResourceBuilder<ProjectResource> migrations)
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
        var directoryKey = LocalSecrets.Parameter(builder, state, "directory-key", "identity-directory-key");
        var resource = builder.AddServiceProject<Projects.Dms_Identity>("identity")
            .WithDatabaseIdentity(database)
            .WaitForCompletion(migrations)
            .WithEnvironment("Dms__Identity__Keys__Folder", Path.Combine(state, "keys"))
            .WithEnvironment("Dms__Identity__ClientId", LocalIdentity.ClientId)
            .WithEnvironment("Dms__Identity__SeedDemoUsers", "true")
            // One machine: the provider, the web app and the API talk over loopback HTTP.
            .WithEnvironment("Dms__Identity__AllowHttp", "true")
            .WithEnvironment("Dms__Identity__DirectoryKey", directoryKey)
            // dms login --browser comes back to the terminal here (the web app's addresses are added by WithSignInAt).
            .WithEnvironment("Dms__Identity__RedirectUris__2", CliSignIn.RedirectUri())
            .WithSettingsOf("Dms:Identity:Lockout", "Dms:Identity:SignInAttemptsPerMinute", "Dms:Identity:Keys:Rotation")
            .WithHttpHealthCheck("/health");
        var identity = new LocalIdentity(resource, directoryKey, state);
        // Its issuer is the address everyone reaches it at (the browser, the web app, the api): its own endpoint.
        resource.WithEnvironment(context => context.EnvironmentVariables["Dms__Identity__Issuer"] = identity.Endpoint);
        return identity;
    }

    /// <summary>The demo tenant to add to the database: only where the demo users exist.</summary>
    public static Guid? DemoTenantId(this IDistributedApplicationBuilder builder, DeploymentProfile profile) =>
        builder.RunsLocalIdentity(profile) ? DemoIdentity.TenantId : null;

    /// <summary>A project trusts tokens of the provider: issuer (and so its keys) and client.</summary>
    public static IResourceBuilder<ProjectResource> WithIdentity(this IResourceBuilder<ProjectResource> project, IdentityProvider identity) =>
        identity switch
        {
            LocalIdentity local => project
                .WaitFor(local.Resource)
                .WithEnvironment("Dms__Identity__Authority", local.Endpoint)
                .WithEnvironment("Dms__Identity__Audience", LocalIdentity.ClientId)
                .WithEnvironment("Dms__Identity__RequireHttpsMetadata", "false"),
            ExternalIdentity external => project
                .WithEnvironment("Dms__Identity__Authority", external.Authority)
                .WithEnvironment("Dms__Identity__Audience", external.Audience),
            PublishedIdentity published => project
                .WithEnvironment("Dms__Identity__Authority", published.Authority)
                .WithEnvironment("Dms__Identity__Audience", published.Audience),
            _ => throw new InvalidOperationException($"Unknown identity provider {identity}."),
        };

    /// <summary>The api adds users at our provider (for an operator, or a tenant's admin), showing it the directory key.</summary>
    public static IResourceBuilder<ProjectResource> WithUserDirectory(this IResourceBuilder<ProjectResource> api, IdentityProvider identity) =>
        identity is LocalIdentity local ? api.WithEnvironment("Dms__Identity__DirectoryKey", local.DirectoryKey) : api;

    /// <summary>
    /// The web app signs people in at the provider (the code flow with PKCE) and back: the provider lets the code and
    /// the end of a sign-out go only to the web app's own addresses.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSignInAt(this IResourceBuilder<ProjectResource> web, IdentityProvider identity)
    {
        web.WithIdentity(identity);
        if (identity is LocalIdentity local)
        {
            // Its refresh tokens come with the offline_access scope (Cognito's come without, and refuses the scope).
            web.WithEnvironment("Dms__Identity__Scopes", "openid email offline_access");
            // Where people change their password, two-factor sign-in and passkeys, and see their sign-ins.
            web.WithEnvironment("Dms__Identity__AccountPage", ReferenceExpression.Create($"{local.Endpoint}/account"));
            var page = web.GetEndpoint("http");
            local.Resource.WithEnvironment(context =>
            {
                // The address the browser uses, and the same port on 127.0.0.1 for a person who types that.
                var loopback = ReferenceExpression.Create($"http://127.0.0.1:{page.Property(EndpointProperty.Port)}");
                context.EnvironmentVariables["Dms__Identity__RedirectUris__0"] = ReferenceExpression.Create($"{page}/signin-oidc");
                context.EnvironmentVariables["Dms__Identity__RedirectUris__1"] = ReferenceExpression.Create($"{loopback}/signin-oidc");
                context.EnvironmentVariables["Dms__Identity__PostLogoutRedirectUris__0"] = ReferenceExpression.Create($"{page}/");
                context.EnvironmentVariables["Dms__Identity__PostLogoutRedirectUris__1"] = ReferenceExpression.Create($"{loopback}/");
            });
            web.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(local.Resource.Resource, async (_, cancellationToken) =>
            {
                var client = new { authority = await local.Endpoint.GetValueAsync(cancellationToken), clientId = LocalIdentity.ClientId, redirectUri = $"{await page.GetValueAsync(cancellationToken)}/signin-oidc" };
                await File.WriteAllTextAsync(Path.Combine(local.StateFolder, LocalIdentity.ClientFile), System.Text.Json.JsonSerializer.Serialize(client), cancellationToken);
            });
        }

        return web;
    }
}
