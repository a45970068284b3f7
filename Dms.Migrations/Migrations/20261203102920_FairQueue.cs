using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class FairQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "queue_turns",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    served_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_queue_turns", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_queue_turns_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_processing_jobs_tenant_id_available_at_id",
                table: "processing_jobs",
                columns: new[] { "tenant_id", "available_at", "id" },
                filter: "dead_lettered_at IS NULL");

            TenantIsolationSql.Isolate(migrationBuilder, "queue_turns");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "queue_turns");
            migrationBuilder.DropTable(
                name: "queue_turns");

            migrationBuilder.DropIndex(
                name: "ix_processing_jobs_tenant_id_available_at_id",
                table: "processing_jobs");
        }
    }
}
