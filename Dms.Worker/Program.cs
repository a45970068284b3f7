using Dms.Data;
using Dms.Worker.Processing;

namespace Dms.Worker;

/// <summary>The worker serves only <c>/health</c> and <c>/alive</c> over HTTP; its work is the processing loop.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddDmsDatabase();
        builder.AddProcessing();

        var app = builder.Build();

        app.MapDefaultEndpoints();

        app.Run();
    }
}
