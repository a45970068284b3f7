namespace Dms.Api.ApiReference;

/// <summary>Whether the api serves its reference pages and OpenAPI document (on by default; off in AWS unless asked).</summary>
public sealed class ApiReferenceOptions
{
    public const string Section = "Dms:ApiReference";

    public bool Enabled { get; set; } = true;
}
