"""API views for the conventions tests: role permission, pagination, errors."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.accounts.roles import HasRole


class StaffOnlyView(APIView):
    permission_classes = [HasRole.of("staff")]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({"ok": True})


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "email"]


class UserListView(generics.ListAPIView):
    serializer_class = UserSummarySerializer
    queryset = get_user_model().objects.order_by("email")
    permission_classes = [HasRole.of("staff")]


class UserDetailView(generics.RetrieveAPIView):
    serializer_class = UserSummarySerializer
    queryset = get_user_model().objects.all()
    permission_classes = [HasRole.of("staff")]


class OrderSerializer(serializers.Serializer):
    name = serializers.CharField()
    quantity = serializers.IntegerField(min_value=1)


class OrderView(generics.GenericAPIView):
    serializer_class = OrderSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)
