using System.ComponentModel.DataAnnotations;

namespace Dms.Idempotency;

/// <summary>How long an <c>Idempotency-Key</c>'s answer is kept, bound from <c>Dms:Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Dms:Idempotency";

    /// <summary>After this, the key is forgotten: a request with it acts again, and the sweep deletes the record.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Dms:Idempotency:KeyLifetime must be between 1 minute and 30 days.")]
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A key claimed by a request that never answered (its process stopped) is taken over by a retry after this;
    /// until then a retry is told the first request is still in progress.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Dms:Idempotency:InProgressLifetime must be between 10 seconds and 1 hour.")]
    public TimeSpan InProgressLifetime { get; set; } = TimeSpan.FromMinutes(2);
}
