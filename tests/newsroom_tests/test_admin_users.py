"""The newsroom's accounts in the admin: a chief editor adds a colleague with a role, changes
a role, resets a password, deactivates; editors and translators neither see nor reach it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from newsroom.accounts import ROLE_GROUPS, editor_create, user_role
from tests.forms import form_data

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSPHRASE = "a-long-test-passphrase"


def _post_form(client, url, changes):
    page = client.get(url)
    assert page.status_code == 200, url
    data = {**form_data(page.content.decode(), "user_form"), **changes}
    return client.post(url, data)


def test_a_chief_editor_adds_a_colleague_with_a_role_who_can_then_sign_in(chief_client):
    response = _post_form(
        chief_client,
        "/admin/auth/user/add/",
        {
            "username": ["nok"],
            "role": ["translator-th"],
            "password1": ["ขอบฟ้า-" + PASSPHRASE],
            "password2": ["ขอบฟ้า-" + PASSPHRASE],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    nok = User.objects.get(username="nok")
    assert nok.is_staff and nok.is_active and not nok.is_superuser
    assert [g.name for g in nok.groups.all()] == [ROLE_GROUPS["translator-th"]]
    colleague = Client()
    assert colleague.login(username="nok", password="ขอบฟ้า-" + PASSPHRASE)
    assert colleague.get("/admin/timeline/event/").status_code == 200


def test_a_weak_password_is_refused_with_a_message_and_nobody_is_added(chief_client):
    response = _post_form(
        chief_client,
        "/admin/auth/user/add/",
        {"username": ["nok"], "role": ["editor"], "password1": ["123"], "password2": ["123"]},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not User.objects.filter(username="nok").exists()


def test_a_chief_editor_changes_a_role_and_the_colleague_has_exactly_that_one(chief_client):
    colleague, _password = editor_create(username="dao", password=PASSPHRASE, role="translator")
    response = _post_form(
        chief_client, f"/admin/auth/user/{colleague.pk}/change/", {"role": ["chief"]}
    )
    assert response.status_code == 302
    assert user_role(colleague) == "chief"
    assert colleague.groups.count() == 1
    colleague = User.objects.get(pk=colleague.pk)  # permissions are cached on the instance
    assert colleague.has_perm("timeline.publish_event")


def test_a_chief_editor_resets_a_password_with_djangos_form(chief_client):
    colleague, _password = editor_create(username="dao", password=PASSPHRASE, role="editor")
    new = "ฝนตกหนัก-another-long-passphrase"
    response = _post_form(
        chief_client,
        f"/admin/auth/user/{colleague.pk}/password/",
        {"password1": [new], "password2": [new]},
    )
    assert response.status_code == 302
    assert Client().login(username="dao", password=new)
    assert not Client().login(username="dao", password=PASSPHRASE)


def test_a_chief_editor_deactivates_never_deletes_and_never_themself(chief_client, chief):
    colleague, _password = editor_create(username="dao", password=PASSPHRASE, role="editor")
    response = chief_client.post(
        "/admin/auth/user/",
        {"action": "deactivate", "_selected_action": [colleague.pk, chief.pk]},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    chief.refresh_from_db()
    assert not colleague.is_active and chief.is_active
    assert not Client().login(username="dao", password=PASSPHRASE)
    assert chief_client.get(f"/admin/auth/user/{colleague.pk}/delete/").status_code == 403
    assert "delete_selected" not in chief_client.get("/admin/auth/user/").content.decode()


def test_a_chief_editor_cannot_reach_a_superuser_account(chief_client):
    root = User.objects.create_superuser("root-admin", password=PASSPHRASE)
    assert "root-admin" not in chief_client.get("/admin/auth/user/").content.decode()
    assert chief_client.get(f"/admin/auth/user/{root.pk}/password/").status_code == 404
    change = chief_client.get(f"/admin/auth/user/{root.pk}/change/")
    assert change.status_code == 302  # Django's "does not exist" redirect to the index


def test_the_roles_are_shown_read_only(chief_client):
    editor_create(username="dao", password=PASSPHRASE, role="editor")
    page = chief_client.get("/admin/auth/group/")
    assert page.status_code == 200 and ROLE_GROUPS["editor"] in page.content.decode()
    assert chief_client.get("/admin/auth/group/add/").status_code == 403


@pytest.mark.parametrize("role", ["editor", "translator", "translator-th"])
def test_editors_and_translators_neither_see_nor_reach_the_accounts(role):
    user, _password = editor_create(username=f"someone-{role}", password=PASSPHRASE, role=role)
    client = Client()
    client.force_login(user)
    index = client.get("/admin/").content.decode()
    assert "/admin/auth/user/" not in index and "/admin/auth/" not in index
    for url in ("/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/admin/auth/user/{user.pk}/password/").status_code == 403
