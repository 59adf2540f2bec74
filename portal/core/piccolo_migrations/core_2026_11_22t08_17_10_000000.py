"""Make audit_log append-only: the database itself refuses UPDATE and DELETE."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-22T08:17:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "append-only triggers on audit_log"

POSTGRES_SQL = [
    """
    CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
    """,
]

SQLITE_SQL = [
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """,
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run():
        from portal.core.tables import AuditEntry

        sqlite = AuditEntry._meta.db.engine_type == "sqlite"
        statements = SQLITE_SQL if sqlite else POSTGRES_SQL
        for sql in statements:
            await AuditEntry.raw(sql)

    manager.add_raw(run)
    return manager
