using System.Xml.Linq;
using Dms.Persistence;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Dms.Web.Account;

/// <summary>
/// The keys that seal the session cookies, the antiforgery tokens and the sessions' tickets, kept in PostgreSQL
/// (<c>web_keys</c>, which only the web app's role reaches) instead of inside one task: every web task reads the
/// same key ring, so a second task reads the first one's cookies and a deploy signs no one out
/// (<c>Dms:Web:KeysInDatabase</c>; on one machine a folder does the same, <c>Dms:Web:KeysFolder</c>).
/// </summary>
public sealed class DatabaseKeyRing(NpgsqlDataSource database, DatabaseConnections connections) : IXmlRepository
{
    // Data protection asks synchronously, at start and when its key ring refreshes (about daily): a short wait then.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("SELECT xml FROM web_keys ORDER BY id", connection);
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand("INSERT INTO web_keys (friendly_name, xml) VALUES ($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    private NpgsqlConnection Open() => connections.OpenAsync(database, CancellationToken.None).GetAwaiter().GetResult();
}
