"""The change feed: every event that concerns an institution, in commit order, with tombstones."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from hub.api.authentication import InstitutionAPIView
from hub.api.state import request_api_state
from institutions.enums import DeliveryChannel
from institutions.services import deliveries_record
from messaging.api import serializers as s
from messaging.api.documents import feed_item, references, resolved, visible_document_rows
from messaging.api.views import ERRORS, validated
from messaging.models import TOMBSTONE_KINDS, MessageEventRecipient
from messaging.selectors import events_for


class ChangeFeedView(InstitutionAPIView):
    """Replaying from `after=0` and applying each item (upsert its `message`, delete on `tombstone`) yields
    exactly the messages visible to the institution. `next_after` is the cursor for the next call."""

    @extend_schema(
        operation_id="changes_list",
        parameters=[s.ChangeQuerySerializer],
        responses={200: s.ChangePageSerializer, 400: s.ErrorSerializer, **ERRORS},
        summary=_("Changes since a cursor, for mirroring"),
    )
    def get(self, request: Request) -> Response:
        query = validated(s.ChangeQuerySerializer, request.query_params)
        institution = self.get_institution()
        events = list(events_for(institution).filter(position__gt=query["after"])[: query["limit"] + 1])
        has_more = len(events) > query["limit"]
        events = events[: query["limit"]]
        if not events:  # a mirror that is up to date (most polls): nothing to present or record
            return Response({"results": [], "next_after": query["after"], "has_more": False})

        removed_for_me = set(
            MessageEventRecipient.objects.filter(
                institution_id=institution.pk, removed=True, event_id__in=[e.pk for e in events]
            ).values_list("event_id", flat=True)
        )
        live_keys = {e.translation_key for e in events if e.kind not in TOMBSTONE_KINDS and e.pk not in removed_for_me}
        state = request_api_state(request)
        live = visible_document_rows(institution.pk, timezone.now(), live_keys)
        rows = (
            {(row["translation_key"], row["language"]): row for row in resolved(live, references.get(state))}
            if live_keys
            else {}  # only tombstones
        )
        presented = {
            event.pk: None
            if event.pk in removed_for_me or event.kind in TOMBSTONE_KINDS
            else rows.get((event.translation_key, event.language_code))
            for event in events
        }
        results = [feed_item(event, removed=event.pk in removed_for_me, row=presented[event.pk]) for event in events]
        deliveries_record(
            institution_id=institution.pk,
            rows={row["pk"]: row for row in presented.values() if row is not None}.values(),
            channel=DeliveryChannel.FEED,
            state=state,
        )
        return Response(
            {
                "results": results,
                "next_after": events[-1].position if events else query["after"],
                "has_more": has_more,
            }
        )
