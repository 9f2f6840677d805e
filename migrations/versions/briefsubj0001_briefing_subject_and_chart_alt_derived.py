"""a briefing's subject and its charts' alt text are no longer kept, but read from its editions

The English edition holds the subject; each edition's words for a chart are written into its HTML
as it is rendered.

Revision ID: briefsubj0001
Revises: send0001
Create Date: 2026-11-29 10:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "briefsubj0001"
down_revision = "send0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("briefing_chart") as batch:
        batch.drop_column("alt")
    with op.batch_alter_table("briefing") as batch:
        batch.drop_column("subject")


def downgrade():
    with op.batch_alter_table("briefing") as batch:
        batch.add_column(
            sa.Column("subject", sa.String(length=200), nullable=False, server_default="")
        )
    # The English subject comes back from the English edition; the alt text, drawn in English
    # before, is not written again (an empty alt until the briefing is built anew).
    op.execute(
        "UPDATE briefing SET subject = (SELECT e.subject FROM briefing_edition e "
        "WHERE e.briefing_id = briefing.id AND e.locale = 'en') "
        "WHERE EXISTS (SELECT 1 FROM briefing_edition e WHERE e.briefing_id = briefing.id "
        "AND e.locale = 'en')"
    )
    with op.batch_alter_table("briefing_chart") as batch:
        batch.add_column(sa.Column("alt", sa.Text(), nullable=False, server_default=""))
