namespace Dms.Catalogs;

/// <summary>A catalog entry as its list shows it: with how many documents use it (documents in the trash not counted).</summary>
public sealed record Counted<T>(T Entry, int Documents);
