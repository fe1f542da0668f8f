"""Refunds in two steps: decided in the order's transaction, sent to the provider by a job.

The provider is another company's server. Calling it while the order's rows are locked
would queue every other request for that order (the webhook, staff, the expiry job) behind
its answer, so ``refund_payment`` only records the decision (REFUND_PENDING) and the
``payments.send_refund`` job, run after the commit, makes the call.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from orders.models import OrderStatus
from orders.services import cancel_order
from payments import services, tasks
from payments.models import Payment, PaymentStatus
from payments.sandbox import SandboxGateway


class RecordingGateway(SandboxGateway):
    """The sandbox, recording each refund call and whether a transaction was open then."""

    calls: list[tuple[str, str, bool]] = []
    down = False

    def refund(self, *, reference, amount, idempotency_key):
        if type(self).down:
            raise ConnectionRefusedError("the provider is down")
        type(self).calls.append((reference, idempotency_key, connection.in_atomic_block))


@pytest.fixture
def recording_gateway(settings):
    RecordingGateway.calls, RecordingGateway.down = [], False
    settings.SHOP_PAYMENT_GATEWAY = "payments.tests.test_refunds.RecordingGateway"
    return RecordingGateway


def status_of(payment):
    payment.refresh_from_db()
    return payment.status


def test_the_decision_commits_first_and_the_provider_is_called_after(
    paid_order, recording_gateway, django_capture_on_commit_callbacks
):
    payment = paid_order.payment
    with django_capture_on_commit_callbacks() as callbacks:
        cancel_order(order=paid_order, by=None)
        assert status_of(payment) == PaymentStatus.REFUND_PENDING
        assert recording_gateway.calls == []  # nothing reached the provider inside
    refund_jobs = [c for c in callbacks if "enqueue_on_commit" in c.__qualname__]
    assert len(refund_jobs) == 1  # one job, sent only once the transaction commits
    for callback in callbacks:  # the commit (the other callback refreshes the catalog cache)
        callback()
    assert status_of(payment) == PaymentStatus.REFUNDED
    assert [c[:2] for c in recording_gateway.calls] == [
        (payment.reference, f"refund-{payment.reference}")
    ]


def test_a_rolled_back_decision_sends_nothing(
    paid_order, recording_gateway, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.refund_payment(order_id=paid_order.pk)
        raise RuntimeError("the caller failed after deciding")
    assert callbacks == []
    assert status_of(paid_order.payment) == PaymentStatus.SUCCEEDED


def test_deciding_twice_refunds_once(
    paid_order, recording_gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.refund_payment(order_id=paid_order.pk) is True
        assert services.refund_payment(order_id=paid_order.pk) is False
    assert len(callbacks) == 1 and len(recording_gateway.calls) == 1


def test_a_second_delivery_of_the_job_calls_the_provider_once(paid_order, recording_gateway):
    Payment.objects.filter(pk=paid_order.payment.pk).update(status=PaymentStatus.REFUND_PENDING)
    assert services.send_refund(payment_id=paid_order.payment.pk) is True
    assert services.send_refund(payment_id=paid_order.payment.pk) is False
    assert len(recording_gateway.calls) == 1
    assert status_of(paid_order.payment) == PaymentStatus.REFUNDED


def test_nothing_to_refund_for_an_unpaid_order(placed_order, recording_gateway):
    assert services.refund_payment(order_id=placed_order.pk) is False
    assert status_of(placed_order.payment) == PaymentStatus.PENDING


def test_a_provider_that_is_down_leaves_the_refund_pending_and_the_order_cancelled(
    paid_order, recording_gateway, django_capture_on_commit_callbacks
):
    recording_gateway.down = True
    # At the commit the job runs (eagerly here), retries, gives up and raises.
    with pytest.raises(ConnectionRefusedError), django_capture_on_commit_callbacks(execute=True):
        cancel_order(order=paid_order, by=None)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.CANCELLED
    assert status_of(paid_order.payment) == PaymentStatus.REFUND_PENDING

    recording_gateway.down = False  # the provider is back: the sweep sends it again
    Payment.objects.filter(pk=paid_order.payment.pk).update(
        updated=timezone.now() - timedelta(hours=1)
    )
    assert tasks.retry_stale_refunds.delay().get() == 1
    assert status_of(paid_order.payment) == PaymentStatus.REFUNDED


def test_the_sweep_takes_only_refunds_pending_for_a_while(paid_order):
    payment = paid_order.payment
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.REFUND_PENDING, updated=timezone.now()
    )
    assert services.stale_refunds() == []  # decided a moment ago: its job may still be running
    assert services.stale_refunds(older_than=timedelta(0)) == [payment.pk]
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.REFUNDED)
    assert services.stale_refunds(older_than=timedelta(0)) == []  # done: nothing to send


@pytest.mark.django_db(transaction=True)
def test_the_provider_is_called_with_no_transaction_open(
    customer, make_variant, fill_cart, place, post_webhook, recording_gateway
):
    order = place(customer, fill_cart(customer, (make_variant(quantity=5), 1)))
    post_webhook(order.payment, "pay")
    cancel_order(order=order, by=None)  # commits; the job runs (eagerly) after the commit
    assert [in_atomic for *_, in_atomic in recording_gateway.calls] == [False]
    assert status_of(order.payment) == PaymentStatus.REFUNDED
