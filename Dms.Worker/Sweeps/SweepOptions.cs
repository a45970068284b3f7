using System.ComponentModel.DataAnnotations;

namespace Dms.Worker.Sweeps;

/// <summary>How often the clean-ups run, bound from <c>Dms:Sweeps</c>.</summary>
public sealed class SweepOptions
{
    public const string Section = "Dms:Sweeps";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Dms:Sweeps:Interval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
