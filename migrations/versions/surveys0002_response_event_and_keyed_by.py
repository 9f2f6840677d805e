"""responses record the event they were taken at and who keyed them

Revision ID: surveys0002
Revises: briefings0001
Create Date: 2026-11-28 02:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'surveys0002'
down_revision = 'briefings0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('keyed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_response_keyed_by_id_user'), 'user', ['keyed_by_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_response_keyed_by_id_user'), type_='foreignkey')
        batch_op.drop_column('keyed_by_id')
        batch_op.drop_column('event_name')
