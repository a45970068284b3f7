using Dms.Common;

namespace Dms.UnitTests.Common;

public sealed class StorableTextTests
{
    private const char High = '\ud83d';
    private const char Low = '\ude00';

    // Built in code and not enumerated at discovery: neither an attribute nor a serialized case can carry half a surrogate pair.
    public static TheoryData<string, bool> Values => new()
    {
        { "", true },
        { "invoice 2026", true },
        { $"emoji {High}{Low} and accents é", true },
        { "\u202e\u0001 control characters are text", true },
        { "\0", false },
        { "a\0b", false },
        { $"half a pair {High}", false },
        { $"{Low} the other half first", false },
        { $"{Low}{High} reversed", false },
    };

    [Theory]
    [MemberData(nameof(Values), DisableDiscoveryEnumeration = true)]
    public void Text_is_storable_unless_it_holds_a_nul_or_half_a_surrogate_pair(string value, bool storable) =>
        Assert.Equal(storable, StorableText.IsStorable(value));

    [Fact]
    public void A_quoted_value_shows_no_control_characters_and_is_cut_after_forty() =>
        Assert.Equal($"a?b{new string('x', 37)}…", StorableText.Quoted($"a\0b{new string('x', 100)}"));
}
