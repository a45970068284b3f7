using System.ComponentModel.DataAnnotations;

namespace Dms.Storage;

/// <summary>Where document bytes live, bound from <c>Dms:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Dms:Storage";

    [RegularExpression("^FileSystem$", ErrorMessage = "Dms:Storage:Provider must be FileSystem.")]
    public string Provider { get; set; } = "FileSystem";

    public FileSystemStorageOptions FileSystem { get; set; } = new();
}

public sealed class FileSystemStorageOptions
{
    /// <summary>The folder that holds every tenant's objects.</summary>
    public string Root { get; set; } = "";

    /// <summary>The secret (32 characters or more) that signs upload URLs; api processes sharing a folder share it.</summary>
    public string SigningKey { get; set; } = "";
}
