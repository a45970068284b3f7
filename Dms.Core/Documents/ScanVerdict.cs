namespace Dms.Documents;

/// <summary>
/// What the malware scan said about one version's bytes. Only <see cref="Clean"/> and <see cref="Skipped"/> bytes (and
/// the text read from them) are ever served: a version nobody could scan is kept, never handed out.
/// </summary>
public enum ScanVerdict
{
    /// <summary>Not scanned (yet): uploading, waiting in the queue, the scanner down, or the file beyond its limits.</summary>
    None,

    Clean,

    /// <summary>The scanner found malware: the version is quarantined.</summary>
    Infected,

    /// <summary>The operator switched scanning off (<c>Dms:Scanner:Provider=Disabled</c>) when the version was processed.</summary>
    Skipped,
}
