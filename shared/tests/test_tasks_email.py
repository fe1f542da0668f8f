"""The email task: templates rendered, attachments rebuilt, at most one send per idempotency key."""

import base64

import pytest
from django.core import mail
from django.template import TemplateDoesNotExist

from shared.tasks.email import attachment_builder, build_attachment, send_templated_email
from shared.tasks.models import SentEmail

pytestmark = pytest.mark.django_db

WELCOME = {"subject": "Welcome", "template": "lab/email/welcome", "context": {"name": "Ada"}}


@attachment_builder("lab_receipt")
def lab_receipt(*, number: int) -> bytes:
    return f"Receipt #{number}".encode()


def test_sends_text_and_html_rendered_from_templates():
    assert send_templated_email.delay(to="ada@example.com", **WELCOME).get() is True
    [message] = mail.outbox
    assert (message.to, message.subject) == (["ada@example.com"], "Welcome")
    assert message.body.startswith("Hello Ada,")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<strong>Ada</strong>" in html


def test_the_html_template_is_optional():
    send_templated_email.delay(
        to=["a@example.com", "b@example.com"],
        subject="Plain",
        template="lab/email/plain",
        context={"name": "Bob"},
    )
    [message] = mail.outbox
    assert message.to == ["a@example.com", "b@example.com"]
    assert message.body.strip() == "Just text for Bob."
    assert message.alternatives == []


def test_a_missing_text_template_is_an_error_not_a_silent_skip():
    with pytest.raises(TemplateDoesNotExist):
        send_templated_email.delay(to="a@example.com", subject="?", template="lab/email/nope")
    assert mail.outbox == []


def test_attachments_from_base64_and_from_a_registered_builder():
    pdf = b"%PDF-1.4 tiny"
    send_templated_email.delay(
        to="ada@example.com",
        attachments=[
            {
                "filename": "terms.pdf",
                "mimetype": "application/pdf",
                "content_base64": base64.b64encode(pdf).decode(),
            },
            {
                "filename": "receipt.txt",
                "mimetype": "text/plain",
                "builder": "lab_receipt",
                "kwargs": {"number": 7},
            },
        ],
        **WELCOME,
    )
    [message] = mail.outbox
    assert message.attachments[0] == ("terms.pdf", pdf, "application/pdf")
    assert message.attachments[1] == ("receipt.txt", "Receipt #7", "text/plain")


def test_an_unknown_builder_is_refused():
    with pytest.raises(ValueError, match=r"unknown attachment builder 'os\.system'"):
        build_attachment({"filename": "x", "builder": "os.system", "kwargs": {}})


def test_an_idempotency_key_sends_once_however_many_runs():
    """A late-ack re-run (the worker died after sending) must not email twice."""
    first = send_templated_email.delay(to="ada@example.com", idempotency_key="welcome-1", **WELCOME)
    second = send_templated_email.delay(
        to="ada@example.com", idempotency_key="welcome-1", **WELCOME
    )
    assert (first.get(), second.get()) == (True, False)
    assert len(mail.outbox) == 1
    sent = SentEmail.objects.get()
    assert (sent.key, sent.to, sent.subject) == ("welcome-1", "ada@example.com", "Welcome")
    assert str(sent) == "welcome-1 -> ada@example.com"


def test_different_keys_send_different_emails():
    send_templated_email.delay(to="a@example.com", idempotency_key="k-1", **WELCOME)
    send_templated_email.delay(to="a@example.com", idempotency_key="k-2", **WELCOME)
    assert len(mail.outbox) == 2


def test_a_failed_send_frees_the_key_for_the_retry(settings):
    """The key is written in the transaction that sends: no send, no key."""
    settings.EMAIL_BACKEND = "shared.tests.project.lab.mail.BrokenBackend"
    with pytest.raises(ConnectionError):
        send_templated_email.delay(to="a@example.com", idempotency_key="retry-me", **WELCOME)
    assert not SentEmail.objects.filter(key="retry-me").exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_templated_email.delay(
        to="a@example.com", idempotency_key="retry-me", **WELCOME
    ).get()
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_runs_with_the_same_key_send_once(concurrently):
    """Two workers run the same message at once: the unique key lets one send."""

    def run():
        return send_templated_email.apply(
            kwargs={"to": "ada@example.com", "idempotency_key": "race-1", **WELCOME}
        ).get()

    outcomes = concurrently(*[run] * 4)
    assert [o.error for o in outcomes] == [None] * 4
    assert sorted(o.value for o in outcomes) == [False, False, False, True]
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(key="race-1").count() == 1
