using Dms.Adapters.FileSystem;
using Dms.Storage;
using Microsoft.Extensions.Options;

namespace Dms.UnitTests.Adapters.FileSystem;

/// <summary>The file store's upload URLs: a signature binds the key, the size, the checksum and the expiry together.</summary>
public sealed class UploadUrlSignerTests
{
    private const string Key = "t/documents/d/v1/content";
    private const long Expires = 1_800_000_000;
    private static readonly string Sha256 = new('a', 64);
    private readonly UploadUrlSigner _signer = Signer(new string('k', 32));

    [Fact]
    public void A_signature_is_valid_for_exactly_what_it_signed()
    {
        var signature = _signer.Sign(Key, 100, Sha256, Expires);

        Assert.True(_signer.IsValid(Key, 100, Sha256, Expires, signature));
        Assert.False(_signer.IsValid("t/documents/other/v1/content", 100, Sha256, Expires, signature));
        Assert.False(_signer.IsValid(Key, 101, Sha256, Expires, signature));
        Assert.False(_signer.IsValid(Key, 100, null, Expires, signature));
        Assert.False(_signer.IsValid(Key, 100, Sha256, Expires + 1, signature));
        Assert.False(_signer.IsValid(Key, 100, Sha256, Expires, signature[..^1] + (signature[^1] == '0' ? '1' : '0')));
    }

    [Fact]
    public void Another_key_signs_differently() =>
        Assert.NotEqual(_signer.Sign(Key, 100, null, Expires), Signer(new string('j', 32)).Sign(Key, 100, null, Expires));

    private static UploadUrlSigner Signer(string secret) =>
        new(Options.Create(new StorageOptions { FileSystem = { SigningKey = secret } }));
}
