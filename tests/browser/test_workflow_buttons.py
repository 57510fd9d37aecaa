"""The workflow's buttons on an item's form, in Chromium: an editor submits for review; a
chief editor is refused publishing an event with no source, then publishes it, saying why."""

import pytest

from newsroom.accounts import editor_create
from newsroom.models import WorkflowLog
from tests.browser.test_accessibility import describe_violations
from tests.factories import CitationFactory, EventFactory
from timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"
AXE = """tags => axe.run('.workflow-moves', {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""


def _open_form(new_page, live_server, event, role, **options):
    editor_create(username=role, password=PASSWORD, role=role)
    page = new_page(**options)
    page.goto(f"{live_server.url}/admin/timeline/event/{event.pk}/change/")
    page.fill("#id_username", role)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".workflow-moves")
    return page


def test_an_editor_submits_a_draft_for_review_from_its_form(new_page, live_server, seeded):
    event = EventFactory(status="draft")
    CitationFactory(event=event)
    page = _open_form(new_page, live_server, event, "editor")
    assert page.get_by_role("button", name="เผยแพร่ทันที").count() == 0  # a chief's move
    page.locator("#id_workflow-reason").fill("พร้อมให้ตรวจ")
    page.get_by_role("button", name="ส่งตรวจทาน").click()
    page.wait_for_selector(".messagelist .success")
    assert Event.objects.get(pk=event.pk).status == "review"
    assert WorkflowLog.objects.get(object_id=event.pk).reason == "พร้อมให้ตรวจ"
    assert page.console_errors == []


def test_a_chief_editor_publishes_an_event_with_no_source_only_by_saying_why(
    new_page, live_server, seeded
):
    event = EventFactory(status="draft")
    page = _open_form(new_page, live_server, event, "chief")
    assert page.locator(".workflow-moves .errornote").count() == 1  # warned before pressing
    page.get_by_role("button", name="เผยแพร่ทันที").click()
    page.wait_for_selector(".messagelist .error")
    assert Event.objects.get(pk=event.pk).status == "draft"

    page.locator("#id_workflow-without_source").check()
    page.locator("#id_workflow-reason").fill("แถลงการณ์ทางการ ยังไม่มีลิงก์")
    page.get_by_role("button", name="เผยแพร่ทันที").click()
    page.wait_for_selector(".messagelist .success")
    assert Event.objects.get(pk=event.pk).status == "published"
    log = WorkflowLog.objects.get(object_id=event.pk)
    assert log.reason.endswith("แถลงการณ์ทางการ ยังไม่มีลิงก์") and log.by.username == "chief"


@pytest.mark.parametrize("locale", ["th-TH", "en-US"])
def test_the_workflow_buttons_pass_axe(new_page, live_server, seeded, locale):
    from tests.browser.test_accessibility import AXE_JS, AXE_TAGS

    event = EventFactory(status="draft")
    page = _open_form(new_page, live_server, event, "chief", locale=locale, bypass_csp=True)
    page.add_script_tag(path=str(AXE_JS))
    report = describe_violations(
        f"workflow buttons ({locale})", page.evaluate(AXE, AXE_TAGS)["violations"]
    )
    if report:
        pytest.fail("axe-core violations:\n" + "\n".join(report), pytrace=False)
