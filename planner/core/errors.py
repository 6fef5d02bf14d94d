"""Errors raised by operations and shown to people at the form field they concern."""


class DomainError(Exception):
    """A rule of the domain refused an action. `field` names the form field the message belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def populate_errors(form, error: DomainError) -> None:
    """Put an operation's error back onto the form field it concerns (or the form as a whole)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
