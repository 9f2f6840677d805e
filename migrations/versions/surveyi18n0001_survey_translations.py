"""survey translations: members' translations of a survey's texts, per language

Revision ID: surveyi18n0001
Revises: imports0001
Create Date: 2026-11-28 12:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "surveyi18n0001"
down_revision = 'imports0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("thing", sa.String(length=20), nullable=False),
        sa.Column("thing_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "thing IN ('survey', 'section', 'question', 'option')",
            name=op.f("ck_survey_translation_thing_known"),
        ),
        sa.CheckConstraint(
            "field IN ('title', 'description', 'privacy_notice', 'intro', 'text', 'help_text', "
            "'label')",
            name=op.f("ck_survey_translation_field_known"),
        ),
        sa.CheckConstraint("locale <> 'en'", name=op.f("ck_survey_translation_not_english")),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_translation_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_translation")),
        sa.UniqueConstraint(
            "survey_id",
            "locale",
            "thing",
            "thing_id",
            "field",
            name=op.f("uq_survey_translation_survey_id_locale_thing_thing_id_field"),
        ),
    )
    with op.batch_alter_table("survey_translation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_translation_survey_id"), ["survey_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("survey_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_translation_survey_id"))
    op.drop_table("survey_translation")
