"""survey access modes: household codes, verified respondents' email hashes, email links

Revision ID: access0001
Revises: results0001
Create Date: 2026-11-28 10:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = "access0001"
down_revision = "results0001"
branch_labels = None
depends_on = None

ACCESS_MODES = "access_mode IN ('open', 'verified_email', 'household_codes')"


def upgrade():
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("access_mode", sa.String(length=20), server_default="open", nullable=False)
        )
        batch_op.create_check_constraint(op.f("ck_survey_access_mode_known"), ACCESS_MODES)

    op.create_table(
        "household_code",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_household_code_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", "code", name=op.f("pk_household_code")),
    )
    op.create_table(
        "survey_respondent",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_respondent_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", "email_hash", name=op.f("pk_survey_respondent")),
    )
    op.create_table(
        "survey_email_link",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["survey.id"],
            name=op.f("fk_survey_email_link_survey_id_survey"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_survey_email_link")),
    )
    with op.batch_alter_table("survey_email_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_email_link_survey_id"), ["survey_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("survey_email_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_email_link_survey_id"))
    op.drop_table("survey_email_link")
    op.drop_table("survey_respondent")
    op.drop_table("household_code")
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_survey_access_mode_known"), type_="check")
        batch_op.drop_column("access_mode")
