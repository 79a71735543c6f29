# Arabic letters are the subject of these tests, not look-alikes of Latin ones.
"""POST /api/v1/alignment/: institution keys, errors as JSON, visibility."""

import uuid

import pytest
from rest_framework.test import APIClient

from institutions.models import InstitutionAPIKey
from tests.factories import InstitutionFactory, MessageFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/alignment/"


@pytest.fixture
def institution():
    return InstitutionFactory(slug="moi")


@pytest.fixture
def client(institution):
    _, raw = InstitutionAPIKey.objects.create_key(name="t", institution=institution, scopes=["read"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return api


def test_alignment_api_returns_closest_lines_coverage_and_flags(client, digital_english):
    response = client.post(
        URL,
        {
            "text": "سنطلق منصة الخدمات الحكومية الموحدة للمواطنين. استفاد ٣٠٠ ألف مواطن من المنصة في عامها الأول. "
            "لا تعليق على ميزانيه المشروع.",
            "locale": "ar",
            "message": str(digital_english.translation_key),
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    first = body["sentences"][0]
    assert first["matches"][0] | {"score": None} == {
        "message": str(digital_english.translation_key),
        "block_type": "pillar",
        "block_index": 0,
        "item_index": 0,
        "field": "talking_point",
        "line": "إطلاق منصة الخدمات الحكومية الموحدة للمواطنين",
        "version": 1,
        "locale": "ar",
        "score": None,
    }
    assert body["coverage"]["covered_count"] == 1
    assert [p["text"] for p in body["coverage"]["missing"] if p["item_index"] is not None] == [
        "تدريب الموظفين على المهارات الرقمية الحديثة",
        "نشر تقارير الأداء الفصلية للجمهور",
    ]
    assert body["lines_to_avoid"][0]["line"] == "لا تعليق على ميزانية المشروع"
    assert body["number_mismatches"][0]["draft_numbers"] == ["300"]


def test_alignment_api_without_message_reports_no_coverage(client, digital_message):
    response = client.post(URL, {"text": "منصة الخدمات الحكومية", "locale": "ar"}, format="json")

    assert response.status_code == 200
    assert response.json()["coverage"] is None


def test_alignment_api_without_key_answers_401():
    response = APIClient().post(URL, {"text": "نص", "locale": "ar"}, format="json")

    assert response.status_code == 401
    assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "", "locale": "ar"}, "text"),
        ({"text": "   ", "locale": "ar"}, "text"),
        ({"text": "؟ ... !", "locale": "ar"}, "text"),
        ({"text": "أ" * 20_001, "locale": "ar"}, "text"),
        ({"locale": "ar"}, "text"),
        ({"text": "نص", "locale": "fr"}, "locale"),
        ({"text": "نص", "locale": "ar", "message": "not-a-uuid"}, "message"),
    ],
)
def test_alignment_api_rejects_malformed_input_with_400(client, payload, field):
    response = client.post(URL, payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert body["message"].startswith(f"{field}: ")


def test_alignment_api_accepts_a_draft_of_exactly_20000_characters(client, digital_message):
    response = client.post(URL, {"text": ("منصة الخدمات. " * 1500)[:20_000], "locale": "ar"}, format="json")

    assert response.status_code == 200


def test_alignment_api_answers_404_for_a_message_the_institution_cannot_see(client, digital_message):
    elsewhere = InstitutionFactory(slug="elsewhere")
    restricted = MessageFactory.create_published(
        title="مقيدة", key_message="خطة الموانئ البحرية", audience_of=[elsewhere]
    )
    draft = MessageFactory(title="مسودة")

    for message_id in (restricted.translation_key, draft.translation_key, uuid.uuid4()):
        response = client.post(URL, {"text": "نص", "locale": "ar", "message": str(message_id)}, format="json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_alignment_api_never_matches_or_reports_an_invisible_message(client, digital_message):
    elsewhere = InstitutionFactory(slug="elsewhere")
    MessageFactory.create_published(
        title="مقيدة",
        key_message="خطة الطوارئ السرية للموانئ البحرية",
        body=[("pillar", {"title": "ركيزة", "talking_points": ["نقطة"]}), ("avoid", "خطة الطوارئ السرية")],
        audience_of=[elsewhere],
    )

    response = client.post(URL, {"text": "خطة الطوارئ السرية للموانئ البحرية", "locale": "ar"}, format="json")

    body = response.json()
    assert all(m["message"] == str(digital_message.translation_key) for s in body["sentences"] for m in s["matches"])
    assert body["lines_to_avoid"] == []


def test_alignment_api_is_described_in_the_openapi_schema():
    response = APIClient().get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    operation = response.json()["paths"]["/api/v1/alignment/"]["post"]
    assert operation["operationId"] == "alignment_check"
