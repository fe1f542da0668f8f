"""The LMS's one API router: every viewset is registered here, served under /api/v1/.

Plain API views (no viewset) are listed in ``api_urlpatterns``; config/urls.py mounts both.
"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from assignments.api import AssignmentViewSet, SubmissionViewSet
from certificates.api import CertificateVerifyView, CertificateViewSet
from classroom.api import LiveSessionViewSet
from courses.api import CourseViewSet
from enrollments.api import EnrollmentViewSet, LessonCompleteView
from gradebook.api import GradebookView
from quizzes.api import AttemptViewSet, QuizViewSet

router = DefaultRouter()
router.register("courses", CourseViewSet, basename="course")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("quizzes", QuizViewSet, basename="quiz")
router.register("attempts", AttemptViewSet, basename="attempt")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("live-sessions", LiveSessionViewSet, basename="live-session")

api_urlpatterns = [
    path("lessons/<int:pk>/complete/", LessonCompleteView.as_view(), name="api-lesson-complete"),
    path(
        "certificates/verify/<str:code>/",
        CertificateVerifyView.as_view(),
        name="api-certificate-verify",
    ),
    path("courses/<slug:slug>/grades/", GradebookView.as_view(), name="api-gradebook"),
    *router.urls,
]
