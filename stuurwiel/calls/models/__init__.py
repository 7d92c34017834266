"""The call register's models: the register itself (calls, events, segments,
clocks, pauses, exceptions, relaxations) and what users attach to a call
(files, relations to other calls)."""

from stuurwiel.calls.models.attachments import CallAttachment, CallRelation
from stuurwiel.calls.models.register import (
    Call,
    CallCounter,
    CallEvent,
    CallException,
    ClockPause,
    ClockResult,
    LinkSegment,
    SeparationRelaxation,
    WorkflowSnapshot,
)

__all__ = [
    "Call",
    "CallAttachment",
    "CallCounter",
    "CallEvent",
    "CallException",
    "CallRelation",
    "ClockPause",
    "ClockResult",
    "LinkSegment",
    "SeparationRelaxation",
    "WorkflowSnapshot",
]
