using System.ComponentModel.DataAnnotations;

namespace Dms.Worker.Processing;

/// <summary>Settings of the processing loop, bound from <c>Dms:Processing</c>.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Dms:Processing";

    /// <summary>How often the loop wakes up when it has nothing to do.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00",
        ErrorMessage = "Dms:Processing:PollInterval must be between 00:00:00.050 and 00:10:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
