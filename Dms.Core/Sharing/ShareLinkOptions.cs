using System.ComponentModel.DataAnnotations;

namespace Dms.Sharing;

/// <summary>How long a share link may live, per plan: <c>Dms:Sharing</c>.</summary>
public sealed class ShareLinkOptions
{
    public const string Section = "Dms:Sharing";

    /// <summary>The longest a link may live, in days, unless the tenant's plan says otherwise.</summary>
    [Range(1, 3650)]
    public int MaxDays { get; set; } = 30;

    /// <summary>The longest per plan, in days (<c>Plans:{plan}</c>).</summary>
    public Dictionary<string, int> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests a second to the shared routes from one client address; twice as many may come at once.</summary>
    [Range(1, 10_000)]
    public int RequestsPerSecond { get; set; } = 5;

    public int MaxDaysFor(string plan) => Plans.TryGetValue(plan, out var days) ? days : MaxDays;
}
