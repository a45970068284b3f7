using System.CommandLine;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Spectre.Console;

namespace Dms.Cli.Commands;

/// <summary>What every command gets: the session (API and token), the API client and the printer.</summary>
public sealed class CommandContext(Session session, Printer printer) : IDisposable
{
    private ApiConnection? _api;

    public Session Session => session;
    public ApiConnection Api => _api ??= new ApiConnection(session);
    public Printer Printer => printer;

    public void Dispose() => _api?.Dispose();
}

/// <summary>The options every command takes, and how a command's body is run.</summary>
public static class Global
{
    public static readonly Option<string?> Api = new("--api")
    {
        Description = $"The API's URL (default: the one 'dms login' saved, DMS_API_URL, or {Session.DefaultApiUrl}).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print the API's JSON answer instead of a table (for scripts).", Recursive = true };

    /// <summary>Runs <paramref name="body"/> with a context; a <see cref="CliException"/> becomes its message on stderr and its exit code.</summary>
    public static Command WithBody(this Command command, Func<ParseResult, CommandContext, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CommandContext(Session.Load(parse.GetValue(Api)), new Printer(parse.GetValue(Json)));
            try
            {
                await body(parse, context, cancellationToken);
                return ExitCodes.Succeeded;
            }
            catch (CliException e)
            {
                var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                if (Console.IsErrorRedirected)
                {
                    error.Profile.Width = 200; // one line a message, as scripts and logs read it
                }

                error.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
                return e.ExitCode;
            }
        });
        return command;
    }

    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Command sub:
                    command.Subcommands.Add(sub);
                    break;
            }
        }

        return command;
    }
}
