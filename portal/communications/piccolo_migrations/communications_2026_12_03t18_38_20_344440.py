"""The bell's table moves from the communications app to core: this migration only tells
Piccolo's history so (fake = True: nothing runs, the table and its rows stay as they are). The
table itself is still created by the communications app's first migration, on every database,
and its unique (user, dedup_key) index by the second; core's migration of the same date records
it on core's side, also without running anything. Both sides fake keeps every order of the two
apps' migrations right: a fresh database, and one made by a release before the move."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

class HistoryOnly(MigrationManager):
    """Forwards is faked; backwards (`piccolo migrations backwards`) runs even fake migrations,
    and must not drop or re-create the table either."""

    async def run(self, backwards: bool = False) -> None:
        return None


ID = "2026-12-03T18:38:20:344440"
VERSION = "1.38.0"
DESCRIPTION = "the bell moves to core (fake: the table stays)"


async def forwards():
    manager = HistoryOnly(
        migration_id=ID, app_name="communications", description=DESCRIPTION, fake=True
    )

    manager.drop_table(
        class_name="Notification", tablename="notification", schema=None
    )

    return manager
