"""What a reader does on the public site, with real clicks and typing in Chromium."""

import pytest
from playwright.sync_api import expect

from timeline.models import Era, Event

pytestmark = pytest.mark.django_db(transaction=True)


def _event_slugs(page):
    """The events a page lists, top to bottom."""
    hrefs = page.locator("main .event-title a").evaluate_all("links => links.map(a => a.href)")
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs]


def test_reader_opens_the_timeline_era_by_era_in_date_order(page, live_server, seeded):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/th/"

    eras = Era.objects.filter(events__isnull=False).distinct().order_by("start_year")
    assert page.locator("main .era-header h2").all_inner_texts() == [e.name_th for e in eras]
    slugs = _event_slugs(page)
    assert sorted(slugs) == sorted(Event.objects.published().values_list("slug", flat=True))
    # Within each era, in timeline order (where each sits: ``sort_start``, an unknown start
    # first, "shortly before August 2025" where August 2025 begins).
    events = {e.slug: e for e in Event.objects.select_related("era")}
    keys = [(events[s].era.start_year, events[s].sort_start) for s in slugs]
    assert keys == sorted(keys)
    assert page.console_errors == []


def test_reader_switches_from_english_to_thai_on_an_event(page, live_server, seeded):
    event = Event.objects.get(slug="russia-north-korea-mutual-defence-treaty")
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name=event.title_en).click()
    expect(page.locator("h1")).to_have_text(event.title_en)

    page.locator(".language-switcher a[hreflang=th]").click()
    expect(page).to_have_url(f"{live_server.url}/th/events/{event.slug}/")
    expect(page.locator("h1")).to_have_text(event.title_th)
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.console_errors == []


def test_reader_filters_the_timeline_by_era_and_clears_the_filter(page, live_server, seeded):
    era = Era.objects.get(slug="after-the-soviet-collapse")
    page.goto(f"{live_server.url}/en/")
    page.get_by_label("Era").select_option(label=f"{era.name_en} ({era.start_year}–{era.end_year})")
    page.get_by_role("button", name="Show events").click()

    page.wait_for_url(f"{live_server.url}/en/?era={era.slug}&topic=")
    assert page.locator("main .era-header h2").all_inner_texts() == [era.name_en]
    in_era = Event.objects.published().filter(era=era).values_list("slug", flat=True)
    assert sorted(_event_slugs(page)) == sorted(in_era)

    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert len(_event_slugs(page)) == Event.objects.published().count()
    assert page.console_errors == []


def _search(page, words):
    """Types into the header's search box and sends the form with Enter, as a reader does."""
    box = page.locator("header input[name=q]")
    box.click()
    box.press_sequentially(words)
    box.press("Enter")


@pytest.mark.parametrize(
    ("language", "words", "found"),
    [
        ("th", "อิหร่าน", "trump-orders-strikes-on-iran-nuclear-sites"),
        ("en", "Alaska", "trump-putin-alaska-meeting"),
    ],
)
def test_reader_searches_from_the_header(page, live_server, seeded, language, words, found):
    not_found = "korean-war-ends-in-truce-1953"  # says nothing of Iran or Alaska
    page.goto(f"{live_server.url}/{language}/about/")
    _search(page, words)

    page.wait_for_url(f"**/{language}/search/?q=*")
    main = page.locator("main")
    assert main.locator(f"a[href$='/{language}/events/{found}/']").count() >= 1
    assert main.locator(f"a[href$='/{language}/events/{not_found}/']").count() == 0
    assert page.console_errors == []


def test_reader_follows_a_citation_to_its_source(page, live_server, seeded):
    event = Event.objects.get(slug="north-korea-acknowledges-troops-in-kursk")
    source = event.citations.select_related("source").first().source
    page.goto(f"{live_server.url}/th/")
    page.get_by_role("link", name=event.title_th).click()
    page.wait_for_url(f"{live_server.url}{event.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(event.title_th)

    page.locator(".citation-source a").first.click()
    page.wait_for_url(f"{live_server.url}{source.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(source.title_th)
    # The source page leads back to the events that cite it.
    assert page.locator(f"main a[href='{event.get_absolute_url()}']").count() == 1
    assert page.console_errors == []


def _too_wide(page):
    """How many CSS pixels the page is wider than the screen (a sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_phone_reader_taps_through_without_scrolling_sideways(phone_page, live_server, seeded):
    event = Event.objects.get(slug="north-korea-acknowledges-troops-in-kursk")
    phone_page.goto(f"{live_server.url}/th/")
    assert _too_wide(phone_page) <= 0
    phone_page.get_by_role("link", name=event.title_th).tap()
    phone_page.wait_for_url(f"**{event.get_absolute_url()}")
    expect(phone_page.locator("h1")).to_have_text(event.title_th)
    assert _too_wide(phone_page) <= 0
    phone_page.locator(".citation-source a").first.tap()
    phone_page.wait_for_url("**/th/sources/*/")
    assert _too_wide(phone_page) <= 0  # a source page: the longest texts and addresses
    assert phone_page.console_errors == []


@pytest.mark.parametrize("language", ["th", "en"])
def test_on_a_phone_the_first_event_is_on_the_first_screen(
    phone_page, live_server, seeded, language
):
    phone_page.goto(f"{live_server.url}/{language}/")
    phone_page.screenshot(path=f"/tmp/phone-{language}.png")
    first = phone_page.locator("li.event").first.bounding_box()
    height = phone_page.viewport_size["height"]
    assert first["y"] < height - 60, f"the first event begins at {first['y']:.0f} px of {height}"


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const shift of list.getEntries()) if (!shift.hadRecentInput) total += shift.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_timeline_does_not_shift_as_its_fonts_arrive(page, live_server, seeded, language):
    # Lighthouse's mobile network ("slow 4G": 150 ms a round trip, 1.6 Mbit/s): the web
    # fonts arrive after the first paint unless the page asks for them at once.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 150,
            "downloadThroughput": 200_000,
            "uploadThroughput": 90_000,
        },
    )
    page.goto(f"{live_server.url}/{language}/", wait_until="load")
    shift = page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.1, f"cumulative layout shift {shift:.3f}"
    # Every face the page uses was there for the first paint, not a fallback (which, on a
    # machine without Thai fonts, shows boxes).
    for face in ("400 16px Sarabun", "700 16px Sarabun"):
        assert page.evaluate(f"() => document.fonts.check('{face}', 'ไทย Thai')"), face
