using System.Runtime.Versioning;
using Dms.Identity.Keys;

namespace Dms.IntegrationTests.Identity;

/// <summary>This installation's keys: made at the first start, owner-only, the same after a restart, rotated in time.</summary>
[SupportedOSPlatform("linux")]
public sealed class KeyRingTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("dms-test-keys-");

    private KeyOptions Options => new() { Folder = Path.Combine(_root.FullName, "keys"), Rotation = TimeSpan.FromDays(90) };

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void The_first_start_makes_owner_only_keys_that_a_restart_uses_again()
    {
        var now = DateTimeOffset.UtcNow;

        var first = KeyRing.Open(Options, now);
        var again = KeyRing.Open(Options, now.AddDays(1));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, new DirectoryInfo(Options.Folder!).UnixFileMode);
        Assert.All(new DirectoryInfo(Options.Folder!).GetFiles(), file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, file.UnixFileMode));
        Assert.Equal(first.SigningKeys.Select(k => k.KeyId), again.SigningKeys.Select(k => k.KeyId));
        Assert.Equal(first.SigningKeys[0].Rsa.ExportParameters(false).Modulus, again.SigningKeys[0].Rsa.ExportParameters(false).Modulus);
        Assert.Single(again.EncryptionKeys);
        Assert.True(again.SigningKeys[0].Rsa.KeySize >= 3072);
    }

    [Fact]
    public void A_key_past_its_rotation_gives_way_to_a_new_one_and_verifies_for_one_rotation_more()
    {
        var start = DateTimeOffset.UtcNow;
        var first = KeyRing.Open(Options, start);

        var rotated = KeyRing.Open(Options, start.AddDays(91));
        var later = KeyRing.Open(Options, start.AddDays(182));

        Assert.Equal(2, rotated.SigningKeys.Count);
        Assert.NotEqual(first.SigningKeys[0].KeyId, rotated.SigningKeys[0].KeyId);
        Assert.Equal(first.SigningKeys[0].KeyId, rotated.SigningKeys[1].KeyId);
        Assert.DoesNotContain(later.SigningKeys, key => key.KeyId == first.SigningKeys[0].KeyId);
        Assert.Equal(2, rotated.EncryptionKeys.Count);
    }

    [Fact]
    public void A_key_other_users_can_read_is_refused_rather_than_trusted()
    {
        KeyRing.Open(Options, DateTimeOffset.UtcNow);
        var key = new DirectoryInfo(Options.Folder!).GetFiles("signing-*").Single();
        File.SetUnixFileMode(key.FullName, key.UnixFileMode | UnixFileMode.OtherRead);

        var refused = Assert.Throws<InvalidOperationException>(() => KeyRing.Open(Options, DateTimeOffset.UtcNow));

        Assert.Contains("can be read by other users", refused.Message);
    }
}
