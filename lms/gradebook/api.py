"""The grades API: a course's gradebook as JSON (its instructors and assistants)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gradebook import services
from gradebook.access import gradebook_course


class GradeRowSerializer(serializers.Serializer):
    student = serializers.EmailField()
    status = serializers.CharField()
    quizzes = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    assignments = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class GradebookSerializer(serializers.Serializer):
    course = serializers.SlugField()
    quizzes = serializers.ListField(child=serializers.CharField())
    assignments = serializers.ListField(child=serializers.CharField())
    rows = GradeRowSerializer(many=True)


class GradebookView(APIView):
    """Students by quizzes (percent, by each quiz's grading rule) and assignments (points)."""

    @extend_schema(
        responses={200: GradebookSerializer},
        examples=[
            OpenApiExample(
                "Two students",
                value={
                    "course": "python-for-beginners",
                    "quizzes": ["Basics"],
                    "assignments": ["Project"],
                    "rows": [
                        {
                            "student": "ann@example.com",
                            "status": "active",
                            "quizzes": [67],
                            "assignments": [85],
                        },
                        {
                            "student": "raj@example.com",
                            "status": "completed",
                            "quizzes": [100],
                            "assignments": [None],
                        },
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, slug: str) -> Response:
        course = gradebook_course(request.user, slug)
        book = services.gradebook(course=course)
        data = {
            "course": course.slug,
            "quizzes": [q.title for q in book.quizzes],
            "assignments": [a.title for a in book.assignments],
            "rows": [
                {
                    "student": row.enrollment.student.email,
                    "status": row.enrollment.status,
                    "quizzes": row.quizzes,
                    "assignments": row.assignments,
                }
                for row in book.rows
            ],
        }
        return Response(GradebookSerializer(data).data)
