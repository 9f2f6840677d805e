"""residents' rights (account deletion requests, deleted accounts), survey retention with kept
counts, privacy notices and the accessibility statement

Revision ID: rights0001
Revises: access0001
Create Date: 2026-11-28 01:58:14.208138

"""
from alembic import op
import sqlalchemy as sa


revision = 'rights0001'
down_revision = 'access0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accessibility_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.Text(), nullable=False),
    sa.Column('compliance', sa.String(length=10), nullable=False),
    sa.Column('known_issues', sa.Text(), nullable=False),
    sa.Column('improvements', sa.Text(), nullable=False),
    sa.Column('prepared', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("compliance IN ('full', 'partial', 'not')", name=op.f('ck_accessibility_statement_compliance_known')),
    sa.CheckConstraint('id = 1', name=op.f('ck_accessibility_statement_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_statement'))
    )
    op.create_table('account_deletion_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_deletion_request_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_deletion_request')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_deletion_request_token_hash'))
    )
    with op.batch_alter_table('account_deletion_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_deletion_request_user_id'), ['user_id'], unique=False)

    op.create_table('privacy_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.Column('who_runs_it', sa.Text(), nullable=False),
    sa.Column('lawful_basis', sa.Text(), nullable=False),
    sa.Column('what_we_keep', sa.Text(), nullable=False),
    sa.Column('your_rights', sa.Text(), nullable=False),
    sa.Column('contact', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_privacy_notice_neighbourhood_id_neighbourhood'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_notice')),
    sa.UniqueConstraint('neighbourhood_id', name=op.f('uq_privacy_notice_neighbourhood_id'))
    )
    op.create_table('retained_survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('by_channel', sa.JSON(), nullable=False),
    sa.Column('first_purged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_purged_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('responses >= 0', name=op.f('ck_retained_survey_responses_not_negative')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_retained_survey_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retained_survey')),
    sa.UniqueConstraint('survey_id', name=op.f('uq_retained_survey_survey_id'))
    )
    op.create_table('retained_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('respondents', sa.Integer(), nullable=False),
    sa.Column('rank_total', sa.Integer(), nullable=False),
    sa.Column('number_total', sa.Numeric(precision=24, scale=4), nullable=False),
    sa.Column('number_min', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('number_max', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.CheckConstraint('answers >= 0 AND respondents >= 0', name=op.f('ck_retained_count_counts_not_negative')),
    sa.ForeignKeyConstraint(['option_id'], ['option.id'], name=op.f('fk_retained_count_option_id_option'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_retained_count_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_retained_count_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retained_count'))
    )
    with op.batch_alter_table('retained_count', schema=None) as batch_op:
        batch_op.create_index('ix_retained_count_question_option', ['question_id', 'option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_retained_count_survey_id'), ['survey_id'], unique=False)

    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), server_default='24', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_survey_retention_months_in_range'), 'retention_months BETWEEN 1 AND 120'
        )

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')

    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_survey_retention_months_in_range'), type_='check')
        batch_op.drop_column('retention_months')

    with op.batch_alter_table('retained_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retained_count_survey_id'))
        batch_op.drop_index('ix_retained_count_question_option')

    op.drop_table('retained_count')
    op.drop_table('retained_survey')
    op.drop_table('privacy_notice')
    with op.batch_alter_table('account_deletion_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_deletion_request_user_id'))

    op.drop_table('account_deletion_request')
    op.drop_table('accessibility_statement')
