"""Errors raised by operations and shown to people at the form field they concern."""

from contextlib import contextmanager


class DomainError(Exception):
    """A rule of the domain refused an action. `field` names the form field the message belongs to, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class DomainErrors(DomainError):
    """Several refusals of one action, each at its own field: a form shows them all at once rather than one
    per try.  As a single error (a flash, an API answer) it reads as the messages in order."""

    def __init__(self, errors: list[DomainError]):
        super().__init__(" ".join(error.message for error in errors), errors[0].field)
        self.errors = list(errors)


class ErrorCollector:
    """Runs independent checks and keeps each refusal: `with errors.check(): ...` per check, then
    `errors.raise_any()`."""

    def __init__(self):
        self.errors: list[DomainError] = []

    @contextmanager
    def check(self):
        try:
            yield
        except DomainErrors as errors:
            self.errors.extend(errors.errors)
        except DomainError as error:
            self.errors.append(error)

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)


def populate_errors(form, error: DomainError) -> None:
    """Put an operation's error back onto the form field it concerns (or the form as a whole)."""
    if isinstance(error, DomainErrors):
        for each in error.errors:
            populate_errors(form, each)
        return
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
