"""The alignment check as a page in the Wagtail admin, for communicators and the centre's staff."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alignment.forms import AlignmentCheckForm
from alignment.services import AlignmentReport, MessageNotVisible, alignment_check
from messaging.models import Message

CHECK_PERMISSION = "messaging.change_message"
LINE_LABELS = {
    "key_message": _("Key message"),
    "title": _("Pillar"),
    "talking_point": _("Talking point"),
    "question": _("Question"),
    "answer": _("Answer"),
    "statement": _("Fact"),
}


def user_can_check(user: Any) -> bool:
    return bool(user.is_active and user.has_perm(CHECK_PERMISSION))


def alignment_check_view(request: HttpRequest) -> HttpResponse:
    if not user_can_check(request.user):
        raise PermissionDenied
    messages = Message.objects.live_now()
    form = AlignmentCheckForm(request.POST or None, messages=messages)
    report: AlignmentReport | None = None
    if request.method == "POST" and form.is_valid():
        message = form.cleaned_data["message"]
        try:
            report = alignment_check(
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
                messages=messages,
                message_id=UUID(message) if message else None,
            )
        except MessageNotVisible:
            form.add_error("message", _("This message is no longer live."))
    return render(
        request, "alignment/check.html", {"form": form, **(_report_context(messages, report) if report else {})}
    )


def _report_context(messages: Any, report: AlignmentReport) -> dict[str, Any]:
    """The report with each message id paired with its title, ready for the template."""
    titles = _titles(messages, report)
    return {
        "report": report,
        "sentences": [
            {
                "sentence": each.sentence,
                "matches": [
                    {
                        "match": match,
                        "title": titles.get(match.line.message_id, ""),
                        "label": LINE_LABELS.get(match.line.field, match.line.field),
                    }
                    for match in each.matches
                ],
            }
            for each in report.sentences
        ],
        "lines_to_avoid": [{"hit": hit, "title": titles.get(hit.message_id, "")} for hit in report.lines_to_avoid],
        "number_mismatches": [
            {"mismatch": mismatch, "title": titles.get(mismatch.fact.line.message_id, "")}
            for mismatch in report.number_mismatches
        ],
    }


def _titles(messages: Any, report: AlignmentReport) -> dict[str, str]:
    """Message titles in the admin's language where a row exists, else the Arabic source's."""
    wanted = {match.line.message_id for sentence in report.sentences for match in sentence.matches}
    wanted |= {mismatch.fact.line.message_id for mismatch in report.number_mismatches}
    wanted |= {hit.message_id for hit in report.lines_to_avoid}
    language = (get_language() or "ar").split("-")[0]
    titles: dict[str, str] = {}
    for key, code, title in messages.filter(translation_key__in=wanted).values_list(
        "translation_key", "locale__language_code", "title"
    ):
        if code == language or str(key) not in titles:
            titles[str(key)] = title
    return titles
