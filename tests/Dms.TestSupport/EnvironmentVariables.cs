namespace Dms.TestSupport;

/// <summary>
/// Sets process-wide environment variables for as long as the answer is held: disposing it puts back what was there
/// before, once no other holder wants the same value any more (fixtures of tests running side by side share them).
/// </summary>
public static class EnvironmentVariables
{
    private static readonly Dictionary<string, (string? Original, int Holders)> Held = [];
    private static readonly Lock Gate = new();

    public static IDisposable Set(params (string Name, string Value)[] variables)
    {
        lock (Gate)
        {
            foreach (var (name, value) in variables)
            {
                var (original, holders) = Held.TryGetValue(name, out var held) ? held : (Environment.GetEnvironmentVariable(name), 0);
                Held[name] = (original, holders + 1);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        return new Restore([.. variables.Select(v => v.Name)]);
    }

    private sealed class Restore(string[] names) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            lock (Gate)
            {
                foreach (var name in names)
                {
                    var (original, holders) = Held[name];
                    if (holders > 1)
                    {
                        Held[name] = (original, holders - 1);
                        continue;
                    }

                    Held.Remove(name);
                    Environment.SetEnvironmentVariable(name, original);
                }
            }
        }
    }
}
