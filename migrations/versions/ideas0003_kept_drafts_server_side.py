"""what a signed-out resident typed is kept server-side, not in the session cookie

Revision ID: ideas0003
Revises: ideas0002
Create Date: 2026-11-28 02:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'ideas0003'
down_revision = 'ideas0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idea_kept_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=80), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_kept_draft')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_idea_kept_draft_token_hash'))
    )
    with op.batch_alter_table('idea_kept_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_kept_draft_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('idea_kept_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_kept_draft_created_at'))
    op.drop_table('idea_kept_draft')
