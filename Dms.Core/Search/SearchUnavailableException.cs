namespace Dms.Search;

/// <summary>The search index did not answer (a cluster down or unreachable): the API answers 503, the pipeline retries.</summary>
public sealed class SearchUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
