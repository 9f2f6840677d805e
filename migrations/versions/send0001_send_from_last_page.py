"""a survey may be sent from its last page, with no check-your-answers page after it

Revision ID: send0001
Revises: briefi18n0001
Create Date: 2026-11-28 12:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "send0001"
down_revision = "briefi18n0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey") as batch:
        batch.add_column(
            sa.Column(
                "send_from_last_page", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("survey") as batch:
        batch.drop_column("send_from_last_page")
