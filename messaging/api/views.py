"""Institution endpoints for messages, the change feed, topics and campaigns."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.models import CampaignPage
from hub.api.authentication import InstitutionAPIView
from hub.api.state import request_api_state
from institutions.enums import DeliveryChannel
from institutions.services import deliveries_record
from messaging.api import serializers as s
from messaging.api.conditional import ConditionalReadView, not_modified, state_etag
from messaging.api.documents import document_rows, documents_for, message_document, references, resolved
from messaging.api.pages import FILTERS, MessagePage
from messaging.models import SOURCE_LANGUAGE, Message, Topic
from messaging.selectors import visible_messages_for

ERRORS = {401: s.ErrorSerializer, 403: s.ErrorSerializer, 404: s.ErrorSerializer, 429: s.ErrorSerializer}
NOT_MODIFIED = {304: OpenApiResponse(description=_("Not modified: your copy is current."))}


class MessagePagination(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-updated_at", "-pk")

    def decode_cursor(self, request: Request) -> Cursor | None:
        """DRF's decoding, and a position that is a timestamp: a cursor is opaque to clients, so an altered one
        is "Invalid cursor" (404, as DRF answers a cursor it cannot decode) rather than an error in the query."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                moment = Message._meta.get_field(self.ordering[0].lstrip("-")).to_python(cursor.position)
            except ValidationError:
                raise NotFound(self.invalid_cursor_message) from None
            if moment is None or not s.has_utc_instant(moment):  # e.g. 0001-01-01T00:00+05:00
                raise NotFound(self.invalid_cursor_message)
        return cursor


def validated(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MessageListView(ConditionalReadView):
    pagination_class = MessagePagination

    @extend_schema(
        operation_id="messages_list",
        parameters=[s.MessageListQuerySerializer, OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)],
        responses={200: s.MessageSerializer(many=True), **NOT_MODIFIED, 400: s.ErrorSerializer, **ERRORS},
        summary=_("Approved messages visible to your institution"),
    )
    def get(self, request: Request) -> Response:
        query = validated(s.MessageListQuerySerializer, request.query_params)
        institution = self.get_institution()
        etag = state_etag(request, institution.pk)
        if cached := not_modified(request, etag, exists=True):  # a list always exists
            return cached  # no query at all: the copy is current while the API state token is

        language = query.get("locale")
        filters = {name: query.get(name) for name in FILTERS}
        at = timezone.now()
        rows = MessagePage(
            {"institution_id": institution.pk, "language": language or SOURCE_LANGUAGE, "at": at, **filters}
        )
        paginator = self.pagination_class()
        state = request_api_state(request)
        refs = references.get(state)
        page = resolved(paginator.paginate_queryset(rows, request, view=self) or [], refs)  # type: ignore[arg-type]
        documents, presented = documents_for(page, language, refs, institution_id=institution.pk, at=at)
        deliveries_record(institution_id=institution.pk, rows=presented, channel=DeliveryChannel.API, state=state)
        response = paginator.get_paginated_response(documents)
        response["ETag"] = etag
        return response


class MessageDetailView(ConditionalReadView):
    @extend_schema(
        operation_id="messages_retrieve",
        parameters=[s.MessageDetailQuerySerializer],
        responses={200: s.MessageSerializer, **NOT_MODIFIED, 400: s.ErrorSerializer, **ERRORS},
        summary=_("One message, in one language or both"),
    )
    def get(self, request: Request, message_id: UUID) -> Response:
        query = validated(s.MessageDetailQuerySerializer, request.query_params)
        institution = self.get_institution()
        etag = state_etag(request, institution.pk)
        if cached := not_modified(request, etag):
            return cached
        rows = visible_messages_for(institution).filter(translation_key=message_id)
        if language := query.get("locale"):
            rows = rows.filter(locale__language_code=language)
        state = request_api_state(request)
        found = sorted(resolved(document_rows(rows), references.get(state)), key=lambda row: row["language"])
        if not found:
            raise NotFound(_("No message with this id is visible to your institution."))
        if cached := not_modified(request, etag, exists=True):  # `If-None-Match: *`, now that it exists
            return cached
        deliveries_record(institution_id=institution.pk, rows=found, channel=DeliveryChannel.API, state=state)
        response = Response(message_document(found))
        response["ETag"] = etag
        return response


class TopicListView(InstitutionAPIView):
    @extend_schema(
        operation_id="topics_list",
        summary=_("Topics, in one language or both"),
        parameters=[s.MessageDetailQuerySerializer],
        responses={200: s.TopicSerializer(many=True), 400: s.ErrorSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validated(s.MessageDetailQuerySerializer, request.query_params)
        topics = Topic.objects.select_related("locale").order_by("name")
        if language := query.get("locale"):
            topics = topics.filter(locale__language_code=language)
        return Response(
            [
                {
                    "id": str(t.translation_key),
                    "slug": t.slug,
                    "name": t.name,
                    "description": t.description,
                    "locale": t.locale.language_code,
                }
                for t in topics
            ]
        )


class CampaignListView(InstitutionAPIView):
    @extend_schema(
        operation_id="campaigns_list",
        summary=_("Campaigns, in one language or both"),
        parameters=[s.MessageDetailQuerySerializer],
        responses={200: s.CampaignSerializer(many=True), 400: s.ErrorSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validated(s.MessageDetailQuerySerializer, request.query_params)
        pages = CampaignPage.objects.live().public().select_related("locale").order_by("-start_date")
        if language := query.get("locale"):
            pages = pages.filter(locale__language_code=language)
        visible = visible_messages_for(self.get_institution())
        by_campaign: dict[Any, list[str]] = {}
        for campaign_key, message_key in (
            visible.filter(campaign__isnull=False)
            .values_list("campaign__translation_key", "translation_key")
            .distinct()
        ):
            by_campaign.setdefault(campaign_key, []).append(str(message_key))
        return Response(
            [
                {
                    "id": str(page.translation_key),
                    "locale": page.locale.language_code,
                    "title": page.title,
                    "summary": page.summary,
                    "url": page.get_url(request=request) or "",
                    "start_date": page.start_date.isoformat(),
                    "end_date": page.end_date.isoformat() if page.end_date else None,
                    "message_ids": sorted(set(by_campaign.get(page.translation_key, []))),
                }
                for page in pages
            ]
        )
