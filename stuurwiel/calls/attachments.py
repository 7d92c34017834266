"""Files attached to a call, and calls linked to each other.

An attachment is checked before anything is stored: its size against
``STUURWIEL_ATTACHMENT_MAX_BYTES``, its type against ``STUURWIEL_ATTACHMENT_TYPES``.
The type is never taken from the browser: it follows from the file name's
extension and must agree with the first bytes of the file (a PDF starts with
``%PDF``, a PNG with its signature, Office files are ZIP archives …), so an HTML
page renamed to ``.pdf`` is refused. Attachments are only ever served as
downloads with ``nosniff`` (see the download view), never inline.

Who sees what follows the comments: staff see every attachment; the requester
sees the public ones (their own are always public); a supplier sees only what
its own staff added — the black box gets what its interface passes, not the
chain's files.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from stuurwiel.calls.choices import EventKind, RelationKind
from stuurwiel.calls.events import event_build, events_record
from stuurwiel.calls.facts import member_roles
from stuurwiel.calls.models import Call, CallAttachment, CallRelation
from stuurwiel.calls.services import CallActionRefused
from stuurwiel.changelog.services import actor_name
from stuurwiel.core import clock
from stuurwiel.organisations import access
from stuurwiel.organisations.choices import Role

_STAFF = set(Role.values) - {Role.REQUESTER, Role.SUPPLIER_USER}

#: Extension → (content type, accepted first bytes; empty: a text file, checked as UTF-8).
_KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".txt": ("text/plain", ()),
    ".log": ("text/plain", ()),
    ".csv": ("text/csv", ()),
    ".eml": ("message/rfc822", ()),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
}


def _allowed_extensions() -> list[str]:
    allowed = set(settings.STUURWIEL_ATTACHMENT_TYPES)
    return sorted(ext for ext, (kind, _) in _KINDS.items() if kind in allowed)


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} kB"


def _content_type(name: str, head: bytes) -> str:
    extension = PurePath(name).suffix.lower()
    kind = _KINDS.get(extension)
    if kind is None or kind[0] not in settings.STUURWIEL_ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached. Allowed: {types}.").format(
                    types=", ".join(_allowed_extensions())
                )
            },
            code="type",
        )
    content_type, signatures = kind
    if signatures:
        matches = any(head.startswith(signature) for signature in signatures)
    else:
        # Text: valid UTF-8 (the head may end inside a character) and no markup
        # a browser could be tricked into running.
        text = head.decode("utf-8", errors="ignore").lower()
        matches = b"\x00" not in head and "<script" not in text and "<html" not in text
    if not matches:
        raise ValidationError(
            {
                "file": _("The file's content does not match its name ({name}).").format(
                    name=extension
                )
            },
            code="content",
        )
    return content_type


def _visible_public(by, call: Call) -> tuple[bool, set[str]]:
    roles = member_roles(by, call.organisation, call.service)
    return bool(roles & _STAFF), roles


@transaction.atomic
def attachment_add(*, call: Call, by, upload, public: bool = False) -> CallAttachment:
    """Attach ``upload`` (a Django ``UploadedFile``) to ``call``: whoever may
    see the call may add a file; the checks run before anything is stored."""
    fresh = Call.objects.select_for_update().select_related("organisation").get(pk=call.pk)
    if not access.permitted(access.access_for(by, fresh.organisation), "view", fresh):
        raise CallActionRefused(_("Your roles do not allow this."), "not_allowed")
    limit = settings.STUURWIEL_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than {size}.").format(size=_size_label(limit))},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    name = PurePath(str(upload.name or "")).name.strip()[:200] or "bijlage"
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    content_type = _content_type(name, head)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    staff, roles = _visible_public(by, fresh)
    if not staff:
        # A requester's file is for the chain and themselves; a supplier's stays with the chain.
        public = Role.REQUESTER in roles and Role.SUPPLIER_USER not in roles
    now = clock.now()
    attachment = CallAttachment(
        organisation=fresh.organisation,
        call=fresh,
        token=secrets.token_hex(16),
        name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        public=public,
        added_by=by,
        added_by_name=actor_name(by, fresh.organisation),
        added_at=now,
    )
    attachment.file.save(attachment.token, upload, save=False)
    try:
        attachment.save()
        events_record(
            fresh,
            [
                event_build(
                    fresh,
                    EventKind.ATTACHMENT_ADDED,
                    by=by,
                    now=now,
                    link=fresh.current_link,
                    text=name,
                    public=public,
                    data={"attachment": attachment.token, "size": attachment.size},
                )
            ],
        )
    except Exception:
        # The file is on disk before its row: a failed write leaves no orphan behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_response(attachment: CallAttachment):
    """The file as a download: never inline, never sniffed, sandboxed if opened."""
    from django.http import FileResponse

    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def attachments_visible(call: Call, member_access: access.Access) -> QuerySet[CallAttachment]:
    """The call's attachments the member may see (see the module docstring)."""
    attachments = CallAttachment.objects.filter(call=call).order_by("added_at", "id")
    roles = {a.role for a in member_access.membership.role_assignments.all()}
    if roles & _STAFF:
        return attachments
    if Role.SUPPLIER_USER in roles:
        return attachments.filter(added_by=member_access.user)
    return attachments.filter(Q(public=True) | Q(added_by=member_access.user))


