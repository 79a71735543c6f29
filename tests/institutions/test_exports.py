"""Spreadsheet downloads are safe to open (OWASP CSV injection), readable in Excel (UTF-8 BOM) and give times in
the site's time zone to the second: the compliance reports and the messages listing."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hub.exports import formula_neutralised
from institutions.ledger import Acknowledgement
from messaging.models import Message
from tests.factories import InstitutionFactory, MessageFactory
from tests.institutions.test_compliance import acknowledge, deliver
from tests.institutions.test_reports import login

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def leader(client):
    return login(client, "leader", ["Approvers"])  # in English


def test_formula_neutralised_prefixes_formula_triggers_only():
    assert [formula_neutralised(value) for value in FORMULAS] == ["'" + value for value in FORMULAS]
    assert formula_neutralised("وزارة الداخلية") == "وزارة الداخلية"
    assert formula_neutralised("a=b") == "a=b"
    assert formula_neutralised(-5) == -5  # numbers stay numbers


def test_compliance_csv_neutralises_institution_names_that_look_like_formulas(client, leader):
    for index, name in enumerate(FORMULAS):
        InstitutionFactory(slug=f"evil-{index}", name_en=name)
    MessageFactory.create_published()
    rows = _csv(leader.get(reverse("tawasul_reports:compliance"), {"export": "csv"}))
    names = {row[0] for row in rows[1:]}
    assert {"'" + name for name in FORMULAS} <= names
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_reach_csv_neutralises_acknowledgers_names_and_writes_local_times_to_the_second(leader):
    institution = InstitutionFactory(slug="moi", name_en="MOI")
    message = MessageFactory.create_published()
    deliver(institution, message)
    acknowledge(institution, message, 1)
    Acknowledgement.objects.update(acknowledged_by='=cmd|" /C calc"!A0', note="@note")
    ack = Acknowledgement.objects.get()
    rows = _csv(leader.get(reverse("tawasul_reports:reach", args=(message.pk,)), {"export": "csv"}))
    heading, row = rows[0], {r[0]: r for r in rows[1:]}["MOI"]
    cells = dict(zip(heading, row, strict=True))
    assert cells["Acknowledged by"] == '\'=cmd|" /C calc"!A0'
    assert cells["Note"] == "'@note"
    local = timezone.localtime(ack.created_at).replace(microsecond=0, tzinfo=None)
    assert cells["Acknowledged at"] == local.isoformat(sep=" ")


def test_reach_xlsx_writes_local_times_to_the_second(leader):
    institution = InstitutionFactory(slug="moi", name_en="MOI")
    message = MessageFactory.create_published()
    deliver(institution, message)
    acknowledge(institution, message, 1)
    ack = Acknowledgement.objects.get()
    response = leader.get(reverse("tawasul_reports:reach", args=(message.pk,)), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    cells = dict(zip(rows[0], {r[0]: r for r in rows[1:]}["MOI"], strict=True))
    assert cells["Acknowledged at"] == timezone.localtime(ack.created_at).replace(microsecond=0, tzinfo=None)


def test_messages_listing_csv_is_safe_and_local(leader):
    MessageFactory(title="=1+2", key_message="+SUM(1)")
    rows = _csv(leader.get("/admin/snippets/messaging/message/", {"export": "csv"}))
    heading, first = rows[0], rows[1]
    cells = dict(zip(heading, first, strict=True))
    assert cells["Title"] == "'=1+2" and cells["Key message"] == "'+SUM(1)"
    updated = Message.objects.get().updated_at
    assert cells["Updated at"] == timezone.localtime(updated).replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
