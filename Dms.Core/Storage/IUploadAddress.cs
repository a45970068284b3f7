namespace Dms.Storage;

/// <summary>
/// Where the file store's uploads are sent: the API receives them, so the API says at which address (the one the
/// client reached it by). The S3 store needs none: clients upload to S3 itself.
/// </summary>
public interface IUploadAddress
{
    /// <summary>The absolute URL that receives the bytes for <paramref name="key"/>, with the store's signed query.</summary>
    string UrlFor(string key, string signedQuery);
}
