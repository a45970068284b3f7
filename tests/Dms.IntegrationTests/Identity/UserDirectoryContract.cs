using Dms.Contracts;
using Dms.Users;

namespace Dms.IntegrationTests.Identity;

/// <summary>What a password sign-in came to at the provider.</summary>
public enum PasswordSignIn
{
    Refused,
    MustChoosePassword,
    SignedIn,
}

/// <summary>
/// The user directory port's contract, run against each adapter's provider: a tenant's users are made, listed,
/// disabled and enabled, reset and removed only in that tenant; a user of another tenant is not found there and is
/// left as they were.
/// </summary>
public abstract class UserDirectoryContract
{
    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    protected abstract IUserDirectory Directory { get; }

    /// <summary>Whether the provider checks a temporary password at all (cognito-local asks any password to choose a new one).</summary>
    protected virtual bool ChecksTemporaryPasswords => true;

    /// <summary>A password sign-in as the provider's clients make it.</summary>
    protected abstract Task<PasswordSignIn> SignInAsync(string email, string password);

    [Fact]
    public async Task A_tenants_users_are_listed_with_their_role_and_state_and_only_in_their_tenant()
    {
        var (tenant, other) = (Guid.NewGuid(), Guid.NewGuid());
        var editor = await Directory.CreateAsync(Address("editor"), tenant, Roles.Editor, Cancellation);
        var viewer = await Directory.CreateAsync(Address("viewer"), tenant, Roles.Viewer, Cancellation);
        var elsewhere = await Directory.CreateAsync(Address("elsewhere"), other, Roles.Admin, Cancellation);
        var again = await Assert.ThrowsAsync<UserDirectoryException>(() => Directory.CreateAsync(editor.Username, other, Roles.Viewer, Cancellation));

        var listed = await Directory.ListAsync(tenant, Cancellation);

        Assert.Equal([editor.Username, viewer.Username], listed.Select(u => u.Username).Order(StringComparer.Ordinal));
        var shown = Assert.Single(listed, u => u.Username == editor.Username);
        Assert.Equal((tenant, Roles.Editor, true, true), (shown.TenantId, shown.Role, shown.Enabled, shown.MustChangePassword));
        Assert.NotEmpty(shown.Subject);
        Assert.Equal([elsewhere.Username], (await Directory.ListAsync(other, Cancellation)).Select(u => u.Username));
        Assert.Equal(DirectoryFailure.Exists, again.Failure);
    }

    [Fact]
    public async Task A_user_of_another_tenant_is_not_found_to_disable_reset_or_remove_and_is_left_as_they_were()
    {
        var (tenant, other) = (Guid.NewGuid(), Guid.NewGuid());
        var user = await Directory.CreateAsync(Address("kept"), tenant, Roles.Editor, Cancellation);

        var disable = await Assert.ThrowsAsync<UserDirectoryException>(() => Directory.SetEnabledAsync(other, user.Username, false, Cancellation));
        var reset = await Assert.ThrowsAsync<UserDirectoryException>(() => Directory.ResetAsync(other, user.Username, Cancellation));
        var remove = await Assert.ThrowsAsync<UserDirectoryException>(() => Directory.RemoveAsync(other, user.Username, Cancellation));
        var unknown = await Assert.ThrowsAsync<UserDirectoryException>(() => Directory.RemoveAsync(tenant, Address("nobody"), Cancellation));

        Assert.All([disable, reset, remove, unknown], e => Assert.Equal(DirectoryFailure.NotFound, e.Failure));
        var listed = Assert.Single(await Directory.ListAsync(tenant, Cancellation));
        Assert.True(listed.Enabled);
        Assert.Equal(PasswordSignIn.MustChoosePassword, await SignInAsync(user.Username, user.TemporaryPassword));
    }

    [Fact]
    public async Task A_disabled_user_is_listed_so_and_enabled_again_signs_in_with_the_password_they_had()
    {
        var tenant = Guid.NewGuid();
        var user = await Directory.CreateAsync(Address("paused"), tenant, Roles.Viewer, Cancellation);

        await Directory.SetEnabledAsync(tenant, user.Username, false, Cancellation);
        var disabled = Assert.Single(await Directory.ListAsync(tenant, Cancellation));
        await Directory.SetEnabledAsync(tenant, user.Username, true, Cancellation);
        var enabled = Assert.Single(await Directory.ListAsync(tenant, Cancellation));

        Assert.False(disabled.Enabled);
        Assert.True(enabled.Enabled);
        Assert.Equal(PasswordSignIn.MustChoosePassword, await SignInAsync(user.Username, user.TemporaryPassword));
    }

    [Fact]
    public async Task A_reset_user_signs_in_with_the_new_temporary_password_only_and_must_choose_their_own()
    {
        var tenant = Guid.NewGuid();
        var user = await Directory.CreateAsync(Address("forgetful"), tenant, Roles.Admin, Cancellation);

        var reset = await Directory.ResetAsync(tenant, user.Username, Cancellation);

        Assert.Equal((user.Username, tenant, Roles.Admin), (reset.Username, reset.TenantId, reset.Role));
        Assert.NotEqual(user.TemporaryPassword, reset.TemporaryPassword);
        Assert.Equal(ChecksTemporaryPasswords ? PasswordSignIn.Refused : PasswordSignIn.MustChoosePassword, await SignInAsync(user.Username, user.TemporaryPassword));
        Assert.Equal(PasswordSignIn.MustChoosePassword, await SignInAsync(user.Username, reset.TemporaryPassword));
        Assert.True(Assert.Single(await Directory.ListAsync(tenant, Cancellation)).MustChangePassword);
    }

    [Fact]
    public async Task A_removed_user_is_gone_from_the_list_and_cannot_sign_in()
    {
        var tenant = Guid.NewGuid();
        var user = await Directory.CreateAsync(Address("leaver"), tenant, Roles.Editor, Cancellation);

        await Directory.RemoveAsync(tenant, user.Username, Cancellation);
        var again = await Assert.ThrowsAsync<UserDirectoryException>(() => Directory.RemoveAsync(tenant, user.Username, Cancellation));

        Assert.Empty(await Directory.ListAsync(tenant, Cancellation));
        Assert.Equal(DirectoryFailure.NotFound, again.Failure);
        Assert.Equal(PasswordSignIn.Refused, await SignInAsync(user.Username, user.TemporaryPassword));
    }

    /// <summary>An address no other test uses: the providers outlive a test.</summary>
    private static string Address(string who) => $"{who}-{Guid.NewGuid():N}@example.com";
}
