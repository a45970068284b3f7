using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// What describes a document: the tenant's document types (with their fields), correspondents and custom fields,
    /// each value stored typed in field_values; a document's type, correspondent and date. References carry the
    /// tenant in their keys, so the database refuses one across tenants; every table is tenant-isolated.
    /// </summary>
    public partial class DescribingDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "correspondent_id",
                table: "documents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "document_date",
                table: "documents",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "document_type_id",
                table: "documents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddUniqueConstraint(
                name: "ak_documents_tenant_id_id",
                table: "documents",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateTable(
                name: "correspondents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_correspondents", x => x.id);
                    table.UniqueConstraint("ak_correspondents_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_correspondents_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "custom_fields",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    options = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_custom_fields", x => x.id);
                    table.UniqueConstraint("ak_custom_fields_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_custom_fields_kind", "kind IN ('text', 'long_text', 'integer', 'decimal', 'monetary', 'date', 'boolean', 'select', 'multi_select', 'url', 'document_link', 'user')");
                    table.ForeignKey(
                        name: "fk_custom_fields_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "document_types",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_types", x => x.id);
                    table.UniqueConstraint("ak_document_types_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_document_types_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "field_values",
                columns: table => new
                {
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    field_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    text_value = table.Column<string>(type: "text", nullable: true),
                    integer_value = table.Column<long>(type: "bigint", nullable: true),
                    number_value = table.Column<decimal>(type: "numeric(21,6)", precision: 21, scale: 6, nullable: true),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: true),
                    date_value = table.Column<DateOnly>(type: "date", nullable: true),
                    boolean_value = table.Column<bool>(type: "boolean", nullable: true),
                    option_ids = table.Column<Guid[]>(type: "uuid[]", nullable: true),
                    linked_document_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_field_values", x => new { x.document_id, x.field_id });
                    table.CheckConstraint("ck_field_values_kind", "kind IN ('text', 'long_text', 'integer', 'decimal', 'monetary', 'date', 'boolean', 'select', 'multi_select', 'url', 'document_link', 'user')");
                    table.ForeignKey(
                        name: "fk_field_values_custom_fields_tenant_id_field_id",
                        columns: x => new { x.tenant_id, x.field_id },
                        principalTable: "custom_fields",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_field_values_documents_document_id",
                        column: x => x.document_id,
                        principalTable: "documents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_field_values_documents_tenant_id_linked_document_id",
                        columns: x => new { x.tenant_id, x.linked_document_id },
                        principalTable: "documents",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "document_type_fields",
                columns: table => new
                {
                    document_type_id = table.Column<Guid>(type: "uuid", nullable: false),
                    field_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    required = table.Column<bool>(type: "boolean", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_type_fields", x => new { x.document_type_id, x.field_id });
                    table.ForeignKey(
                        name: "fk_document_type_fields_custom_fields_tenant_id_field_id",
                        columns: x => new { x.tenant_id, x.field_id },
                        principalTable: "custom_fields",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_document_type_fields_document_types_tenant_id_document_type",
                        columns: x => new { x.tenant_id, x.document_type_id },
                        principalTable: "document_types",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_documents_tenant_id_correspondent_id",
                table: "documents",
                columns: new[] { "tenant_id", "correspondent_id" });

            migrationBuilder.CreateIndex(
                name: "ix_documents_tenant_id_document_date",
                table: "documents",
                columns: new[] { "tenant_id", "document_date" });

            migrationBuilder.CreateIndex(
                name: "ix_documents_tenant_id_document_type_id",
                table: "documents",
                columns: new[] { "tenant_id", "document_type_id" });

            migrationBuilder.CreateIndex(
                name: "ix_document_type_fields_tenant_id_document_type_id",
                table: "document_type_fields",
                columns: new[] { "tenant_id", "document_type_id" });

            migrationBuilder.CreateIndex(
                name: "ix_document_type_fields_tenant_id_field_id",
                table: "document_type_fields",
                columns: new[] { "tenant_id", "field_id" });

            migrationBuilder.CreateIndex(
                name: "ix_field_values_option_ids",
                table: "field_values",
                column: "option_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_field_values_tenant_id_field_id_boolean_value",
                table: "field_values",
                columns: new[] { "tenant_id", "field_id", "boolean_value" });

            migrationBuilder.CreateIndex(
                name: "ix_field_values_tenant_id_field_id_date_value",
                table: "field_values",
                columns: new[] { "tenant_id", "field_id", "date_value" });

            migrationBuilder.CreateIndex(
                name: "ix_field_values_tenant_id_field_id_integer_value",
                table: "field_values",
                columns: new[] { "tenant_id", "field_id", "integer_value" });

            migrationBuilder.CreateIndex(
                name: "ix_field_values_tenant_id_field_id_number_value",
                table: "field_values",
                columns: new[] { "tenant_id", "field_id", "number_value" });

            migrationBuilder.CreateIndex(
                name: "ix_field_values_tenant_id_linked_document_id",
                table: "field_values",
                columns: new[] { "tenant_id", "linked_document_id" });

            migrationBuilder.AddForeignKey(
                name: "fk_documents_correspondents_tenant_id_correspondent_id",
                table: "documents",
                columns: new[] { "tenant_id", "correspondent_id" },
                principalTable: "correspondents",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_documents_document_types_tenant_id_document_type_id",
                table: "documents",
                columns: new[] { "tenant_id", "document_type_id" },
                principalTable: "document_types",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Restrict);

            // A name is the tenant's once, whatever its case.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_correspondents_tenant_id_name ON correspondents (tenant_id, lower(name));");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_document_types_tenant_id_name ON document_types (tenant_id, lower(name));");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_custom_fields_tenant_id_name ON custom_fields (tenant_id, lower(name));");
            TenantIsolationSql.Isolate(migrationBuilder, "correspondents");
            TenantIsolationSql.Isolate(migrationBuilder, "document_types");
            TenantIsolationSql.Isolate(migrationBuilder, "custom_fields");
            TenantIsolationSql.Isolate(migrationBuilder, "document_type_fields");
            TenantIsolationSql.Isolate(migrationBuilder, "field_values");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "correspondents");
            TenantIsolationSql.Unisolate(migrationBuilder, "document_types");
            TenantIsolationSql.Unisolate(migrationBuilder, "custom_fields");
            TenantIsolationSql.Unisolate(migrationBuilder, "document_type_fields");
            TenantIsolationSql.Unisolate(migrationBuilder, "field_values");

            migrationBuilder.DropForeignKey(
                name: "fk_documents_correspondents_tenant_id_correspondent_id",
                table: "documents");

            migrationBuilder.DropForeignKey(
                name: "fk_documents_document_types_tenant_id_document_type_id",
                table: "documents");

            migrationBuilder.DropTable(
                name: "correspondents");

            migrationBuilder.DropTable(
                name: "document_type_fields");

            migrationBuilder.DropTable(
                name: "field_values");

            migrationBuilder.DropTable(
                name: "document_types");

            migrationBuilder.DropTable(
                name: "custom_fields");

            migrationBuilder.DropUniqueConstraint(
                name: "ak_documents_tenant_id_id",
                table: "documents");

            migrationBuilder.DropIndex(
                name: "ix_documents_tenant_id_correspondent_id",
                table: "documents");

            migrationBuilder.DropIndex(
                name: "ix_documents_tenant_id_document_date",
                table: "documents");

            migrationBuilder.DropIndex(
                name: "ix_documents_tenant_id_document_type_id",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "correspondent_id",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "document_date",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "document_type_id",
                table: "documents");
        }
    }
}
