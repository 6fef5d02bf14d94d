"""An uploaded spreadsheet between preview and confirm, kept server-side, for every import (firms, a delegation's
members): one table, one row a file, told apart by ``kind`` (single-table inheritance: ``FirmImport``,
``MemberImport``, each with its own tenancy). Nothing of the file is saved before the confirm; the confirm claims
the upload once, so a second submit (a double click, the back button) saves nothing twice.
"""

import io
from datetime import datetime, timedelta

from flask import Response, send_file
from flask_babel import gettext as _
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, or_, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.errors import DomainError
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

IMPORT_KINDS = ("firms", "members")
IMPORT_LIFETIME = timedelta(hours=24)
# a confirmed import stays for its error rows and its "what was saved" page; the cleanup on each upload
# took confirmed ones too, once a day old, from under their region's users
CONFIRMED_IMPORT_LIFETIME = timedelta(days=90)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetImport(db.Model):
    """An uploaded spreadsheet between preview and confirm: its rows, normalised to strings, and what the preview
    found (``summary``)."""

    __tablename__ = "spreadsheet_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), server_default="firms")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The uploader's region (None for administrators): the import's tenant.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    # The delegation a members' import adds to (gone with it).
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    columns: Mapped[list] = mapped_column(JSON, default=list)
    rows: Mapped[list] = mapped_column(JSON, default=list)  # [{"row": 2, "values": {column: text}}, ...]
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by = relationship("User")

    __mapper_args__ = {"polymorphic_on": kind}
    __table_args__ = (
        CheckConstraint("kind IN ('firms', 'members')", name="kind_known"),
        CheckConstraint("(kind = 'members') = (delegation_id IS NOT NULL)", name="delegation_for_members"),
    )

    @property
    def is_expired(self) -> bool:
        return self.confirmed_at is None and self.expires_at < utcnow()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.filename!r} rows={len(self.rows or [])}>"


def plain_name(filename: str | None) -> str:
    """The uploaded file's name as kept (shown, and the stem of the error rows' download): no control
    characters (a NUL failed on PostgreSQL, a line break made the download's header invalid)."""
    return "".join(char for char in (filename or "") if ord(char) >= 0x20 and char != "\x7f")[:255]


def purge_old_imports(now: datetime) -> None:
    """Uploads never confirmed, once expired, and confirmed ones past their keeping time (any kind)."""
    db.session.execute(SpreadsheetImport.__table__.delete().where(or_(
        SpreadsheetImport.confirmed_at.is_(None) & (SpreadsheetImport.expires_at < now),
        SpreadsheetImport.confirmed_at < now - CONFIRMED_IMPORT_LIFETIME)))


def claim(upload: SpreadsheetImport) -> None:
    """Mark the upload confirmed, once: a second confirm (a double click, the back button, two tabs) is refused
    here, in the database, before anything is saved."""
    if upload.is_expired:
        raise DomainError(_("This upload has expired. Upload the file again."))
    claimed = db.session.execute(update(SpreadsheetImport).where(
        SpreadsheetImport.id == upload.id, SpreadsheetImport.confirmed_at.is_(None)).values(confirmed_at=utcnow()))
    if claimed.rowcount != 1:
        raise DomainError(_("This upload has been imported already."))
    db.session.refresh(upload)


def download(body: bytes, filename: str, mimetype: str) -> Response:
    """Flask's send_file writes a Japanese name (the uploaded file's) as RFC 5987 ``filename*`` with an
    ASCII fallback: a header holds Latin-1 only, and the raw name could not be sent."""
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=filename,
                     etag=False, max_age=0)


def import_stem(upload: SpreadsheetImport, default: str) -> str:
    return (upload.filename.rsplit(".", 1)[0] or default).replace('"', "")
