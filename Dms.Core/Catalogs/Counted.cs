namespace Dms.Catalogs;

/// <summary>
/// A catalog entry as its list shows it: with how many documents use it (documents in the trash not counted), when
/// the list was asked to count (counting reads every document of the tenant that uses an entry).
/// </summary>
public sealed record Counted<T>(T Entry, int? Documents);
