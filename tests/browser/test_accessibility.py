"""Accessibility of the public site in a real browser: axe-core (installed from npm by `make browser-deps`) on
every kind of public page in Arabic and English, at desktop width and at 390 px, and on each step of the e-mail
subscription flow. No serious or critical violation is allowed; colour contrast is one of the rules axe runs.
The skip link is the first stop of the keyboard and moves focus to the content; focus then follows the order of
the page, with a visible focus indicator at every stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hub.demo.loader import demo_load
from messaging.models import Message
from subscriptions.enums import Frequency, TargetKind
from subscriptions.models import Subscription
from subscriptions.tokens import confirm_token, unsubscribe_token
from tests.browser.conftest import _unavailable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
CAMPAIGN = "/{lang}/campaigns/government-communication-strategy/"
BLOCKING = ("serious", "critical")
SEARCH_WORD = {"ar": "%D8%A7%D9%84%D8%AA%D9%88%D8%A7%D8%B5%D9%84", "en": "communication"}


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        _unavailable("axe-core is not installed: run `make browser-deps` (npm ci in tests/browser)")
    return AXE.read_text()


@pytest.fixture
def demo() -> None:
    demo_load()


def _audit(page: Any, axe_source: str) -> dict[str, Any]:
    page.evaluate(axe_source)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return {
                violations: result.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)})),
                incomplete: result.incomplete.map(r => r.id),
                ran: [...result.passes, ...result.violations, ...result.incomplete, ...result.inapplicable]
                    .map(r => r.id),
            };
        }"""
    )


# axe-core leaves Arabic text out of its colour-contrast rule: its icon-ligature heuristic takes joined Arabic
# letters for an icon font, so the rule is "inapplicable" on Arabic text. This WCAG 2 computation covers every
# visible text in either language: text colour against the first opaque background behind it, 4.5:1, or 3:1 for
# large text (24 px, or 18.66 px bold).
CONTRAST = """() => {
    const rgb = value => (value.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map(c => { c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const background = el => { for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] === 1) return c; }
        return [255, 255, 255]; };
    const failures = [];
    for (const el of document.body.querySelectorAll("*")) {
        const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
        const box = el.getBoundingClientRect();
        if (!text || box.width === 0 || box.height === 0 || box.right < 0 || box.bottom < 0) continue;
        const style = getComputedStyle(el);
        if (style.visibility === "hidden" || style.display === "none") continue;
        const [fg, bg] = [luminance(rgb(style.color)), luminance(background(el))];
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
        const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        if (ratio < needed) failures.push({text: text.slice(0, 40), ratio: Math.round(ratio * 100) / 100});
    }
    return failures;
}"""


def _assert_accessible(page: Any, axe_source: str, where: str) -> None:
    result = _audit(page, axe_source)
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], f"{where}: {blocking}"
    assert "color-contrast" in result["ran"]
    assert page.evaluate(CONTRAST) == [], where


def _public_paths(lang: str) -> list[str]:
    message = Message.objects.filter(locale__language_code=lang, is_public=True, live=True).first()
    return [
        f"/{lang}/",
        f"/{lang}/campaigns/",
        CAMPAIGN.format(lang=lang),
        f"/{lang}/messages/{message.translation_key}/",
        f"/{lang}/search/?q={SEARCH_WORD[lang]}",
        f"/{lang}/subscriptions/campaign/{message.campaign.translation_key}/",
    ]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_public_pages_have_no_serious_accessibility_violations(browser_context, demo, axe_source, lang):
    paths = _public_paths(lang)
    for name, viewport in WIDTHS.items():
        context = browser_context(locale=lang)
        page = context.new_page()
        page.set_viewport_size(viewport)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            assert page.get_attribute("html", "lang") == lang
            assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
            _assert_accessible(page, axe_source, f"{path} at {name}")
            # Nothing scrolls sideways at 390 px.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_keyboard_reaches_skip_link_first_and_focus_follows_the_page(browser_context, demo, lang):
    page = browser_context(locale=lang).new_page()
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(CAMPAIGN.format(lang=lang))
    page.keyboard.press("Tab")
    skip = page.evaluate(
        """() => { const el = document.activeElement; const box = el.getBoundingClientRect();
            return {cls: el.className, href: el.getAttribute("href"), visible: box.width > 0 && box.height > 0
                && box.left >= 0 && box.right <= window.innerWidth && box.top >= 0}; }"""
    )
    assert skip == {"cls": "skip-link", "href": "#main", "visible": True}
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # From the top, Tab visits the focusable elements in document order, each with a visible indicator.
    page.goto(CAMPAIGN.format(lang=lang))
    expected = page.evaluate(
        """() => [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
            .filter(el => el.tabIndex >= 0 && el.getClientRects().length > 0).map(el => el.outerHTML)"""
    )
    assert page.evaluate("[...document.querySelectorAll('[tabindex]')].every(el => el.tabIndex <= 0)")
    visited = []
    for _ in range(min(len(expected), 12)):
        page.keyboard.press("Tab")
        visited.append(
            page.evaluate(
                """() => { const el = document.activeElement; const style = getComputedStyle(el);
                    return {html: el.outerHTML, outline: style.outlineStyle !== "none"
                        && parseFloat(style.outlineWidth) >= 2}; }"""
            )
        )
    assert [stop["html"] for stop in visited] == expected[: len(visited)]
    assert all(stop["outline"] for stop in visited), [stop["html"] for stop in visited if not stop["outline"]]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_subscription_flow_is_accessible_and_usable_by_keyboard(browser_context, demo, axe_source, lang):
    message = Message.objects.filter(locale__language_code=lang, is_public=True, live=True).first()
    page = browser_context(locale=lang).new_page()
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(CAMPAIGN.format(lang=lang))
    page.click(f"a[href='/{lang}/subscriptions/campaign/{message.campaign.translation_key}/']")
    _assert_accessible(page, axe_source, "subscribe form")

    # A wrong address is reported next to its field, and the page stays accessible.
    page.fill("input[name=email]", "not-an-address")
    page.keyboard.press("Enter")
    page.wait_for_selector("input[aria-invalid=true]")
    _assert_accessible(page, axe_source, "subscribe form with an error")

    page.fill("input[name=email]", "reader@example.org")
    page.check("input[name=frequency][value=daily]")
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/subscriptions/pending/")
    _assert_accessible(page, axe_source, "check your inbox")

    subscription = Subscription.objects.get(email="reader@example.org")
    assert (subscription.target_kind, subscription.frequency) == (TargetKind.CAMPAIGN, Frequency.DAILY)
    page.goto(f"/{lang}/subscriptions/confirm/{confirm_token(subscription)}/")
    _assert_accessible(page, axe_source, "confirm")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=status]")
    _assert_accessible(page, axe_source, "confirmed")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    page.goto(f"/{lang}/subscriptions/unsubscribe/{unsubscribe_token(subscription)}/")
    _assert_accessible(page, axe_source, "unsubscribe")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=status]")
    _assert_accessible(page, axe_source, "unsubscribed")
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


