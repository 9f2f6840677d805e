"""surveys in full: sections, every question kind, skip logic, drafts

Revision ID: surveys0001
Revises: c6d098b467bc
Create Date: 2026-11-27 23:15:54.293879

Existing surveys get one section ("Your answers") holding all their questions.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "surveys0001"
down_revision = "ideas0001"
branch_labels = None
depends_on = None

KINDS = (
    "kind IN ('single_choice', 'multiple_choice', 'scale', 'free_text', 'number', 'ranking', "
    "'yes_no', 'postcode')"
)
FOUNDATION_KINDS = "kind IN ('single_choice', 'multiple_choice', 'scale', 'free_text')"
CONDITION_WHOLE = "(show_if_question_id IS NULL) = (show_if_option_id IS NULL)"


def upgrade():
    with op.batch_alter_table("option", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_option_role_known"), "role IS NULL OR role IN ('other', 'dont_know')"
        )
        batch_op.create_unique_constraint(op.f("uq_option_question_id_id"), ["question_id", "id"])

    op.create_table(
        "survey_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("show_if_question_id", sa.Integer(), nullable=True),
        sa.Column("show_if_option_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(CONDITION_WHOLE, name=op.f("ck_survey_section_condition_whole")),
        sa.ForeignKeyConstraint(
            ["show_if_question_id", "show_if_option_id"],
            ["option.question_id", "option.id"],
            name=op.f("fk_survey_section_show_if_question_id_option"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_section_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_section")),
        sa.UniqueConstraint(
            "survey_id", "position", name=op.f("uq_survey_section_survey_id_position")
        ),
    )
    with op.batch_alter_table("survey_section", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_section_survey_id"), ["survey_id"], unique=False
        )

    op.create_table(
        "survey_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_survey_draft_response_id_response"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_draft_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_draft")),
        sa.UniqueConstraint("response_id", name=op.f("uq_survey_draft_response_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_survey_draft_token_hash")),
    )
    with op.batch_alter_table("survey_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_draft_survey_id"), ["survey_id"], unique=False)

    op.create_table(
        "survey_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_change_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_survey_change_user_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_change")),
    )
    with op.batch_alter_table("survey_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_change_survey_id"), ["survey_id"], unique=False)

    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("privacy_notice", sa.Text(), server_default="", nullable=False)
        )

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Numeric(precision=14, scale=4), nullable=True))
        batch_op.add_column(sa.Column("rank", sa.Integer(), nullable=True))
        batch_op.drop_constraint(op.f("ck_answer_option_or_text"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_answer_option_text_or_number"),
            "option_id IS NOT NULL OR text IS NOT NULL OR number IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_answer_rank_valid"), "rank IS NULL OR (rank >= 1 AND option_id IS NOT NULL)"
        )

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("section_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_choices", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("min_value", sa.Numeric(precision=14, scale=4), nullable=True)
        )
        batch_op.add_column(
            sa.Column("max_value", sa.Numeric(precision=14, scale=4), nullable=True)
        )
        batch_op.add_column(
            sa.Column("whole_number", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("show_if_question_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("show_if_option_id", sa.Integer(), nullable=True))

    # Every existing survey's questions move into one section.
    op.execute(
        "INSERT INTO survey_section (survey_id, position, title, intro) "
        "SELECT id, 1, 'Your answers', '' FROM survey"
    )
    op.execute(
        "UPDATE question SET section_id = (SELECT survey_section.id FROM survey_section "
        "WHERE survey_section.survey_id = question.survey_id)"
    )

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.alter_column("section_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_question_section_id"), ["section_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_question_section_id_survey_section"),
            "survey_section",
            ["section_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_question_show_if_question_id_option"),
            "option",
            ["show_if_question_id", "show_if_option_id"],
            ["question_id", "id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(op.f("ck_question_kind_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_question_kind_known"), KINDS)
        batch_op.create_check_constraint(
            op.f("ck_question_max_choices_positive"), "max_choices IS NULL OR max_choices > 0"
        )
        batch_op.create_check_constraint(
            op.f("ck_question_min_not_above_max"),
            "min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
        )
        batch_op.create_check_constraint(op.f("ck_question_condition_whole"), CONDITION_WHOLE)


def downgrade():
    # Answers of the new kinds cannot be kept by the foundation schema.
    op.execute(
        "DELETE FROM answer WHERE question_id IN (SELECT id FROM question WHERE NOT "
        f"({FOUNDATION_KINDS}))"
    )
    op.execute("DELETE FROM answer WHERE option_id IS NULL AND text IS NULL")
    op.execute(f"DELETE FROM question WHERE NOT ({FOUNDATION_KINDS})")
    op.execute("UPDATE answer SET text = NULL WHERE option_id IS NOT NULL")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_question_condition_whole"), type_="check")
        batch_op.drop_constraint(op.f("ck_question_min_not_above_max"), type_="check")
        batch_op.drop_constraint(op.f("ck_question_max_choices_positive"), type_="check")
        batch_op.drop_constraint(op.f("ck_question_kind_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_question_kind_known"), FOUNDATION_KINDS)
        batch_op.drop_constraint(
            batch_op.f("fk_question_section_id_survey_section"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_question_show_if_question_id_option"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_question_section_id"))
        batch_op.drop_column("show_if_option_id")
        batch_op.drop_column("show_if_question_id")
        batch_op.drop_column("whole_number")
        batch_op.drop_column("max_value")
        batch_op.drop_column("min_value")
        batch_op.drop_column("max_choices")
        batch_op.drop_column("section_id")
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_answer_rank_valid"), type_="check")
        batch_op.drop_constraint(op.f("ck_answer_option_text_or_number"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_answer_option_or_text"),
            "(option_id IS NOT NULL AND text IS NULL) OR (option_id IS NULL AND text IS NOT NULL)",
        )
        batch_op.drop_column("rank")
        batch_op.drop_column("number")
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_column("privacy_notice")
    with op.batch_alter_table("survey_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_change_survey_id"))
    op.drop_table("survey_change")
    with op.batch_alter_table("survey_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_draft_survey_id"))
    op.drop_table("survey_draft")
    with op.batch_alter_table("survey_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_section_survey_id"))
    op.drop_table("survey_section")
    with op.batch_alter_table("option", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_option_question_id_id"), type_="unique")
        batch_op.drop_constraint(op.f("ck_option_role_known"), type_="check")
        batch_op.drop_column("role")
