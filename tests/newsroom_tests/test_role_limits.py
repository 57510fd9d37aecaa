"""The roles' limits as the README states them, tried with real POSTs: deleting what readers
see is the chief editor's (with a reason kept in the history), translators make no
workflow moves and confirm only their own language, and wrong passwords are limited."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from newsroom.accounts import editor_create
from newsroom.models import FailedLogin, Source, Status, TranslationState
from timeline.models import Event

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def _client_of(role: str, username: str) -> Client:
    user, _password = editor_create(username=username, password="a-long-test-passphrase", role=role)
    client = Client()
    client.force_login(user)
    return client


def _delete_url(item) -> str:
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[item.pk])


def _changelist(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


# Deleting what readers see ------------------------------------------------------------------


@pytest.mark.parametrize("model", [Event, Source], ids=["event", "source"])
def test_an_editor_may_not_delete_a_published_item(editor_client, model):
    item = model.objects.filter(status=Status.PUBLISHED).first()
    assert editor_client.get(_delete_url(item), headers=EN).status_code == 403
    assert editor_client.post(_delete_url(item), {"post": "yes"}, headers=EN).status_code == 403
    response = editor_client.post(
        _changelist(model),
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
        headers=EN,
    )
    assert response.status_code in (200, 302, 403)
    assert model.objects.filter(pk=item.pk).exists()


def test_an_editor_may_delete_a_draft(editor_client):
    draft = Event.objects.filter(status=Status.PUBLISHED).first()
    Event.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    response = editor_client.post(_delete_url(draft), {"post": "yes"}, headers=EN)
    assert response.status_code == 302
    assert not Event.objects.filter(pk=draft.pk).exists()


def test_a_chief_deletes_a_published_event_with_a_reason_kept_to_recover_it(chief_client):
    item = Event.objects.filter(status=Status.PUBLISHED).first()
    page = chief_client.get(_delete_url(item), headers=EN).content.decode()
    assert 'name="reason"' in page
    data = {"post": "yes", "reason": "A duplicate of another event"}
    assert chief_client.post(_delete_url(item), data, headers=EN).status_code == 302
    assert not Event.objects.filter(pk=item.pk).exists()
    kept = Version.objects.get_deleted(Event).get(object_id=str(item.pk))
    assert kept.revision.comment == "Deleted: A duplicate of another event"


# Translators --------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["make_review", "make_draft"])
def test_a_translator_makes_no_workflow_move(translator_client, action):
    event = Event.objects.filter(status=Status.PUBLISHED).first()
    start = Status.DRAFT if action == "make_review" else Status.REVIEW
    Event.objects.filter(pk=event.pk).update(status=start)
    translator_client.post(
        _changelist(Event), {"action": action, "_selected_action": [event.pk]}, headers=EN
    )
    assert Event.objects.get(pk=event.pk).status == start


def _confirmed(event, language: str) -> bool:
    return TranslationState.objects.filter(
        content_type=ContentType.objects.get_for_model(Event),
        object_id=event.pk,
        language=language,
        stale=False,
        confirmed_at__isnull=False,
    ).exists()


def test_a_translator_into_thai_may_not_confirm_the_english(db):
    client = _client_of("translator-th", "somsri")
    event = Event.objects.filter(status=Status.PUBLISHED).first()
    TranslationState.objects.filter(object_id=event.pk).delete()
    client.post(
        _changelist(Event),
        {"action": "confirm_translation", "_selected_action": [event.pk]},
        headers=EN,
    )
    assert not _confirmed(event, "en")


def test_a_translator_into_english_confirms_the_english(translator_client):
    event = Event.objects.filter(status=Status.PUBLISHED).first()
    TranslationState.objects.filter(object_id=event.pk).delete()
    translator_client.post(
        _changelist(Event),
        {"action": "confirm_translation", "_selected_action": [event.pk]},
        headers=EN,
    )
    assert _confirmed(event, "en")


# Signing in ---------------------------------------------------------------------------------


def _sign_in(client, password: str, next_url: str = "/admin/"):
    return client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": "test-editor", "password": password, "next": next_url},
        headers=EN,
    )


def test_wrong_passwords_pause_signing_in_even_with_the_right_one(editor, settings):
    client = Client()
    for _attempt in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        assert _sign_in(client, "not-the-password").status_code == 200
    response = _sign_in(client, "a-long-test-passphrase")
    assert response.status_code == 200  # the form again, not signed in
    assert "Too many wrong passwords" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    FailedLogin.objects.update(at="2000-01-01T00:00:00Z")  # the pause is over
    assert _sign_in(client, "a-long-test-passphrase").status_code == 302
    assert not FailedLogin.objects.filter(username="test-editor").exists()


def test_a_refused_next_leads_to_the_admin(editor):
    response = _sign_in(Client(), "a-long-test-passphrase", next_url="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
