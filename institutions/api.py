"""Institution endpoints about the institution itself: acknowledgements and `me`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hub.api.authentication import InstitutionAPIView
from hub.api.state import request_api_state
from institutions.compliance import institution_figures
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement
from institutions.selectors import acknowledgeable_message, message_current_version, withdrawal_sent_to
from institutions.services import acknowledgement_record
from messaging.api import serializers as s
from messaging.api.views import ERRORS, validated
from messaging.models import Message
from monitoring.figures import institution_statement_figures


def _acknowledgement(ack: Acknowledgement, current_version: int | None) -> dict[str, Any]:
    return {
        "message_id": str(ack.translation_key),
        "version": ack.version,
        "kind": ack.kind,
        "note": ack.note,
        "acknowledged_by": ack.acknowledged_by,
        "acknowledged_at": ack.created_at.isoformat(),
        "current_version": current_version,
    }


class AcknowledgementView(InstitutionAPIView):
    def get_permissions(self) -> Any:
        self.required_scope = "acknowledge" if self.request.method == "POST" else "read"
        return super().get_permissions()

    @extend_schema(
        operation_id="acknowledgements_list",
        responses={200: s.AcknowledgementSerializer(many=True), **ERRORS},
        summary=_("Your institution's acknowledgements of a message"),
    )
    def get(self, request: Request, message_id: UUID) -> Response:
        institution = self.get_institution()
        current = self._current_version(institution, message_id)
        acks = Acknowledgement.objects.filter(institution=institution, translation_key=message_id).order_by("version")
        if current is None and not acks.exists():
            raise NotFound(_("No message with this id is visible to your institution."))
        return Response([_acknowledgement(ack, current) for ack in acks])

    @extend_schema(
        operation_id="acknowledgements_create",
        request=s.AcknowledgementInputSerializer,
        responses={
            200: s.AcknowledgementSerializer,
            201: s.AcknowledgementSerializer,
            400: s.ErrorSerializer,
            **ERRORS,
        },
        summary=_("Acknowledge a version of a message, or its withdrawal (idempotent)"),
    )
    def post(self, request: Request, message_id: UUID) -> Response:
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        data = validated(s.AcknowledgementInputSerializer, request.data)
        institution = self.get_institution()
        if data["kind"] == AcknowledgementKind.WITHDRAWAL:
            message, version = self._withdrawn(institution, message_id)
        else:
            message, version = self._visible(institution, message_id, data.get("version"))
        ack, created = acknowledgement_record(
            institution_id=institution.pk,
            translation_key=message_id,
            message=message,
            version=version,
            kind=data["kind"],
            note=data["note"],
            acknowledged_by=data["acknowledged_by"] or self.principal.key.name,
        )
        current = self._current_version(institution, message_id)
        return Response(_acknowledgement(ack, current), status=201 if created else 200)

    @staticmethod
    def _current_version(institution: Any, message_id: UUID) -> int | None:
        return message_current_version(institution=institution, translation_key=message_id)

    def _visible(self, institution: Any, message_id: UUID, version: int | None) -> tuple[Message, int]:
        message = acknowledgeable_message(institution=institution, translation_key=message_id)
        if message is None:
            raise NotFound(_("No message with this id is visible to your institution."))
        current = self._current_version(institution, message_id) or message.version
        if version is not None and version > current:
            raise ValidationError({"version": [_("Version %(v)s does not exist yet.") % {"v": version}]})
        return message, version or current

    @staticmethod
    def _withdrawn(institution: Any, message_id: UUID) -> tuple[Message | None, int]:
        tombstone = withdrawal_sent_to(institution=institution, translation_key=message_id)
        if tombstone is None:
            raise NotFound(_("No withdrawal of this message was sent to your institution."))
        return tombstone.message, tombstone.version


class MeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = s.NameSerializer()
    kind = serializers.CharField()
    key = serializers.DictField()
    compliance = serializers.DictField()
    statements = serializers.DictField(
        help_text=_(
            "What your institution's registered sources publish: statements still online, those carrying a current "
            "approved line, those using a withdrawn or superseded line, and per message its pull-through, time from "
            "release to first use and withdrawn lines still published."
        )
    )


class MeView(InstitutionAPIView):
    @extend_schema(
        operation_id="me_retrieve",
        summary=_("Your institution and its compliance figures"),
        responses={200: MeSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        institution = self.get_institution()
        key = self.principal.key
        return Response(
            {
                "slug": institution.slug,
                "name": {"ar": institution.name_ar, "en": institution.name_en},
                "kind": institution.kind,
                "key": {
                    "prefix": key.prefix,
                    "name": key.name,
                    "scopes": key.scopes,
                    "expires_at": key.expiry_date.isoformat() if key.expiry_date else None,
                },
                "compliance": institution_figures(institution=institution, state=request_api_state(request)),
                "statements": institution_statement_figures(institution=institution),
            }
        )
