using Microsoft.Extensions.Configuration;

namespace Dms.AppHost;

/// <summary>Which backends the app model runs api and worker on, from <c>Dms:Profile</c>.</summary>
public enum DeploymentProfile
{
    /// <summary>Everything on this machine: PostgreSQL (metadata, queue, search), a blob folder, clamd, the local user pool.</summary>
    Embedded,

    /// <summary>As embedded, but documents go to S3 and jobs to SQS, both served by npm fauxqs on 127.0.0.1: the AWS adapters, run here.</summary>
    LocalAws,

    /// <summary>
    /// No local infrastructure: api and worker run on AWS's services (the CloudFormation stack's outputs), configured
    /// by the same <c>Dms:*</c> and <c>ConnectionStrings:*</c> settings the ECS tasks get.
    /// </summary>
    Aws,
}

public static class DeploymentProfiles
{
    public const string Key = "Dms:Profile";

    /// <summary>The profile the configuration names (<c>Embedded</c> if none); a wrong name stops start-up naming the key.</summary>
    public static DeploymentProfile Read(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DeploymentProfile.Embedded;
        }

        // "local-aws", as ./dms.sh run --profile takes it, is LocalAws.
        return Enum.TryParse<DeploymentProfile>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var profile)
               && Enum.IsDefined(profile) && !char.IsDigit(text.Trim()[0])
            ? profile
            : throw new InvalidSettingException($"{Key} is '{text}'; it must be one of {string.Join(", ", Enum.GetNames<DeploymentProfile>())}.");
    }
}

/// <summary>A setting that cannot work; the message names the key.</summary>
public sealed class InvalidSettingException(string message) : Exception(message);
