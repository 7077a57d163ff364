"""Job records in a table of their own, instead of a folder per job."""

import sqlalchemy as sa
from alembic import op

from letterhouse.batch.job_tables import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "batch_jobs",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False, index=True),
        sa.Column("rows_kind", sa.String(8), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("valid", sa.Integer, nullable=False),
        sa.Column("problems", sa.JSON, nullable=False),
        sa.Column("render_problems", sa.JSON, nullable=False),
        sa.Column("sample", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("output", sa.String(8), nullable=False),
        sa.Column("duplex", sa.Boolean, nullable=False),
        sa.Column("skip_invalid", sa.Boolean, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("letters", sa.Integer, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("stored_bytes", sa.BigInteger, nullable=False),
        sa.Column("result", sa.String(255), nullable=False),
        sa.Column("runner", sa.String(120), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created", UtcDateTime, nullable=False),
        sa.Column("started", UtcDateTime),
        sa.Column("finished", UtcDateTime),
        sa.Column("expires", UtcDateTime, nullable=False, index=True),
        sa.Column("heartbeat", UtcDateTime),
    )


def downgrade():
    op.drop_table("batch_jobs")
