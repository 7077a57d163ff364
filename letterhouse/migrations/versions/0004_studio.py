"""What a studio builds on: a batch's own metadata, its callback, idempotency keys' answers and rate-limit windows."""

import sqlalchemy as sa
from alembic import op

from letterhouse.batch.job_tables import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("batch_jobs") as table:
        table.add_column(sa.Column("studio_metadata", sa.JSON, nullable=False, server_default="{}"))
    op.create_table(
        "batch_callbacks",
        sa.Column("job_id", sa.String(24), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("status_url", sa.String(2048), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt", UtcDateTime),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.Column("delivered", UtcDateTime),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("owner", sa.String(80), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("status", sa.Integer, nullable=False, server_default="0"),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("created", UtcDateTime, nullable=False),
        sa.Column("expires", UtcDateTime, nullable=False, index=True),
    )
    op.create_table(
        "rate_windows",
        sa.Column("client", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("window", sa.BigInteger, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade():
    op.drop_table("rate_windows")
    op.drop_table("idempotency_keys")
    op.drop_table("batch_callbacks")
    with op.batch_alter_table("batch_jobs") as table:
        table.drop_column("studio_metadata")
