using System.ComponentModel.DataAnnotations;

namespace Dms.Api.Operations;

/// <summary>The runbook's Key Metrics table: each row's target and alert threshold, bound from <c>Dms:Status</c>.</summary>
public sealed class StatusOptions
{
    public const string Section = "Dms:Status";

    [Range(1, 60, ErrorMessage = "Dms:Status:WindowMinutes must be 1 to 60.")]
    public int WindowMinutes { get; set; } = 5;

    [Range(1, 600_000)] public double ApiP95TargetMs { get; set; } = 500;
    [Range(1, 600_000)] public double ApiP95AlertMs { get; set; } = 1000;
    [Range(0, 100)] public double ErrorRateTargetPercent { get; set; } = 1;
    [Range(0, 100)] public double ErrorRateAlertPercent { get; set; } = 5;
    [Range(0, 100)] public double UploadSuccessTargetPercent { get; set; } = 99;
    [Range(0, 100)] public double UploadSuccessAlertPercent { get; set; } = 95;
    [Range(0, 100)] public double ProcessingSuccessTargetPercent { get; set; } = 98;
    [Range(0, 100)] public double ProcessingSuccessAlertPercent { get; set; } = 90;

    /// <summary>Alert when more dead letters than this wait (the runbook: any).</summary>
    [Range(0, int.MaxValue)] public int DeadLettersAlertAbove { get; set; }
}