IMAGE_ALT = {"ar": "ملصق الحملة: شعار التواصل الحكومي على خلفية خضراء", "en": "Campaign poster: the logo on green"}


@pytest.fixture
def demo_with_images(demo, settings, tmp_path) -> Any:
    """The demo campaign page with a hero image, and a public demo message with an image and a document in each
    language, released through the approval workflow; images served from files, as in production. Gives the
    message's id."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    from campaigns.models import CampaignPage
    from tests.factories import lifecycle_people, release

    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.ROOT_URLCONF = "tests.browser.media_urls"
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (11, 110, 79)).save(buffer, "PNG")
    image = Image.objects.create(title="poster", file=ImageFile(buffer, name="poster.png"))
    leaflet = Document.objects.create(title="leaflet", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="leaflet.pdf"))
    source = Message.objects.filter(locale__language_code="ar", is_public=True, live=True).first()
    people = lifecycle_people()
    for lang in ("ar", "en"):
        page = CampaignPage.objects.get(locale__language_code=lang)
        page.hero_image, page.hero_image_alt = image, IMAGE_ALT[lang]
        page.save_revision().publish()
        message = source if lang == "ar" else source.get_translations().get(locale__language_code=lang)
        message.media = [
            ("image", {"image": image, "alt_text": IMAGE_ALT[lang], "caption": ""}),
            ("document", {"document": leaflet, "title": {"ar": "النشرة", "en": "The leaflet"}[lang]}),
        ]
        message.change_note = {"ar": "إضافة صورة ونشرة", "en": "An image and a leaflet"}[lang]
        message.save_revision(user=people["author"])
        release(message, people=people)
    return source.translation_key


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_pages_with_images_have_no_serious_accessibility_violations(
    browser_context, demo_with_images, axe_source, lang
):
    for name, viewport in WIDTHS.items():
        page = browser_context(locale=lang).new_page()
        page.set_viewport_size(viewport)
        for path in (CAMPAIGN.format(lang=lang), f"/{lang}/messages/{demo_with_images}/"):
            assert page.goto(path).status == 200, path
            images = page.evaluate(
                """() => [...document.querySelectorAll("main img")].map(img => ({alt: img.alt,
                    loaded: img.complete && img.naturalWidth > 0, fits: img.getBoundingClientRect().width
                    <= document.documentElement.clientWidth}))"""
            )
            assert images == [{"alt": IMAGE_ALT[lang], "loaded": True, "fits": True}], f"{path} at {name}"
            _assert_accessible(page, axe_source, f"{path} with an image at {name}")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path


def test_audit_reports_what_it_must_refuse(browser_context, demo, axe_source):
    """The checks themselves can fail: an image without a text alternative, added to a real page, is a critical
    axe violation, and Arabic text of too little contrast is caught by the contrast check."""
    page = browser_context(locale="ar").new_page()
    page.goto("/ar/campaigns/")
    page.evaluate(
        """() => { const main = document.getElementById("main");
            main.insertAdjacentHTML("beforeend",
                '<p id="faint">نص باهت</p><img src="/static/hub/none.png">');
            // Through the CSSOM: the site's Content Security Policy refuses style attributes in markup.
            const faint = document.getElementById("faint");
            faint.style.color = "#cfcfcf"; faint.style.background = "#ffffff"; }"""
    )
    result = _audit(page, axe_source)
    blocking = {v["id"] for v in result["violations"] if v["impact"] in BLOCKING}
    assert "image-alt" in blocking
    assert page.evaluate(CONTRAST) == [{"text": "نص باهت", "ratio": 1.56}]
