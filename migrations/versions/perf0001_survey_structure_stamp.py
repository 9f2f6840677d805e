"""surveys carry a structure stamp, changed whenever their texts or questions change

Revision ID: perf0001
Revises: brief0002
Create Date: 2026-11-28 06:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "perf0001"
down_revision = "brief0002"
branch_labels = None
depends_on = None


def upgrade():
    # Existing surveys share the stamp "0"; the cache keys on (id, stamp), and a new survey
    # gets a random stamp, so a reused id never meets an old survey's cached questions.
    with op.batch_alter_table("survey") as batch:
        batch.add_column(
            sa.Column("structure_stamp", sa.String(length=32), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("survey") as batch:
        batch.drop_column("structure_stamp")
