using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dms.Api.Identity;
using Dms.Users;
using Microsoft.Extensions.Options;

namespace Dms.Api.Users;

/// <summary>
/// A tenant's users at Dms's own provider (<c>{authority}/directory/tenants/{id}/users</c>), showing it the directory
/// key the AppHost gave both: the api has already decided the caller may (an operator, or an admin of that tenant);
/// the provider keeps the accounts, which no role of the api's database reaches.
/// </summary>
public sealed class DmsIdentityDirectory(HttpClient http, IOptions<IdentityOptions> options) : IUserDirectory
{
    public Task<NewUser> CreateAsync(string email, Guid tenantId, string role, CancellationToken cancellationToken) =>
        SendAsync<NewUser>(HttpMethod.Post, Users(tenantId), new { email, role }, email, cancellationToken);

    public Task<IReadOnlyList<DirectoryUser>> ListAsync(Guid tenantId, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<DirectoryUser>>(HttpMethod.Get, Users(tenantId), null, null, cancellationToken);

    public Task SetEnabledAsync(Guid tenantId, string username, bool enabled, CancellationToken cancellationToken) =>
        SendAsync<object>(HttpMethod.Post, $"{User(tenantId, username)}/{(enabled ? "enable" : "disable")}", null, username, cancellationToken);

    public Task<NewUser> ResetAsync(Guid tenantId, string username, CancellationToken cancellationToken) =>
        SendAsync<NewUser>(HttpMethod.Post, $"{User(tenantId, username)}/reset", null, username, cancellationToken);

    public Task RemoveAsync(Guid tenantId, string username, CancellationToken cancellationToken) =>
        SendAsync<object>(HttpMethod.Delete, User(tenantId, username), null, username, cancellationToken);

    private static string Users(Guid tenantId) => $"directory/tenants/{tenantId}/users";

    private static string User(Guid tenantId, string username) => $"{Users(tenantId)}/{Uri.EscapeDataString(username)}";

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? username, CancellationToken cancellationToken)
    {
        var authority = options.Value.Authority ?? throw new UserDirectoryException($"{IdentityOptions.Section}:Authority is not set: there is no provider to manage users at.");
        using var request = new HttpRequestMessage(method, new Uri(new Uri(authority.TrimEnd('/') + "/"), path))
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.DirectoryKey);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new UserDirectoryException($"The identity provider at {authority} cannot be reached: {e.Message}");
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.Conflict:
                    throw new UserDirectoryException($"The identity provider already has a user {username}.", DirectoryFailure.Exists);
                case HttpStatusCode.NotFound:
                    throw new UserDirectoryException($"The tenant has no user {username}.", DirectoryFailure.NotFound);
                case HttpStatusCode.NoContent:
                    return default!;
                case var status when !response.IsSuccessStatusCode:
                    throw new UserDirectoryException(
                        $"The identity provider refused: {(int)status} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                default:
                    return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                        ?? throw new UserDirectoryException("The identity provider answered without what was asked.");
            }
        }
    }
}
