namespace Dms.Contracts;

/// <summary>
/// The worker's endpoints behind the dashboard's buttons on the worker resource: the AppHost calls them with a key
/// only it and the worker know.
/// </summary>
public static class DashboardCommands
{
    /// <summary>Where the worker serves them.</summary>
    public const string Route = "/commands";

    /// <summary>The header that carries the key.</summary>
    public const string KeyHeader = "X-Dms-Command-Key";

    /// <summary>The worker's setting that holds the key; without one the endpoints are not served.</summary>
    public const string KeySetting = "Dms:Worker:CommandKey";

    public const string RedriveDeadLetters = "dead-letters/redrive";
    public const string PurgeDeadLetters = "dead-letters/purge";
    public const string ReindexSearch = "search/reindex";
}