# --- Linked calls ---------------------------------------------------------------------


@transaction.atomic
def relation_add(*, call: Call, other_number: str, kind: str, by) -> CallRelation:
    """Link ``call`` to the call numbered ``other_number`` (same organisation,
    one the member may see); both calls record it in their history."""
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Choose how the calls relate.")}, code="invalid")
    member = access.access_for(by, call.organisation)
    if not access.permitted(member, "register", call) and not access.permitted(
        member, "work", call
    ):
        raise CallActionRefused(_("Your roles do not allow linking calls."), "not_allowed")
    number = (other_number or "").strip().upper()
    other = (
        access.restrict(Call.objects.filter(organisation=call.organisation), member, "view")
        .filter(number=number)
        .first()
    )
    if other is None:
        raise ValidationError(
            {"other_number": _("There is no call {number} you may see.").format(number=number)},
            code="unknown",
        )
    if other.pk == call.pk:
        raise ValidationError(
            {"other_number": _("A call cannot be linked to itself.")}, code="self"
        )
    if CallRelation.objects.filter(
        Q(from_call=call, to_call=other) | Q(from_call=other, to_call=call), kind=kind
    ).exists():
        raise ValidationError(
            {"other_number": _("These calls are linked like this already.")}, code="exists"
        )
    now = clock.now()
    name = actor_name(by, call.organisation)
    try:
        with transaction.atomic():
            relation = CallRelation.objects.create(
                organisation=call.organisation,
                from_call=call,
                to_call=other,
                kind=kind,
                created_by=by,
                created_by_name=name,
                created_at=now,
            )
    except IntegrityError:
        raise ValidationError(
            {"other_number": _("These calls are linked like this already.")}, code="exists"
        ) from None
    for this, that in ((call, other), (other, call)):
        events_record(
            this,
            [
                event_build(
                    this,
                    EventKind.LINKED,
                    by=by,
                    now=now,
                    name=name,
                    text=that.number,
                    data={"call": that.pk, "kind": kind, "outgoing": this.pk == call.pk},
                )
            ],
        )
    return relation


def relations_of(call: Call, member_access: access.Access) -> list[tuple[str, Call]]:
    """The calls linked to ``call`` that the member may see, each with how it
    relates, read from ``call``'s side ("duplicate of MS-…", "caused by …")."""
    visible = access.restrict(Call.objects.all(), member_access, "view").values("pk")
    rows = (
        CallRelation.objects.filter(Q(from_call=call) | Q(to_call=call))
        .filter(Q(from_call__in=visible) & Q(to_call__in=visible))
        .select_related("from_call", "to_call")
        .order_by("created_at", "id")
    )
    labels = dict(RelationKind.choices)
    reverse_labels = {
        RelationKind.RELATED: _("related to"),
        RelationKind.DUPLICATE: _("has as duplicate"),
        RelationKind.CAUSED_BY: _("is the cause of"),
    }
    result = []
    for row in rows:
        if row.from_call_id == call.pk:
            result.append((str(labels[row.kind]), row.to_call))
        else:
            result.append((str(reverse_labels[RelationKind(row.kind)]), row.from_call))
    return result
