using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// Bytes waiting to be deleted for good: a purge removes a document's rows and writes its prefix here in the same
    /// transaction, and the worker's sweep deletes the objects. The api asks, the worker deletes (in AWS only its role
    /// may delete object versions). Tenant-isolated like every tenant-owned table.
    /// </summary>
    public partial class BytesPurges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bytes_purges",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    prefix = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bytes_purges", x => x.id);
                });

            TenantIsolationSql.Isolate(migrationBuilder, "bytes_purges", hasIdentity: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "bytes_purges");
            migrationBuilder.DropTable(
                name: "bytes_purges");
        }
    }
}
