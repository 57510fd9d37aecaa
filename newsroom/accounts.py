"""Writes of the editorial app: accounts and groups the newsroom works with."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from newsroom.i18n import LANGUAGE_CODES

EDITORIAL_APPS = ("newsroom", "timeline")
ROLE_GROUPS = {
    "chief": "Chief editors",
    "editor": "Editors",
    "translator": "Translators into English",
    "translator-th": "Translators into Thai",
}
ROLE_LABELS = {
    "chief": _("chief editor"),
    "editor": _("editor"),
    "translator": _("translator into English"),
    "translator-th": _("translator into Thai"),
}
TRANSLATOR_LANGUAGES = {"Translators into English": "en", "Translators into Thai": "th"}
# Chief editors also keep the newsroom's accounts: add a colleague, change a role, reset a
# password, deactivate (never delete: the history names who did what). Roles are read, not
# edited: what a role may do is this module's rule.
ACCOUNT_PERMISSIONS = Q(content_type__app_label="auth") & (
    Q(codename__in=["view_user", "add_user", "change_user", "view_group"])
)
# What only chief editors may do: publish, unpublish, archive, and undo an import.
# And the failed sign-ins (lifting a lock).
CHIEF_ONLY = (
    Q(codename__startswith="publish_")
    | Q(codename="delete_importrecord")
    | Q(codename__endswith="_failedlogin")
)


def role_group_ensure(role: str) -> Group:
    """The group of a role, with exactly that role's permissions."""
    group, _created = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    permissions = Permission.objects.filter(content_type__app_label__in=EDITORIAL_APPS).exclude(
        codename__startswith="translates_into_"
    )
    if role.startswith("translator"):  # view everything, change texts; no add, delete, publish
        language = TRANSLATOR_LANGUAGES[ROLE_GROUPS[role]]
        permissions = (
            permissions.filter(Q(codename__startswith="view_") | Q(codename__startswith="change_"))
            .exclude(codename__in=["change_importrecord", "change_workflowlog"])
            .exclude(CHIEF_ONLY)
        )
        permissions |= Permission.objects.filter(
            content_type__app_label="newsroom", codename=f"translates_into_{language}"
        )
    elif role != "chief":
        permissions = permissions.exclude(CHIEF_ONLY)
    else:
        permissions |= Permission.objects.filter(ACCOUNT_PERMISSIONS)
    group.permissions.set(permissions)
    return group


def editors_group_ensure() -> Group:
    return role_group_ensure("editor")


@transaction.atomic
def editor_create(
    *, username: str, password: str | None = None, role: str = "editor"
) -> tuple[AbstractUser, str]:
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
    user_role_set(user=user, role=role)
    return user, password


def user_role_set(*, user: AbstractUser, role: str) -> None:
    """Give ``user`` exactly one role: its group, and no other role's."""
    group = role_group_ensure(role)
    others = Group.objects.filter(name__in=ROLE_GROUPS.values()).exclude(pk=group.pk)
    user.groups.remove(*others)
    user.groups.add(group)


def user_role(user: AbstractUser) -> str | None:
    """The role whose group ``user`` is in (the first, should there be several)."""
    names = {group.name for group in user.groups.all()}
    return next((role for role, name in ROLE_GROUPS.items() if name in names), None)


def translator_language(user) -> str | None:
    """The language a translator may write in, or None for everyone else.

    A permission (``translates_into_<language>``) says so, read from the permissions Django
    caches on the user for the request: no query of its own."""
    if not user.is_authenticated or user.is_superuser:
        return None
    languages = [
        code for code in LANGUAGE_CODES if user.has_perm(f"newsroom.translates_into_{code}")
    ]
    return languages[0] if len(languages) == 1 else None
