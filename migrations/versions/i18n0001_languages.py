"""languages: a neighbourhood's offered languages and a person's chosen language

Revision ID: i18n0001
Revises: rights0001
Create Date: 2026-11-28 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'i18n0001'
down_revision = 'rights0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('neighbourhood', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('languages', sa.String(length=60), server_default='', nullable=False)
        )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locale')
    with op.batch_alter_table('neighbourhood', schema=None) as batch_op:
        batch_op.drop_column('languages')
