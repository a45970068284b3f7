using Dms.Adapters;
using Dms.Documents;
using Dms.Operations;
using Dms.Persistence;
using Dms.Worker.Dashboard;
using Dms.Worker.Extraction;
using Dms.Worker.Previews;
using Dms.Worker.Processing;
using Dms.Worker.Sweeps;

namespace Dms.Worker;

/// <summary>
/// The worker serves only <c>/health</c>, <c>/alive</c> and the dashboard's commands over HTTP; its work is the
/// pipeline and the sweeps. Started with <c>read</c>, it is instead the child process that parses one file (<see cref="ReaderProcess"/>); with
/// <c>preview</c>, the one that shrinks one image (<see cref="ImagePreviewProcess"/>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is [ReaderProcess.Command, .. var reading])
        {
            return ReaderProcess.Serve(reading);
        }

        if (args is [ImagePreviewProcess.Command, .. var previewing])
        {
            return ImagePreviewProcess.Serve(previewing);
        }

        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddDmsDatabase();
        builder.AddStorage();
        builder.AddAuditArchive();
        builder.AddDocumentUseCases();
        builder.AddSearch();
        builder.AddProcessing();
        builder.AddDependencyHealthChecks();
        builder.AddSweeps();

        var app = builder.Build();

        app.MapDefaultEndpoints();
        app.MapDashboardCommands();

        app.Run();
        return 0;
    }
}
