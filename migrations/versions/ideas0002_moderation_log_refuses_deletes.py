"""the moderation log refuses deletes as well as updates

Revision ID: ideas0002
Revises: surveys0002
Create Date: 2026-11-28 02:20:00

Deleting a row, directly or through a cascade from its idea, comment or neighbourhood, now fails
in the database itself. (TRUNCATE is left to whoever administers the database.)
"""
from alembic import op


revision = 'ideas0002'
down_revision = 'surveys0002'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        # The function that refuses updates (ideas0001) serves deletes too.
        op.execute(
            "CREATE TRIGGER moderation_action_no_delete BEFORE DELETE ON moderation_action "
            "FOR EACH ROW EXECUTE FUNCTION moderation_action_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER moderation_action_no_delete BEFORE DELETE ON moderation_action "
            "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END"
        )


def downgrade():
    on_table = " ON moderation_action" if op.get_bind().dialect.name == 'postgresql' else ""
    op.execute("DROP TRIGGER IF EXISTS moderation_action_no_delete" + on_table)
