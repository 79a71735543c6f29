"""Images and documents on messages: text alternatives translated with the message, renditions in the institution
API, the public read API and the public page, and changes to them reviewed like any other edit."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.test.utils.form_data import streamfield

from hub.localization import translation_sync
from messaging.models import Message
from tests.factories import MessageFactory, release
from tests.messaging.admin_forms import message_form
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db

ALT = {"ar": "ملصق الحملة باللون الأخضر", "en": "The campaign poster in green"}
CAPTION = {"ar": "الملصق الرسمي", "en": "The official poster"}
LINK = {"ar": "نشرة الرسالة", "en": "The message leaflet"}
STRINGS = {
    "رسالة بالصور": "Message with images",
    "رسائل حكومية متسقة عبر توجه موحد": "Consistent government messages through one direction",
    "الركيزة الأولى": "First pillar",
    "نقطة حوار أولى": "First talking point",
    "ما الهدف؟": "What is the aim?",
    "رسائل متسقة من توجه موحد.": "Consistent messages from a unified direction.",
    "عقد اللقاء العاشر للتواصل الحكومي.": "The tenth Government Communication Meeting was held.",
    "خبر": "News item",
    "لا نعد بنتائج قبل الاعتماد الرسمي": "We promise no results before official approval",
    ALT["ar"]: ALT["en"],
    CAPTION["ar"]: CAPTION["en"],
    LINK["ar"]: LINK["en"],
}


def image_file(name: str = "poster.png", size: tuple[int, int] = (1600, 900)) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (11, 110, 79)).save(buffer, "PNG")
    return Image.objects.create(title=name, file=ImageFile(buffer, name=name))


def document_file(name: str = "leaflet.pdf", content: bytes = b"%PDF-1.4\n%%EOF\n") -> Document:
    document = Document(title=name, file=ContentFile(content, name=name))
    document._set_document_file_metadata()  # as the admin's upload form does
    document.save()
    return document


def media(image: Image, document: Document, *, alt: str = ALT["ar"]) -> list:
    return [
        ("image", {"image": image, "alt_text": alt, "caption": CAPTION["ar"]}),
        ("document", {"document": document, "title": LINK["ar"]}),
    ]


def bilingual_with_media(translator) -> tuple[Message, Message, Image, Document]:
    """A public message with an image and a document, live in Arabic and English (the English text alternative
    translated through wagtail-localize, as the translator does)."""
    image, document = image_file(), document_file()
    source = MessageFactory(title="رسالة بالصور", topic__name="موضوع", media=media(image, document))
    translation_sync(source.topic, language_code="en", strings={"موضوع": "Topic"})
    english = translation_sync(source, language_code="en", strings=STRINGS, user=translator)
    release(english)  # approved; waits for its source
    source = release(source, before_translation=False)
    english = Message.objects.get(pk=english.pk)
    assert source.live and english.live
    return source, english, image, document


def _img_alts(html: str) -> list[str]:
    return re.findall(r'<img [^>]*alt="([^"]*)"', html)


@pytest.fixture
def api(institutions):
    return client_for(issue_key(institutions[0]))


def test_translation_carries_the_english_text_alternative_and_the_same_image(translator):
    source, english, image, document = bilingual_with_media(translator)
    (picture, leaflet) = list(english.media)
    assert picture.value["image"] == image and picture.value["alt_text"] == ALT["en"]
    assert picture.value["caption"] == CAPTION["en"]
    assert leaflet.value["document"] == document and leaflet.value["title"] == LINK["en"]
    assert next(iter(source.media)).value["alt_text"] == ALT["ar"]


def test_institution_api_gives_renditions_and_text_alternatives_in_each_language(api, translator, settings):
    settings.TAWASUL_PUBLIC_BASE_URL = "https://tawasul.example"
    source, _, _, document = bilingual_with_media(translator)

    detail = api.get(f"/api/v1/messages/{source.translation_key}/").json()
    for lang in ("ar", "en"):
        picture, leaflet = detail["translations"][lang]["media"]
        assert picture["type"] == "image" and picture["alt"] == ALT[lang] and picture["caption"] == CAPTION[lang]
        assert (picture["width"], picture["height"]) == (1600, 900)
        large, thumbnail = picture["renditions"]["large"], picture["renditions"]["thumbnail"]
        assert (large["width"], large["height"]) == (1200, 675)
        assert (thumbnail["width"], thumbnail["height"]) == (400, 300)
        for rendition in (large, thumbnail):
            assert rendition["url"].startswith("https://tawasul.example/media/images/")
            assert default_storage.exists(rendition["url"].removeprefix("https://tawasul.example/media/"))
        assert leaflet == {
            "type": "document",
            "id": leaflet["id"],
            "title": LINK[lang],
            "url": f"https://tawasul.example/documents/{document.pk}/{document.filename}",
            "filename": document.filename,
            "content_type": "application/pdf",
            "size": len(b"%PDF-1.4\n%%EOF\n"),
        }

    listed = api.get("/api/v1/messages/?locale=en").json()["results"]
    assert [item["alt"] for item in listed[0]["translations"]["en"]["media"] if item["type"] == "image"] == [ALT["en"]]
    changes = api.get("/api/v1/changes/").json()["results"]
    assert any(c["message"] and c["message"]["translations"][c["locale"]]["media"] for c in changes)


def _query_count(client, url: str) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def test_a_message_without_media_costs_the_api_no_media_query(api):
    MessageFactory.create_published()
    api.get("/api/v1/me/")  # draws the API state token and verifies the key
    _, queries = _query_count(api, "/api/v1/messages/?locale=ar&page_size=5")
    assert not [sql for sql in queries if "wagtailimages" in sql or "wagtaildocs" in sql]


def test_media_cost_the_api_the_same_queries_whatever_the_number_of_messages(api, django_capture_on_commit_callbacks):
    def published_with_media() -> None:
        MessageFactory.create_published(media=media(image_file(), document_file()))

    published_with_media()
    api.get("/api/v1/messages/?locale=ar")  # renditions are made on first read
    api.get("/api/v1/me/")
    with django_capture_on_commit_callbacks(execute=True):
        one, _ = _query_count(api, "/api/v1/messages/?locale=ar&page_size=5")
    for _ in range(3):
        published_with_media()
    api.get("/api/v1/messages/?locale=ar")
    api.get("/api/v1/me/")
    with django_capture_on_commit_callbacks(execute=True):
        four, queries = _query_count(api, "/api/v1/messages/?locale=ar&page_size=5")
    assert one == four
    assert len([sql for sql in queries if 'FROM "wagtailimages_image"' in sql]) == 1


def test_a_deleted_image_leaves_the_rest_of_the_message(api, translator):
    source, _, image, _ = bilingual_with_media(translator)
    image.delete()
    detail = api.get(f"/api/v1/messages/{source.translation_key}/").json()
    assert [item["type"] for item in detail["translations"]["ar"]["media"]] == ["document"]
    html = _public(source, "ar")
    assert _img_alts(html) == []


def _public(message: Message, lang: str) -> str:
    from django.test import Client

    response = Client().get(f"/{lang}/messages/{message.translation_key}/")
    assert response.status_code == 200
    return response.content.decode()


def test_public_page_shows_each_image_with_its_text_alternative_in_each_language(translator):
    source = bilingual_with_media(translator)[0]
    for lang in ("ar", "en"):
        html = _public(source, lang)
        assert _img_alts(html) == [ALT[lang]]
        assert f"<figcaption>{CAPTION[lang]}</figcaption>" in html
        assert re.search(rf'<a href="/documents/\d+/leaflet[^"]*\.pdf" download>{LINK[lang]}</a>', html)
        assert f'<meta property="og:image:alt" content="{ALT[lang]}">' in html
        assert 'property="og:image" content="http://testserver/media/images/' in html


def test_public_read_api_gives_a_campaigns_messages_with_their_media(translator):
    from django.test import Client

    from hub.demo.loader import demo_load

    demo_load()
    from campaigns.models import CampaignPage

    source, _, _, _ = bilingual_with_media(translator)
    for lang in ("ar", "en"):
        campaign = CampaignPage.objects.get(locale__language_code=lang)
        Message.objects.filter(translation_key=source.translation_key, locale__language_code=lang).update(
            campaign=campaign
        )
        detail = Client().get(f"/api/v2/pages/{campaign.pk}/").json()
        (carried,) = [m for m in detail["public_key_messages"] if m["title"] in ("رسالة بالصور", "Message with images")]
        picture, leaflet = carried["media"]
        assert picture["alt"] == ALT[lang] and picture["renditions"]["thumbnail"]["width"] == 400
        assert leaflet["title"] == LINK[lang] and leaflet["content_type"] == "application/pdf"


def _edit_url(message: Message) -> str:
    return reverse("wagtailsnippets_messaging_message:edit", args=[message.pk])


def _edit_form(message: Message, media_blocks: list, **fields) -> dict:
    values = {"title": message.title, "is_public": "on", "change_note": "صورة جديدة", **fields}
    return message_form(topic=message.topic_id, owner=message.owner_id, media=streamfield(media_blocks), **values)


def test_changing_a_live_messages_image_in_the_admin_waits_for_two_approvals(client, communicator, translator):
    source, _, _, document = bilingual_with_media(translator)
    replacement = image_file("replacement.png", (800, 800))
    client.force_login(communicator)
    new_alt = "صورة بديلة للملصق"
    response = client.post(
        _edit_url(source),
        _edit_form(
            source,
            [
                ("image", {"image": replacement.pk, "alt_text": new_alt, "caption": ""}),
                ("document", {"document": document.pk, "title": LINK["ar"]}),
            ],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    source = Message.objects.get(pk=source.pk)
    assert next(iter(source.latest_revision.as_object().media)).value["alt_text"] == new_alt
    # The live row, the public page and the API still show the approved image.
    assert next(iter(source.media)).value["alt_text"] == ALT["ar"]
    assert _img_alts(_public(source, "ar")) == [ALT["ar"]]

    source = release(source)  # submitted, then approved by two people other than its author
    assert next(iter(source.media)).value["image"] == replacement
    assert _img_alts(_public(source, "ar")) == [new_alt]


@pytest.mark.parametrize(
    ("block", "error"),
    [
        ({"image": 999_999, "alt_text": "صورة", "caption": ""}, "image"),
        ({"image": None, "alt_text": "", "caption": ""}, "alt_text"),
    ],
)
def test_submitting_an_image_without_a_text_alternative_or_a_missing_image_is_a_form_error(
    client, communicator, block, error
):
    message = MessageFactory()
    if block["image"] is None:
        block = {**block, "image": image_file().pk}
    revisions = message.revisions.count()
    client.force_login(communicator)
    data = _edit_form(message, [("image", block)], change_note="")
    response = client.post(_edit_url(message), {**data, "action-submit": "on"})
    assert response.status_code == 200
    errors = response.context["form"].errors["media"].as_data()[0]
    assert error in errors.block_errors[0].block_errors  # the image block's field
    assert message.revisions.count() == revisions
    assert Message.objects.get(pk=message.pk).current_workflow_state is None


def _png(size: tuple[int, int] = (300, 200)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_file_of_an_image_or_document_a_message_uses_cannot_be_replaced(client, communicator, translator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, _, image, document = bilingual_with_media(translator)
    Image.objects.filter(pk=image.pk).update(uploaded_by_user=communicator)
    Document.objects.filter(pk=document.pk).update(uploaded_by_user=communicator)
    client.force_login(communicator)

    upload = SimpleUploadedFile("other.png", _png(), content_type="image/png")
    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]), {"title": "poster", "file": upload, "collection": 1}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert Image.objects.get(pk=image.pk).file.name == image.file.name

    upload = SimpleUploadedFile("other.pdf", b"%PDF-1.4\n%other\n", content_type="application/pdf")
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]), {"title": "leaflet", "file": upload, "collection": 1}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert Document.objects.get(pk=document.pk).file.name == document.file.name

    # The title may change; and an image nothing uses may take a new file.
    response = client.post(reverse("wagtailimages:edit", args=[image.pk]), {"title": "poster 2", "collection": 1})
    assert response.status_code == 302 and Image.objects.get(pk=image.pk).title == "poster 2"
    unused = image_file("unused.png")
    Image.objects.filter(pk=unused.pk).update(uploaded_by_user=communicator)
    upload = SimpleUploadedFile("other.png", _png(), content_type="image/png")
    response = client.post(
        reverse("wagtailimages:edit", args=[unused.pk]), {"title": "unused", "file": upload, "collection": 1}
    )
    assert response.status_code == 302
    assert Image.objects.get(pk=unused.pk).width == 300


def test_public_images_api_lists_only_images_public_content_shows(client, translator, institutions):
    shown = bilingual_with_media(translator)[2]
    draft_only = image_file("draft.png")
    MessageFactory(media=[("image", {"image": draft_only, "alt_text": "مسودة", "caption": ""})])
    restricted = image_file("restricted.png")
    MessageFactory.create_published(
        audience_of=[institutions[1]], media=[("image", {"image": restricted, "alt_text": "مقيدة", "caption": ""})]
    )

    listed = client.get("/api/v2/images/").json()["items"]
    assert [item["id"] for item in listed] == [shown.pk]
    assert client.get(f"/api/v2/images/{shown.pk}/").status_code == 200
    assert client.get(f"/api/v2/images/{draft_only.pk}/").status_code == 404
    assert client.get(f"/api/v2/images/{restricted.pk}/").status_code == 404


def test_the_editors_preview_shows_the_image_with_its_text_alternative(client, communicator):
    message = MessageFactory()
    image = image_file()
    client.force_login(communicator)
    preview = reverse("wagtailsnippets_messaging_message:preview_on_edit", args=[message.pk])
    data = _edit_form(message, [("image", {"image": image.pk, "alt_text": "صورة للمعاينة", "caption": ""})])
    assert client.post(preview, data).json()["is_valid"]
    html = client.get(preview).content.decode()
    assert _img_alts(html) == ["صورة للمعاينة"]
