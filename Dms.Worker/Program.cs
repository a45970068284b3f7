using Dms.Data;
using Dms.Documents;
using Dms.Storage;
using Dms.Worker.Processing;
using Dms.Worker.Sweeps;

namespace Dms.Worker;

/// <summary>The worker serves only <c>/health</c> and <c>/alive</c> over HTTP; its work is the processing loop and the sweeps.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddDmsDatabase();
        builder.AddStorage();
        builder.AddDocumentServices();
        builder.AddProcessing();
        builder.AddSweeps();

        var app = builder.Build();

        app.MapDefaultEndpoints();

        app.Run();
    }
}
