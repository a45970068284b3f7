using Dms.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Dms.Audit;

public static class AuditRegistration
{
    /// <summary>The audit trail (<c>Dms:Audit</c>): its writer of reads' events, the chain and the list; shared by the api and the worker.</summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(AuditReadQueue)))
        {
            return builder;
        }

        builder.Services.AddCheckedOptions<AuditOptions>(AuditOptions.Section);
        builder.Services.AddScoped<AuditContext>();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddSingleton<AuditReadQueue>();
        builder.Services.AddHostedService<AuditReadWriter>();
        builder.Services.AddScoped<AuditChain>();
        builder.Services.AddScoped<ListAuditEvents>();
        return builder;
    }
}
