using Dms.Common;

namespace Dms.UnitTests.Common;

/// <summary>On a shared host a file must never be readable by others, not even between its creation and its first write.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-owner-only-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_file_is_owner_only_the_moment_it_exists_before_anything_is_written_to_it()
    {
        var path = Path.Combine(_folder.FullName, "session.json");

        using var file = OwnerOnly.CreateFile(path);

        Assert.Equal(0, file.Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Every_missing_folder_of_a_path_is_made_owner_only()
    {
        var path = Path.Combine(_folder.FullName, "a", "b", "c");

        OwnerOnly.CreateFolder(path);

        foreach (var folder in new[] { "a", "a/b", "a/b/c" })
        {
            Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(Path.Combine(_folder.FullName, folder)));
        }
    }
}
