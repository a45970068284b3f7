using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class OperationsTelemetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "processing_jobs",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "operation_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_operation_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_operation_events_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_operation_events_occurred_at",
                table: "operation_events",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_operation_events_tenant_id",
                table: "operation_events",
                column: "tenant_id");

            TenantIsolationSql.Isolate(migrationBuilder, "operation_events", hasIdentity: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "operation_events");

            migrationBuilder.DropTable(
                name: "operation_events");

            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "processing_jobs");
        }
    }
}
