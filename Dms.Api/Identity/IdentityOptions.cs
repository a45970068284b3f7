namespace Dms.Api.Identity;

/// <summary>Who issues the API's bearer tokens (a Cognito user pool, or Dms.Identity on one machine) and how to read them.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Dms:Identity";

    /// <summary>The OIDC issuer, e.g. <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>Required. The app client id: the token's <c>aud</c> (ID tokens) or <c>client_id</c> (Cognito access tokens).</summary>
    public string? Audience { get; set; }

    /// <summary>Plain HTTP is only for a local issuer.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public string TenantClaim { get; set; } = "custom:tenant_id";

    public string RoleClaim { get; set; } = "cognito:groups";

    /// <summary>Set where the issuer is Dms's own provider: what the api shows it to add users (the AppHost gives both the same).</summary>
    public string? DirectoryKey { get; set; }

    /// <summary>
    /// Roles whose users must sign in with a second factor (the AWS stack: admin and operator): their tokens must carry
    /// <see cref="TwoFactorClaim"/> as "true", or every request is refused with 403 <c>two-factor-required</c>.
    /// </summary>
    public string[] TwoFactorRoles { get; set; } = [];

    /// <summary>The claim that says the user signs in with a second factor (the AWS stack's token trigger writes it).</summary>
    public string TwoFactorClaim { get; set; } = "dms_two_factor";
}
