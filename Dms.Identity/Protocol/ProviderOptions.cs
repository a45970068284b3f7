namespace Dms.Identity.Protocol;

/// <summary>What the provider issues and to whom (<c>Dms:Identity</c>).</summary>
public sealed class ProviderOptions
{
    public const string Section = "Dms:Identity";

    /// <summary>The address everyone reaches the provider at (the browser, the web app, the api), which its tokens name as their issuer; by default the address a request came to.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Plain HTTP: only on one machine, where the provider, the web app and the api talk over loopback.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>What the api shows to add, list and change users (<c>/directory</c>); none: that part is closed.</summary>
    public string? DirectoryKey { get; set; }

    /// <summary>The one client that signs people in: the web app (code flow with PKCE) and <c>dms login</c> (device flow). Its id is the ID token's audience, which the API checks.</summary>
    public string ClientId { get; set; } = "dms";

    /// <summary>Where the web app takes the code back (<c>{web}/signin-oidc</c>).</summary>
    public string[] RedirectUris { get; set; } = [];

    /// <summary>Where sign-out may send the browser back to.</summary>
    public string[] PostLogoutRedirectUris { get; set; } = [];

    /// <summary>The claim that names the user's tenant, as the API reads it (the same setting, and Cognito's name by default).</summary>
    public string TenantClaim { get; set; } = "custom:tenant_id";

    /// <summary>The claim that names the user's role, as the API reads it (Cognito's groups by default).</summary>
    public string RoleClaim { get; set; } = "cognito:groups";

    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a refresh token (each use gives a new one and spends the old) and the sign-in at the provider last.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    public LockoutSettings Lockout { get; set; } = new();

    /// <summary>Sign-in attempts one client address may make in a minute, whatever the accounts.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 30;

    /// <summary>Adds the demo tenant's users (single-machine profiles only: their password is in the source).</summary>
    public bool SeedDemoUsers { get; set; }
}

public sealed class LockoutSettings
{
    /// <summary>Wrong passwords (or codes) in a row that lock an account.</summary>
    public int MaxFailedAttempts { get; set; } = 10;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
