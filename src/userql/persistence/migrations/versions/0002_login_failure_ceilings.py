"""login failure ceilings per IP and per account

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 17:08:46.252974
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_failures_client_ip_attempted_at"),
            ["client_ip", "attempted_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_login_failures_email_key_attempted_at"),
            ["email_key", "attempted_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_email_key_attempted_at"))
        batch_op.drop_index(batch_op.f("ix_login_failures_client_ip_attempted_at"))
