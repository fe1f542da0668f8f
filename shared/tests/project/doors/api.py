"""API views for the conventions tests: role permission, pagination, errors."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.accounts.roles import HasRole
from shared.tests.project.doors import services
from shared.tests.project.lab.models import Counter


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


class CounterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Counter
        fields = ["id", "name", "value"]


class CounterListView(generics.ListAPIView):
    """A list sorted on a column with ties (many counters share a value): the cursor tests."""

    serializer_class = CounterSerializer
    queryset = Counter.objects.order_by("-value")
    ordering_fields = ["value", "name"]


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


class ReserveSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)


class ReserveView(generics.GenericAPIView):
    """Calls the service with no try/except: the shared exception handler answers."""

    serializer_class = ReserveSerializer
    permission_classes = []

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reserve(quantity=serializer.validated_data["quantity"])
        return Response({"reserved": True}, status=201)


class CloseView(APIView):
    permission_classes = []

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        services.close_door()
        return Response({"closed": True})


class ValidateView(APIView):
    """A Django ValidationError (a model's full_clean) reaching the API is a 400 too."""

    permission_classes = []

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        services.check_name(name=request.data.get("name", ""))
        return Response({"ok": True})


class CountSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    value = serializers.IntegerField()  # no max_value on purpose: the guard's safety net
    kind = serializers.ChoiceField(choices=["a", "b"], required=False)


class CountView(generics.GenericAPIView):
    """A write whose value can overflow its column, for the database-error guards."""

    serializer_class = CountSerializer
    permission_classes = []

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.store_count(
            name=serializer.validated_data["name"], value=serializer.validated_data["value"]
        )
        return Response(serializer.validated_data, status=201)


class RaceView(APIView):
    permission_classes = []

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        services.race_for_rows()
        return Response({"ok": True})


class RawBodyView(APIView):
    """Reads the raw body itself, as a webhook checking a signature does."""

    permission_classes = []

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        return Response({"length": len(request.body)})


class MoveSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()


class MoveView(generics.GenericAPIView):
    serializer_class = MoveSerializer
    permission_classes = []

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.move_count(**serializer.validated_data, pause=0.5)
        return Response({"moved": True})
