using Xunit.Sdk;
using Xunit.v3;

namespace Dms.TestSupport;

/// <summary>
/// Starts a test project's longest collection first, the others in the order they come. A project's collections run
/// two at a time (one per core): the long serial collection of the shared server (or the running app model) once
/// started minutes after the others, and then ran alone at the end, on one core, while the other waited. Started
/// first, it runs beside all the short ones.
/// </summary>
/// <param name="longest">The display name of the collection to start first.</param>
public abstract class LongestCollectionFirst(string longest) : ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection =>
        [.. testCollections.OrderBy(collection => collection.TestCollectionDisplayName == longest ? 0 : 1)];
}
