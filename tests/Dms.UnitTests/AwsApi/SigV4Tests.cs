using System.Net;
using System.Security.Cryptography;
using Dms.AwsApi;

namespace Dms.UnitTests.AwsApi;

/// <summary>
/// The user pool admin calls are signed as AWS requires. What this cannot prove: that Cognito itself accepts them
/// (no AWS here); the signing algorithm is checked against AWS's published test vectors instead.
/// </summary>
public sealed class SigV4Tests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset VectorTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private static readonly string EmptyPayload = SigV4.Hex(SHA256.HashData([]));

    [Theory]
    [InlineData("https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // query order
    public void Signs_the_aws_test_suites_requests_as_published(string url, string signature)
    {
        var headers = new Dictionary<string, string> { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = "20150830T123600Z" };

        var authorization = SigV4.Authorization("GET", new Uri(url), headers, EmptyPayload, AccessKey, SecretKey, "us-east-1", "service", VectorTime);

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
            authorization);
    }

    [Fact]
    public async Task An_admin_call_to_an_aws_user_pool_carries_a_signature_over_exactly_what_is_sent()
    {
        var capture = new CapturingHandler();
        using var http = new HttpClient(capture);
        var endpoint = new Uri("https://cognito-idp.eu-west-1.amazonaws.com/");

        await CognitoApi.CallAsync(http, endpoint, "AdminAddUserToGroup", new { UserPoolId = "eu-west-1_X", Username = "u", GroupName = "viewer" },
            TestContext.Current.CancellationToken, new AwsSigning(AccessKey, SecretKey, "session-token", CognitoApi.AwsRegionOf(endpoint)!));

        var sent = capture.Request!;
        var date = sent.Headers.GetValues("X-Amz-Date").Single();
        var expected = SigV4.Authorization("POST", endpoint, new Dictionary<string, string>
        {
            ["host"] = "cognito-idp.eu-west-1.amazonaws.com",
            ["x-amz-date"] = date,
            ["x-amz-security-token"] = sent.Headers.GetValues("X-Amz-Security-Token").Single(),
            ["x-amz-target"] = sent.Headers.GetValues("X-Amz-Target").Single(),
        }, SigV4.Hex(SHA256.HashData(capture.Body!)), AccessKey, SecretKey, "eu-west-1", "cognito-idp",
            DateTimeOffset.ParseExact(date, "yyyyMMdd'T'HHmmss'Z'", null, System.Globalization.DateTimeStyles.AssumeUniversal));

        Assert.Equal(expected, sent.Headers.GetValues("Authorization").Single());
        Assert.Contains($"/{date[..8]}/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token;x-amz-target, ", expected);
        Assert.Equal("AWSCognitoIdentityProviderService.AdminAddUserToGroup", sent.Headers.GetValues("X-Amz-Target").Single());
    }

    [Theory]
    [InlineData("https://cognito-idp.eu-west-1.amazonaws.com/", "eu-west-1")]
    [InlineData("http://localhost:9229/", null)]
    public void Only_an_aws_user_pools_endpoint_is_signed_for(string endpoint, string? region) =>
        Assert.Equal(region, CognitoApi.AwsRegionOf(new Uri(endpoint)));

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }
        public byte[]? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }
}
