"""The certificates API: my certificates, and the public verification of a code."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates.models import Certificate


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["code", "student_name", "course_title", "issued_at"]


class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer
    lookup_field = "code"

    def get_queryset(self):
        return Certificate.objects.visible_to(self.request.user)


class CertificateVerifyView(APIView):
    """Public: what the certificate with this code states, or 404. No login needed."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: CertificateSerializer},
        examples=[
            OpenApiExample(
                "A valid code",
                value={
                    "code": "9F2C4A1B7D3E5F60",
                    "student_name": "Ann Lee",
                    "course_title": "Python for beginners",
                    "issued_at": "2026-03-30T10:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, code: str) -> Response:
        certificate = get_object_or_404(Certificate, code=code.upper())
        return Response(CertificateSerializer(certificate).data)
