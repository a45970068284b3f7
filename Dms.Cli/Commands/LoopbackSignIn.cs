using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms login</c> in a browser that comes back to the terminal (RFC 8252): the code flow with PKCE, its redirect to
/// <c>http://localhost:PORT/callback</c>, where the terminal listens on the loopback address alone for one answer.
/// The way in with a provider without the device flow, as Cognito's hosted UI; no password goes through the terminal.
/// The port is fixed (<see cref="CliSignIn.LoopbackPort"/>, or <c>--port</c>) because providers (Cognito) take only a callback
/// address they have registered exactly.
/// </summary>
internal static class LoopbackSignIn
{
    /// <summary>How long the terminal waits for the browser to come back (a sign-in with a first password and a second factor).</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    public static async Task<string> SignInAsync(
        HttpClient http, string authorizationEndpoint, string tokenEndpoint, string clientId, int port, CancellationToken cancellationToken)
    {
        var redirect = CliSignIn.RedirectUri(port);
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var address = authorizationEndpoint + (authorizationEndpoint.Contains('?') ? "&" : "?") + string.Join('&', new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirect,
            ["scope"] = "openid email",
            ["code_challenge"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://localhost:{port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new CliException($"dms cannot listen on localhost:{port} for the browser's answer ({e.Message}): free the port, or pass --port with one the provider has registered.");
        }

        Printer.Line("To sign in, open this address in a browser on this machine and sign in there:");
        Printer.Address(address);
        OpenBrowser(address);
        var code = await AnswerAsync(listener, state, cancellationToken);

        using var exchanged = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirect,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        }), cancellationToken);
        var tokens = JsonNode.Parse(await exchanged.Content.ReadAsStringAsync(cancellationToken))!;
        return tokens["id_token"]?.GetValue<string>()
            ?? throw new CliException($"The identity provider did not sign you in: {tokens["error_description"] ?? tokens["error"]}", ExitCodes.NotSignedIn);
    }

    /// <summary>
    /// The browser's request to the callback with this sign-in's state: its code, or the provider's refusal. Anything
    /// else that reaches the port (a favicon, a request without the state: another page's) is answered 404 and waited past.
    /// </summary>
    private static async Task<string> AnswerAsync(HttpListener listener, string state, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Wait);
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"The browser did not come back within {Wait.TotalMinutes:0} minutes: run dms login again.", ExitCodes.NotSignedIn);
            }

            var query = context.Request.QueryString;
            if (context.Request.Url?.AbsolutePath != "/callback" || query["state"] != state)
            {
                await RespondAsync(context, HttpStatusCode.NotFound, "Not this sign-in's answer.");
                continue;
            }

            if (query["code"] is { Length: > 0 } code)
            {
                await RespondAsync(context, HttpStatusCode.OK, "Signed in to Dms: close this tab and go back to the terminal.");
                return code;
            }

            await RespondAsync(context, HttpStatusCode.OK, "The sign-in did not go through: see the terminal.");
            throw new CliException($"The identity provider did not sign you in: {query["error_description"] ?? query["error"] ?? "no code came back"}", ExitCodes.NotSignedIn);
        }
    }

    private static async Task RespondAsync(HttpListenerContext context, HttpStatusCode status, string text)
    {
        var body = Encoding.UTF8.GetBytes($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Dms</title></head><body><p>{WebUtility.HtmlEncode(text)}</p></body></html>");
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'none'";
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    /// <summary>In a person's terminal, the desktop's browser opens at the address; printed, it can be opened by hand too.</summary>
    private static void OpenBrowser(string address)
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("DMS_NO_BROWSER") is { Length: > 0 })
        {
            return;
        }

        try
        {
            using var _ = Process.Start(new ProcessStartInfo(address) { UseShellExecute = true });
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No desktop here (a server over SSH): the printed address is the way.
        }
    }
}
