"""Typed errors the services raise; views and the API turn them into translated answers."""

from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Someone else saved the object since the caller read it (optimistic lock)."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            _(
                "Someone else changed this object in the meantime (now at version "
                "{version}). Reload it, check their change and apply yours again."
            ).format(version=current_version)
        )


class ProtectedError(Exception):
    """The object cannot be deleted because other objects still depend on it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
