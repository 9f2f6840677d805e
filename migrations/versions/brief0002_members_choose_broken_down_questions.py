"""members choose which questions briefings break down

Revision ID: brief0002
Revises: surveyi18n0001
Create Date: 2026-11-28 05:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'brief0002'
down_revision = 'surveyi18n0001'
branch_labels = None
depends_on = None


def upgrade():
    # Every existing question keeps being broken down, as briefings did before the choice.
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('broken_down', sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('broken_down')
