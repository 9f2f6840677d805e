"""a built briefing's email kept per language (editions); each delivery keeps its language

Revision ID: briefi18n0001
Revises: privacy0001
Create Date: 2026-11-28 09:20:00

"""

from alembic import op
import sqlalchemy as sa


revision = "briefi18n0001"
down_revision = "privacy0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "briefing_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("tables_csv", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["briefing_id"], ["briefing.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("briefing_id", "locale"),
    )
    op.create_index(
        op.f("ix_briefing_edition_briefing_id"), "briefing_edition", ["briefing_id"], unique=False
    )
    # Briefings built before now were written in English: their bodies become that edition.
    # Their CSV was made at each sending; it is left empty here and made again when sent.
    op.execute(
        "INSERT INTO briefing_edition (briefing_id, locale, subject, text_body, html_body, "
        "tables_csv) SELECT id, 'en', subject, text_body, html_body, '' FROM briefing "
        "WHERE status = 'built'"
    )
    with op.batch_alter_table("briefing") as batch:
        batch.drop_column("text_body")
        batch.drop_column("html_body")
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(
            sa.Column("locale", sa.String(length=10), nullable=False, server_default="en")
        )


def downgrade():
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("locale")
    with op.batch_alter_table("briefing") as batch:
        batch.add_column(sa.Column("text_body", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("html_body", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE briefing SET text_body = (SELECT text_body FROM briefing_edition e "
        "WHERE e.briefing_id = briefing.id AND e.locale = 'en'), html_body = (SELECT html_body "
        "FROM briefing_edition e WHERE e.briefing_id = briefing.id AND e.locale = 'en') "
        "WHERE EXISTS (SELECT 1 FROM briefing_edition e WHERE e.briefing_id = briefing.id "
        "AND e.locale = 'en')"
    )
    op.drop_index(op.f("ix_briefing_edition_briefing_id"), table_name="briefing_edition")
    op.drop_table("briefing_edition")
