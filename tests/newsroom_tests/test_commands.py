from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from timeline.models import Event

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_seed_keeps_an_editors_work_unless_forced():
    event = Event.objects.get(date="2025-08-22")
    event.title_en = "Edited by a colleague"
    event.save()
    assert "not loaded" in _run("load_seed")
    event.refresh_from_db()
    assert event.title_en == "Edited by a colleague"
    _run("load_seed", "--force")
    event.refresh_from_db()
    assert event.title_en != "Edited by a colleague"


def test_load_seed_fills_an_empty_database():
    Event.objects.all().delete()
    assert "Installed" in _run("load_seed")
    assert Event.objects.count() >= 16
    # Each item's history starts with the seed as loaded.
    from newsroom.history.versions import versions_of

    first = versions_of(Event.objects.first()).get()
    assert first.revision.comment == "Loaded from fixtures/seed.json"


def test_create_editor_prints_a_generated_password_once_and_it_works(client):
    out = _run("create_editor", "--username", "nok")
    password = out.split("not stored anywhere): ")[1].strip()
    user = get_user_model().objects.get(username="nok")
    assert user.is_staff and not user.is_superuser and user.check_password(password)
    assert user.has_perm("timeline.change_event")
    # A chief editor (the default role) keeps colleagues' accounts, never the roles' rights.
    assert user.has_perm("auth.add_user") and not user.has_perm("auth.change_group")
    assert not user.has_perm("auth.delete_user") and not user.has_perm("auth.add_permission")
    assert client.login(username="nok", password=password)


def test_create_editor_refuses_a_taken_name_unless_told_it_may_exist():
    _run("create_editor", "--username", "nok")
    with pytest.raises(CommandError, match="exists already"):
        _run("create_editor", "--username", "nok")
    hint = _run("create_editor", "--username", "nok", "--if-missing")
    # The command a newcomer can paste: only the project's Python has Django.
    assert "`.venv/bin/python manage.py changepassword nok`" in hint


def test_create_roles_makes_the_four_groups_with_their_rights():
    from django.contrib.auth.models import Group

    assert "Chief editors" in _run("create_roles")
    chief, editors = Group.objects.get(name="Chief editors"), Group.objects.get(name="Editors")
    translators = Group.objects.get(name="Translators into English")
    assert chief.permissions.filter(codename="publish_event").exists()
    assert not editors.permissions.filter(codename="publish_event").exists()
    assert editors.permissions.filter(codename="import_event").exists()
    assert not translators.permissions.filter(codename__in=["add_event", "delete_event"]).exists()
    assert Group.objects.filter(name="Translators into Thai").exists()


def test_create_editor_makes_a_translator_account():
    from django.contrib.auth import get_user_model

    from newsroom.accounts import translator_language

    _run("create_editor", "--username", "malee", "--role", "translator")
    assert translator_language(get_user_model().objects.get(username="malee")) == "en"
