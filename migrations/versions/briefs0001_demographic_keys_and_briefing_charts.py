"""demographic questions have a stable key; briefings keep their charts

Revision ID: briefs0001
Revises: ideas0003
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'briefs0001'
down_revision = 'ideas0003'
branch_labels = None
depends_on = None

KEYS = ('age_band', 'sex', 'gender_identity', 'ethnic_group', 'disability', 'tenure', 'employment')
KEY_CHECK = 'demographic_key IS NULL OR demographic_key IN ({})'.format(
    ', '.join(f"'{key}'" for key in KEYS)
)
# The ready-made "About you" questions as they were worded when this migration was written:
# existing ones are found by their text once, and by their key from then on.
TEXTS = {
    'age_band': 'What is your age?',
    'sex': 'What is your sex?',
    'gender_identity': 'Is the gender you identify with the same as your sex registered at birth?',
    'ethnic_group': 'What is your ethnic group?',
    'disability': (
        'Do you have any physical or mental health conditions or illnesses lasting or expected '
        'to last 12 months or more?'
    ),
    'tenure': 'Which best describes your home?',
    'employment': 'Which best describes what you do?',
}


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demographic_key', sa.String(length=30), nullable=True))
        batch_op.create_check_constraint(op.f('ck_question_demographic_key_known'), KEY_CHECK)
        batch_op.create_unique_constraint(
            op.f('uq_question_survey_id_demographic_key'), ['survey_id', 'demographic_key']
        )
    # One question per survey and key: the first with the text, if a survey has it twice.
    for key, text in TEXTS.items():
        op.execute(
            sa.text(
                "UPDATE question SET demographic_key = :key WHERE id IN ("
                " SELECT min(id) FROM question WHERE text = :text AND kind = 'single_choice'"
                " GROUP BY survey_id)"
            ).bindparams(key=key, text=text)
        )
    op.create_table(
        'briefing_chart',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('briefing_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('alt', sa.Text(), nullable=False),
        sa.Column('png', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ['briefing_id'], ['briefing.id'], name=op.f('fk_briefing_chart_briefing_id_briefing'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_briefing_chart')),
        sa.UniqueConstraint('briefing_id', 'name', name=op.f('uq_briefing_chart_briefing_id_name')),
    )
    with op.batch_alter_table('briefing_chart', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_briefing_chart_briefing_id'), ['briefing_id'])


def downgrade():
    with op.batch_alter_table('briefing_chart', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_briefing_chart_briefing_id'))
    op.drop_table('briefing_chart')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_question_survey_id_demographic_key'), type_='unique')
        batch_op.drop_constraint(op.f('ck_question_demographic_key_known'), type_='check')
        batch_op.drop_column('demographic_key')
