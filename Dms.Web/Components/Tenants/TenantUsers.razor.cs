using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dms.Web.Components.Tenants;

public partial class TenantUsers
{
    /// <summary>The tenant whose users are shown, for an operator; null: the signed-in admin's own tenant.</summary>
    [Parameter]
    public Guid? TenantId { get; set; }

    /// <summary>The signed-in user's e-mail address: their own row offers no action (another admin or an operator can).</summary>
    [Parameter]
    public string? SignedInAs { get; set; }

    private List<UserResponse>? Users { get; set; }

    private NewUserResponse? Reset { get; set; }

    private string? Done { get; set; }

    private string? Problem { get; set; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var (users, problem, _) = await Api.UsersAsync(TenantId, CancellationToken.None);
        Users = users;
        Problem ??= problem;
    }

    private async Task<ApiAnswer<NewUserResponse>> AddAsync(string email, string role)
    {
        var added = await Api.AddUserAsync(TenantId, new NewUserRequest(email, role), CancellationToken.None);
        await LoadAsync();
        // The form called this, not an event of this component's: render the list again with the new user.
        StateHasChanged();
        return added;
    }

    private async Task SetEnabledAsync(string email, bool enabled)
    {
        Problem = (await Api.SetUserEnabledAsync(TenantId, email, enabled, CancellationToken.None)).Problem?.Message;
        Done = Problem is null ? $"{email} is {(enabled ? "enabled again" : "disabled: their sign-ins have ended")}." : null;
        await LoadAsync();
    }

    private async Task ResetAsync(string email)
    {
        (Reset, Problem, _) = await Api.ResetUserAsync(TenantId, email, CancellationToken.None);
        await LoadAsync();
    }

    private async Task RemoveAsync(string email)
    {
        Problem = (await Api.RemoveUserAsync(TenantId, email, CancellationToken.None)).Problem?.Message;
        Done = Problem is null ? $"{email} is removed." : null;
        await LoadAsync();
    }

    private static string State(UserResponse user) => (user.Enabled, user.MustChangePassword) switch
    {
        (false, _) => "disabled",
        (true, true) => "has not chosen a password yet",
        _ => "active",
    };
}
