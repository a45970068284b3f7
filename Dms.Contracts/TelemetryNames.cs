namespace Dms.Contracts;

public static class TelemetryNames
{
    /// <summary>The meter and activity source every Dms process reports under, and the service defaults export.</summary>
    public const string Dms = "Dms";
}
