"""personal API tokens and the record of response exports

Revision ID: results0001
Revises: briefs0001
Create Date: 2026-11-29 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'results0001'
down_revision = 'briefs0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_api_token_user_id_user'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash')),
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table(
        'export_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.Column('exported_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("via IN ('web', 'cli')", name=op.f('ck_export_record_via_known')),
        sa.ForeignKeyConstraint(
            ['survey_id'], ['survey.id'], name=op.f('fk_export_record_survey_id_survey'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_export_record_user_id_user'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_record')),
    )
    with op.batch_alter_table('export_record', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_export_record_survey_id'), ['survey_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('export_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_record_survey_id'))
    op.drop_table('export_record')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))
    op.drop_table('api_token')
