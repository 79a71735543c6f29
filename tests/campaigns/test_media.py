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
