using Dms.Contracts.Client;

namespace Dms.UnitTests.Contracts;

public sealed class AddressesTests
{
    [Fact]
    public void Empty_values_are_left_out_and_the_rest_escaped() =>
        Assert.Equal("/search?q=a%26b%20c&cursor=x%2By", Addresses.With("/search", ("q", "a&b c"), ("tag", null), ("contentType", ""), ("cursor", "x+y")));

    [Fact]
    public void Without_values_the_path_stands_alone() =>
        Assert.Equal("/documents", Addresses.With("/documents", ("status", null)));
}
