"""The newsroom's accounts, kept by chief editors: a colleague added with a role, a role
changed, a password reset (Django's own form), an account deactivated, never deleted (the
history names who did what). What a role may do is ``newsroom.accounts``' rule; here a role
is only chosen. Superusers' accounts are out of a chief editor's reach."""

import django.contrib.auth.admin  # noqa: F401 - registers the stock admins replaced below
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
    UserCreationForm,
)
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from newsroom.accounts import ROLE_GROUPS, ROLE_LABELS, user_role, user_role_set

User = get_user_model()
ROLE_CHOICES = list(ROLE_LABELS.items())


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ROLE_CHOICES, label=_("role"), **kwargs)


class ColleagueCreationForm(UserCreationForm):
    """A colleague signs in with a password (no single sign-on here): one is always set."""

    role = RoleField(initial="editor")


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    """Django's, without ``disabled`` on its ``<div>`` (not an attribute a div may have)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class ColleagueChangeForm(UserChangeForm):
    role = RoleField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget = PasswordHashWidget()
        if self.instance.pk and "role" in self.fields:
            self.fields["role"].initial = user_role(self.instance)


class PasswordResetForm(AdminPasswordChangeForm):
    """A new password, always (Django's form also offers to disable password sign-in)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        for name in ("password1", "password2"):
            self.fields[name].required = True


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return ROLE_CHOICES

    def queryset(self, request, queryset):
        if self.value() in ROLE_GROUPS:
            return queryset.filter(groups__name=ROLE_GROUPS[self.value()])
        return queryset


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class ColleagueAdmin(UserAdmin):
    form = ColleagueChangeForm
    add_form = ColleagueCreationForm
    change_password_form = PasswordResetForm
    fieldsets = (
        (None, {"fields": ("username", "password", "role", "is_active")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "role", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "full_name", "email", "role", "is_active", "last_login")
    list_filter = (RoleFilter, "is_active")
    actions = ("deactivate",)
    ordering = ("username",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:  # nobody locks themselves out
            return (*self.readonly_fields, "role", "is_active")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # deactivated instead: the history keeps naming them

    def save_model(self, request, obj, form, change):
        obj.is_staff = True  # every colleague signs in to the newsroom
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if role := form.cleaned_data.get("role"):
            user_role_set(user=form.instance, role=role)

    @admin.display(description=_("name"))
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("role"))
    def role(self, obj):
        return ROLE_LABELS.get(user_role(obj), "—")

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, _("Your own account stays active."), messages.WARNING)
        self.message_user(request, _("%(count)s account(s) deactivated.") % {"count": count})


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The roles' groups, read only: what a role may do is set by ``manage.py create_roles``."""

    list_display = ("name", "members")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("user"))

    @admin.display(description=_("members"), ordering="member_total")
    def members(self, obj):
        return obj.member_total

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
