"""The email task: one text + HTML email from templates, sent at most once per idempotency key.

enqueue_on_commit(
    send_templated_email,
    to=[user.email],
    subject="Your invoice",
    template="shop/email/invoice",          # renders invoice.txt and invoice.html
    context={"order_id": order.pk},         # JSON only: ids and strings
    attachments=[{"filename": "invoice.pdf", "mimetype": "application/pdf",
                  "builder": "invoice_pdf", "kwargs": {"order_id": order.pk}}],
    idempotency_key=f"invoice-{order.pk}",
)
"""

import base64
import logging
from collections.abc import Callable
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from shared.tasks.base import task
from shared.tasks.models import SentEmail

logger = logging.getLogger(__name__)

# Attachments are rebuilt by the worker from a name and JSON kwargs, so the message
# carries "the invoice of order 7", not a megabyte of base64. Only registered
# functions can be called: a message from the broker never names arbitrary code.
ATTACHMENT_BUILDERS: dict[str, Callable[..., bytes]] = {}


def attachment_builder(name: str) -> Callable[[Callable[..., bytes]], Callable[..., bytes]]:
    """Register a function that returns the bytes of an attachment::

    @attachment_builder("invoice_pdf")
    def invoice_pdf(*, order_id: int) -> bytes: ...

    Define builders in an app's ``tasks.py`` (imported by every worker)."""

    def register(func: Callable[..., bytes]) -> Callable[..., bytes]:
        ATTACHMENT_BUILDERS[name] = func
        return func

    return register


def build_attachment(spec: dict[str, Any]) -> tuple[str, bytes, str]:
    """``(filename, content, mimetype)`` from a spec with ``builder`` or ``content_base64``."""
    mimetype = spec.get("mimetype", "application/octet-stream")
    if "builder" in spec:
        try:
            builder = ATTACHMENT_BUILDERS[spec["builder"]]
        except KeyError:
            raise ValueError(f"unknown attachment builder {spec['builder']!r}") from None
        content = builder(**spec.get("kwargs", {}))
    else:
        content = base64.b64decode(spec["content_base64"])
    return spec["filename"], content, mimetype


def render_email(
    *, to: list[str], subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    """Render ``<template>.txt`` (required) and ``<template>.html`` (optional)."""
    text = render_to_string(f"{template}.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        html = None
    if html:
        message.attach_alternative(html, "text/html")
    return message


@task(name="shared.send_templated_email")
def send_templated_email(
    *,
    to: list[str] | str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    idempotency_key: str | None = None,
) -> bool:
    """Send one email; return False when its key says it was already sent.

    With an ``idempotency_key`` the key is inserted in the same transaction that
    sends: if sending fails, the insert rolls back and a retry sends again; if the
    key exists (an earlier run, or a parallel one), the unique constraint refuses
    it and nothing is sent. A crash between the SMTP "OK" and the commit can still
    send twice: that window is milliseconds wide, not the length of a retry.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    message = render_email(to=recipients, subject=subject, template=template, context=context or {})
    for spec in attachments or ():
        message.attach(*build_attachment(spec))

    if not idempotency_key:
        message.send()
        return True
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=idempotency_key, to=", ".join(recipients), subject=subject)
            message.send()
    except IntegrityError:
        logger.info("email %s already sent, not sending it again", idempotency_key)
        return False
    return True
