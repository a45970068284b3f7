namespace Dms.Contracts;

/// <summary>
/// Where <c>dms login</c> takes a browser's sign-in back on the user's machine (RFC 8252's loopback redirect): the
/// identity providers register this address for the client (Dms's own in the AppHost, Cognito's in the AWS template),
/// as they take only callback addresses registered exactly. Below the ephemeral ports (Linux's 32768–60999,
/// Windows' 49152 and up), so that no outgoing connection on the user's machine can be holding it.
/// </summary>
public static class CliSignIn
{
    public const int LoopbackPort = 28252;

    public static string RedirectUri(int port = LoopbackPort) => $"http://localhost:{port}/callback";
}
