namespace Dms.Worker.Tools;

/// <summary>The content itself is the problem (corrupt, encrypted, empty, of another type): retrying cannot help.</summary>
public sealed class UnreadableContentException(string reason) : Exception(reason);
