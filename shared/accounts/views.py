"""Registration with email verification (the other account pages are Django's own views)."""

from django.http import HttpResponse


def register(request):  # built out in the accounts work
    return HttpResponse("registration")


def verify_email(request, uidb64, token):
    return HttpResponse("verify")
