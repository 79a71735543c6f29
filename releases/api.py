"""Institution endpoints: the releases coming to an institution, and its calendar as iCalendar."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_api_key.permissions import KeyParser

from campaigns.models import CampaignPage
from hub.api.authentication import InstitutionAPIView, InstitutionKeyAuthentication
from messaging.api.serializers import ErrorSerializer
from releases.enums import ReleaseStatus
from releases.ical import institution_calendar
from releases.selectors import (
    member_audiences,
    member_page_ids,
    release_moment,
    releases_for_institution,
    visible_member_keys,
)
from releases.serializers import ReleaseSerializer

ERRORS = {401: ErrorSerializer, 403: ErrorSerializer, 429: ErrorSerializer}


class ReleaseListView(InstitutionAPIView):
    @extend_schema(
        operation_id="releases_list",
        responses={200: ReleaseSerializer(many=True), **ERRORS},
        summary=_("Releases coming to your institution, and those that came"),
        description=_(
            "Scheduled releases (approved, waiting for their time) and live ones that reach your institution. "
            "Before a release is live it says only when and how much; its message ids come once it is live."
        ),
    )
    def get(self, request: Request) -> Response:
        institution = self.get_institution()
        body: list[dict[str, Any]] = []
        for release, _audience in releases_for_institution(institution):
            live = release.live
            keys = visible_member_keys(release, institution) if live else None
            addressed = _addressed_count(release, institution)
            moment = release_moment(release)
            pages = CampaignPage.objects.filter(pk__in=member_page_ids(release))
            body.append(
                {
                    "id": release.pk,
                    "title": release.title,
                    "status": ReleaseStatus.LIVE if live else ReleaseStatus.SCHEDULED,
                    "go_live_at": moment.isoformat() if moment else None,
                    "embargo_until": release.embargo_until.isoformat() if release.embargo_until else None,
                    "message_count": addressed,
                    "page_count": len(member_page_ids(release)),
                    "message_ids": keys,
                    "campaign_ids": sorted({str(page.translation_key) for page in pages}) if live else None,
                    "positions": {"first": release.first_position, "last": release.last_position} if live else None,
                }
            )
        return Response(body)


def _addressed_count(release: Any, institution: Any) -> int:
    return sum(audience.reaches(institution.pk) for audience in member_audiences(release).values())


class CalendarKeyParser(KeyParser):
    """`Authorization: Api-Key <key>`, or HTTP Basic with the key as the password: calendar applications that
    subscribe to a feed can send Basic credentials but not a custom scheme."""

    def get_from_authorization(self, request: Any) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return None
            _user, _sep, password = decoded.partition(":")
            return password or None
        return super().get_from_authorization(request)


class CalendarKeyAuthentication(InstitutionKeyAuthentication):
    parser = CalendarKeyParser()

    def authenticate_header(self, request: Request) -> str:
        return 'Basic realm="Tawasul calendar"'


class CalendarKeyScheme(OpenApiAuthenticationExtension):
    target_class = "releases.api.CalendarKeyAuthentication"
    name = "InstitutionApiKeyBasic"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": str(
                _("Any user name, your institution's key as the password (or `Authorization: Api-Key <key>`).")
            ),
        }


class CalendarFeedView(InstitutionAPIView):
    authentication_classes = [CalendarKeyAuthentication]

    @extend_schema(
        operation_id="calendar_ics",
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description=_("iCalendar (RFC 5545)")),
            **ERRORS,
        },
        summary=_("Your institution's communications calendar, as iCalendar"),
        description=_(
            "Releases coming to you, their embargo ends, expiries of messages you see and the campaign activities "
            "you own. Send your key as `Authorization: Api-Key <key>`, or as the password of HTTP Basic "
            "authentication (any user name) from a calendar application."
        ),
    )
    def get(self, request: Request) -> HttpResponse:
        body = institution_calendar(self.get_institution(), host=request.get_host().split(":")[0])
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="tawasul.ics"'
        return response
