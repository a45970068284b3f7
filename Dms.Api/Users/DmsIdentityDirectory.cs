using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dms.Api.Identity;
using Dms.Users;
using Microsoft.Extensions.Options;

namespace Dms.Api.Users;

/// <summary>
/// Adds users at Dms's own provider (<c>{authority}/directory/users</c>), showing it the directory key the AppHost gave
/// both: the api has already decided the caller may (an operator, or an admin of that tenant); the provider keeps the
/// accounts, which no role of the api's database reaches.
/// </summary>
public sealed class DmsIdentityDirectory(HttpClient http, IOptions<IdentityOptions> options) : IUserDirectory
{
    public async Task<NewUser> CreateAsync(string email, Guid tenantId, string role, CancellationToken cancellationToken)
    {
        var authority = options.Value.Authority ?? throw new UserDirectoryException($"{IdentityOptions.Section}:Authority is not set: there is no provider to add users to.");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(authority.TrimEnd('/') + "/"), "directory/users"))
        {
            Content = JsonContent.Create(new { email, tenantId, role }),
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
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                throw new UserDirectoryException($"The identity provider already has a user {email}.", exists: true);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new UserDirectoryException($"The identity provider refused to add {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return await response.Content.ReadFromJsonAsync<NewUser>(cancellationToken)
                ?? throw new UserDirectoryException("The identity provider answered without the new user.");
        }
    }
}
