"""Images and documents on campaign pages: text alternatives in each language, renditions on the page and in
the API, and documents served with their extension's content type and as attachments (PDF inline)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from campaigns.models import CampaignPage
from hub.demo.loader import demo_load

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAMPAIGN = "/{lang}/campaigns/government-communication-strategy/"


def _image() -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (11, 110, 79)).save(buffer, "PNG")
    return Image.objects.create(title="hero", file=ImageFile(buffer, name="hero.png"), description="")


def _document(name: str, content: bytes) -> Document:
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def test_campaign_images_and_documents_in_both_languages(client, settings, tmp_path):
    # Served from files on disk, as in production (the in-memory storage of the test settings has no files
    # for Wagtail's document view to send).
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    demo_load()
    image = _image()
    leaflet = _document("leaflet.txt", b"<script>alert(1)</script>")
    alts = {"ar": "ملصق الحملة باللون الأخضر", "en": "The campaign poster in green"}
    links = {"ar": "النشرة", "en": "The leaflet"}
    for lang in ("ar", "en"):
        page = CampaignPage.objects.get(locale__language_code=lang)
        page.hero_image = image
        page.hero_image_alt = alts[lang]
        page.body = [
            *[(b.block_type, b.value) for b in page.body],
            ("document", {"document": leaflet, "title": links[lang]}),
        ]
        page.save_revision().publish()

    for lang in ("ar", "en"):
        html = client.get(CAMPAIGN.format(lang=lang)).content.decode()
        assert f'alt="{alts[lang]}"' in html
        assert f'<meta property="og:image:alt" content="{alts[lang]}">' in html
        assert 'property="og:image" content="http://testserver/' in html
        assert f'href="{leaflet.url}" download>{links[lang]}</a>' in html

        page = CampaignPage.objects.get(locale__language_code=lang)
        detail = client.get(f"/api/v2/pages/{page.pk}/").json()
        assert detail["hero_image_alt"] == alts[lang]
        assert (detail["hero_image"]["width"], detail["hero_image"]["height"]) == (1200, 630)
        assert (detail["hero_image_thumbnail"]["width"], detail["hero_image_thumbnail"]["height"]) == (600, 315)
        assert detail["hero_image"]["url"].endswith(".png")

    # The public images API lists the hero image (a live public page shows it), with its original's address.
    listed = client.get("/api/v2/images/").json()["items"]
    assert [item["id"] for item in listed] == [image.pk]

    served = client.get(leaflet.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "text/plain"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"

    report = _document("report.pdf", b"%PDF-1.4\n%%EOF\n")
    served = client.get(report.url)
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("inline;")


def _files_on_disk(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


MARKUP = {
    "page.html": b"<!doctype html><script>alert(document.cookie)</script>",
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
}


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_uploading_html_or_svg_as_a_document_or_an_image_is_a_form_error(client, name):
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import UserFactory

    assert Group.objects.filter(name="Communicators").exists()
    client.force_login(UserFactory(username="uploader", groups=["Communicators"]))
    upload = SimpleUploadedFile(name, MARKUP[name], content_type="application/pdf")  # the browser's claim is ignored
    response = client.post(reverse("wagtaildocs:add"), {"title": name, "file": upload, "collection": 1})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()

    upload = SimpleUploadedFile(name, MARKUP[name], content_type="image/png")
    response = client.post(reverse("wagtailimages:add"), {"title": name, "file": upload, "collection": 1})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Image.objects.exists()


def test_a_file_that_is_not_an_image_is_a_form_error_whatever_its_name(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(username="uploader", groups=["Communicators"]))
    upload = SimpleUploadedFile("poster.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(reverse("wagtailimages:add"), {"title": "poster", "file": upload, "collection": 1})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Image.objects.exists()


def test_communicators_can_upload_an_image_and_a_document(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import UserFactory

    _files_on_disk(settings, tmp_path)
    client.force_login(UserFactory(username="uploader", groups=["Communicators"]))
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 64), (11, 110, 79)).save(buffer, "PNG")
    upload = SimpleUploadedFile("poster.png", buffer.getvalue(), content_type="image/png")
    response = client.post(reverse("wagtailimages:add"), {"title": "poster", "file": upload, "collection": 1})
    assert response.status_code == 302
    upload = SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(reverse("wagtaildocs:add"), {"title": "leaflet", "file": upload, "collection": 1})
    assert response.status_code == 302
    assert Image.objects.count() == 1 and Document.objects.get().file_size == len(b"%PDF-1.4\n%%EOF\n")

    # The message and page editors' choosers list them, for communicators and for translators (who choose only).
    for user in (None, UserFactory(username="chooser", groups=["Translators"])):
        if user is not None:
            client.force_login(user)
        assert "poster" in client.get(reverse("wagtailimages_chooser:choose")).content.decode()
        assert "leaflet" in client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert client.get(reverse("wagtailimages:add")).status_code in (302, 403)


@pytest.mark.parametrize(("name", "content_type"), [("page.html", "text/html"), ("drawing.svg", "image/svg+xml")])
def test_a_markup_document_already_stored_is_never_served_inline(client, settings, tmp_path, name, content_type):
    """Uploads refuse these extensions; one stored before (or by a script) still downloads, never renders."""
    _files_on_disk(settings, tmp_path)
    document = _document(name, MARKUP[name])
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"


def test_the_media_route_serves_images_and_never_a_documents_file(rf, settings, tmp_path):
    from django.urls import Resolver404, URLResolver
    from django.urls.resolvers import RegexPattern

    from hub.urls import image_urlpatterns

    _files_on_disk(settings, tmp_path)
    image = _image()
    rendition = image.get_rendition("max-400x400")
    document = _document("page.html", MARKUP["page.html"])
    resolver = URLResolver(RegexPattern(r"^/"), image_urlpatterns())

    for url in (image.file.url, rendition.url):
        match = resolver.resolve(url)
        response = match.func(rf.get(url), *match.args, **match.kwargs)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
    for url in (f"/media/{document.file.name}", "/media/images/../documents/page.html", "/media/documents/x.pdf"):
        with pytest.raises(Resolver404):
            resolver.resolve(url)
