namespace Dms.Persistence;

/// <summary>
/// The application role's password as its source (<see cref="DatabasePasswordOptions"/>) holds it, for every new
/// connection: read again every <see cref="DatabasePasswordOptions.PasswordRefresh"/>, and at once when the database
/// has refused it (<see cref="Refused"/>), so a rotation costs a request only the moment until the source holds the
/// new password, not the wait for the next refresh. A source that cannot be read keeps the password read last.
/// </summary>
public sealed class RotatingPassword(DatabasePasswordOptions options, TimeProvider? time = null)
{
    /// <summary>Refusals read the source again at most this often: a burst of refused opens is one read.</summary>
    private static readonly TimeSpan ShortestReread = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _reading = new(1, 1);

    /// <summary>The password read last and when, swapped whole so that every open sees one consistent pair.</summary>
    private volatile LastRead? _last;
    private volatile bool _refused;

    private sealed record LastRead(string Password, DateTimeOffset At);

    public bool Rotates => options.Rotates;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Current() is { } current)
        {
            return current;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (Current() is { } readMeanwhile)
            {
                return readMeanwhile;
            }

            var last = _last;
            string password;
            try
            {
                password = await DatabasePassword.ReadAsync(options, cancellationToken);
            }
            catch (Exception) when (last is not null && !cancellationToken.IsCancellationRequested)
            {
                // The source is away for now: the password read last stays until the next refresh or refusal.
                password = last.Password;
            }

            _last = new LastRead(password, _time.GetUtcNow());
            _refused = false;
            return password;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>The database refused the password: the source is read again at the next open.</summary>
    public void Refused() => _refused = true;

    /// <summary>The password read last, while it is fresh and was not refused since (or was read too recently to read again).</summary>
    private string? Current()
    {
        if (_last is not { } last)
        {
            return null;
        }

        var age = _time.GetUtcNow() - last.At;
        return (_refused ? age < ShortestReread : age < options.PasswordRefresh) ? last.Password : null;
    }
}
