using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dms.Common;

public static class CheckedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/> and checks its data annotations (and whatever the
    /// caller adds) when the host starts, so a wrong setting stops the process with a message naming the key.
    /// </summary>
    public static OptionsBuilder<T> AddCheckedOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
