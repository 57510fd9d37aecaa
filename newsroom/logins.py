"""Signing in to the admin: wrong passwords are counted, per account and per address, and
past a limit the sign-in is refused for a while, the right password included, with a
message that says how long. The counts are rows in the database (``FailedLogin``): every
server process sees them, and they hold while the cache is down.

Limits: ``LOGIN_FAILURES_PER_ACCOUNT`` wrong passwords for one account, or
``LOGIN_FAILURES_PER_ADDRESS`` from one address, within ``LOGIN_LOCKOUT_MINUTES``. A chief
editor can lift a lock at once by deleting the account's rows in *Failed sign-ins*.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.models import FailedLogin


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _recent(*, username: str, address: str | None):
    since = timezone.now() - _window()
    return FailedLogin.objects.filter(at__gte=since).filter(
        Q(username=username) | Q(address=address) if address else Q(username=username)
    )


def login_wait(*, username: str, address: str | None) -> int:
    """Minutes before ``username`` may try again from ``address`` (0: they may now)."""
    recent = _recent(username=username, address=address)
    by_account = recent.filter(username=username)
    by_address = recent.filter(address=address) if address else recent.none()
    locks = [
        rows.aggregate(first=Min("at"))["first"]
        for rows, limit in (
            (by_account, settings.LOGIN_FAILURES_PER_ACCOUNT),
            (by_address, settings.LOGIN_FAILURES_PER_ADDRESS),
        )
        if rows.count() >= limit
    ]
    if not locks:
        return 0
    ends = min(locks) + _window()
    return max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))


def login_failed(*, username: str, address: str | None) -> None:
    FailedLogin.objects.filter(at__lt=timezone.now() - _window()).delete()  # kept bounded
    FailedLogin.objects.create(username=username[:150], address=address)


def login_succeeded(*, username: str) -> None:
    FailedLogin.objects.filter(username=username).delete()


class LoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, with the limits above."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _(
            "Too many wrong passwords. Signing in is paused for %(minutes)s; try again then, "
            "or ask a chief editor."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        if username and (minutes := login_wait(username=username, address=address)):
            text = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
            raise ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": text}
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" or any(
                getattr(e, "code", None) == "invalid_login" for e in error.error_list
            ):
                login_failed(username=username, address=address)
            raise
        login_succeeded(username=username)
        return cleaned
