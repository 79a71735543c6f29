from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alignment.serializers import AlignmentInputSerializer, AlignmentReportSerializer
from alignment.services import MessageNotVisible, alignment_check
from hub.api.authentication import InstitutionAPIView
from messaging.selectors import visible_messages_for


class AlignmentView(InstitutionAPIView, APIView):
    """Check a draft against the approved messages the calling institution may see."""

    @extend_schema(
        operation_id="alignment_check",
        summary=_("Check a draft against the approved messages"),
        request=AlignmentInputSerializer,
        responses={
            200: AlignmentReportSerializer,
            400: OpenApiResponse(description=_("The draft is empty, too long, or the input is malformed.")),
            401: OpenApiResponse(description=_("No valid institution API key.")),
            404: OpenApiResponse(description=_("The message is not visible to this institution.")),
        },
    )
    def post(self, request: Request) -> Response:
        data = AlignmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = alignment_check(
                text=data.validated_data["text"],
                language=data.validated_data["locale"],
                messages=visible_messages_for(self.get_institution()),
                message_id=data.validated_data.get("message"),
            )
        except MessageNotVisible:
            raise NotFound(_("No such message.")) from None
        return Response(AlignmentReportSerializer(report).data)
