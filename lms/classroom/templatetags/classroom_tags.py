"""``{% live_session_link course %}``: the learner view's "join the live session" link.

A template tag, so that the lesson page (enrollments, a lower app) shows it without the
enrollments app importing the classroom.
"""

from django import template
from django.urls import reverse

from classroom.models import LiveSession

register = template.Library()


@register.inclusion_tag("classroom/_join_link.html", takes_context=True)
def live_session_link(context, course):
    user = context["request"].user
    is_open = LiveSession.objects.open().filter(course=course).exists()
    show = is_open and user.has_perm("classroom.join", course)
    return {"url": reverse("classroom:join", args=[course.slug]) if show else None}
