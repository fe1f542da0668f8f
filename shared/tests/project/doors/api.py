"""API views for the conventions tests: role permission, pagination, errors."""

from django.contrib.auth import get_user_model
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.accounts.roles import HasRole


class StaffOnlyView(APIView):
    permission_classes = [HasRole.of("staff")]

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


class OrderView(APIView):
    def post(self, request):
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)
