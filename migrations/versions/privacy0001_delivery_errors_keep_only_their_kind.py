"""failed deliveries keep only the kind of error, not its text (which could quote an address)

Revision ID: privacy0001
Revises: perf0001
Create Date: 2026-11-28 09:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "privacy0001"
down_revision = "perf0001"
branch_labels = None
depends_on = None

delivery = sa.table("delivery", sa.column("id", sa.Integer), sa.column("last_error", sa.String))


def upgrade():
    # Errors were stored as "Kind: text"; the page showed only the kind, which is all kept now.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(delivery.c.id, delivery.c.last_error).where(delivery.c.last_error.like("%:%"))
    ).all()
    for delivery_id, last_error in rows:
        connection.execute(
            sa.update(delivery)
            .where(delivery.c.id == delivery_id)
            .values(last_error=last_error.split(":", 1)[0])
        )


def downgrade():
    # The texts are gone for good; the kinds that replaced them are valid as they are.
    pass
