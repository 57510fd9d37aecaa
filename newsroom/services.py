"""Writes of the editorial app: accounts and groups the newsroom works with."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

EDITORIAL_APPS = ("newsroom", "timeline")
EDITORS_GROUP = "Editors"


def editors_group_ensure() -> Group:
    """The group that may add, change, delete and view everything editorial."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITORIAL_APPS))
    return group


@transaction.atomic
def editor_create(*, username: str, password: str | None = None) -> tuple[AbstractUser, str]:
    """Create a staff account in the Editors group; return it with its password.

    Without ``password`` one is generated: the caller shows it once, nothing stores it.
    """
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValueError(f"The account “{username}” exists already.")
    password = password or secrets.token_urlsafe(12)
    user = user_model(username=username, is_staff=True)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(editors_group_ensure())
    return user, password
