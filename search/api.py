"""`GET /api/v1/search/`: institutions search the messages visible to them."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hub.api.authentication import InstitutionAPIView
from hub.api.state import request_api_state
from institutions.enums import DeliveryChannel
from institutions.services import deliveries_record
from messaging.api import serializers as s
from messaging.api.documents import message_document, references, resolved
from search.analysis import SUPPORTED_LANGUAGES
from search.queries import MAX_QUERY_LENGTH, InvalidQuery, SearchQuery, query_parse
from search.selectors import DEFAULT_LIMIT, SearchUnavailable, message_document_search

logger = logging.getLogger("tawasul")


class SearchUnavailableError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "search_unavailable"
    default_detail = _("Search is unavailable for a moment; try again shortly.")


# Lazy, so that the schema is written in the language of the request that asks for it.
QUERY_HELP = lazy(lambda: gettext("Words to look for (at most %d characters).") % MAX_QUERY_LENGTH, str)()
LOCALE_HELP = _("“ar” or “en”; by default the script of the query.")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text=QUERY_HELP,
    )
    locale = serializers.CharField(required=False, help_text=LOCALE_HELP)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=DEFAULT_LIMIT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["query"] = query_parse(attrs["q"], attrs.get("locale"))
        except InvalidQuery as error:
            raise serializers.ValidationError({error.field: [error.message]}) from None
        return attrs


class SearchResultSerializer(s.MessageSerializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    locale = serializers.CharField()
    count = serializers.IntegerField()
    results = SearchResultSerializer(many=True)


class SearchView(InstitutionAPIView, APIView):
    @extend_schema(
        operation_id="search",
        parameters=[
            SearchQuerySerializer,
            # The same parameters with the limits `query_parse` applies, for clients generated from the schema
            # (the serializer leaves them to `query_parse`, whose messages say what to fix).
            OpenApiParameter(
                "q", {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH}, required=True,
                description=QUERY_HELP,
            ),
            OpenApiParameter(
                "locale", str, enum=sorted(SUPPORTED_LANGUAGES),
                description=LOCALE_HELP,
            ),
        ],
        responses={200: SearchResponseSerializer, 400: s.ErrorSerializer, 401: s.ErrorSerializer,
                   403: s.ErrorSerializer, 429: s.ErrorSerializer, 503: s.ErrorSerializer},
        summary=_("Search the messages visible to your institution"),
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query: SearchQuery = params.validated_data["query"]
        institution = self.get_institution()
        state = request_api_state(request)
        refs = references.get(state)  # names and locales by id, loaded once per API state token
        locale_id = next((pk for pk, code in refs.languages.items() if code == query.language), None)
        try:
            hits = message_document_search(
                institution_id=institution.pk, query=query, limit=params.validated_data["limit"], locale_id=locale_id
            )
        except SearchUnavailable as error:
            logger.warning("Search unavailable: %s", error)  # the answer says only that; the cause is for operators
            raise SearchUnavailableError from None
        rows = resolved([hit.row for hit in hits], refs)
        results = [
            {**message_document([row]), "rank": hit.rank, "score": round(hit.score, 4)}
            for hit, row in zip(hits, rows, strict=True)
        ]
        deliveries_record(institution_id=institution.pk, rows=rows, channel=DeliveryChannel.SEARCH, state=state)
        return Response({"query": query.text, "locale": query.language, "count": len(results), "results": results})
