"""The tamper-evident access log: chaining, verification, append-only, concurrency."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from patients.models import AccessLog, AccessLogHead
from patients.services import log_access, verify_access_log
from patients.tests.factories import PatientFactory
from scheduling.tests.factories import AppointmentFactory
from staff.tests.factories import staff_user


def _write_entries(count: int = 3):
    user, patient = staff_user("receptionist"), PatientFactory()
    appointment = AppointmentFactory(patient=patient)
    return [
        log_access(user=user, patient=patient, action="read" if i % 2 else "write", obj=appointment)
        for i in range(count)
    ]


@pytest.mark.django_db
def test_each_entry_links_to_the_one_before_and_the_chain_verifies(capsys):
    first, second, third = _write_entries(3)
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert (first.object_type, first.object_id) == ("scheduling.appointment", str(first.object_id))
    assert verify_access_log() == (True, "3 entries, chain intact", None)
    call_command("verify_access_log")
    assert "Access log OK: 3 entries" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_entry_changed_with_sql_is_named_and_the_command_fails():
    entries = _write_entries(4)
    with connection.cursor() as cursor:  # what someone with database access might do
        cursor.execute(
            "UPDATE patients_accesslog SET action = 'write' WHERE sequence = %s",
            [entries[1].sequence],
        )
    ok, message, bad = verify_access_log()
    assert not ok and bad.sequence == 2
    assert message == "entry #2 was altered (its hash does not match its fields)"
    with pytest.raises(CommandError, match="entry #2 was altered") as caught:
        call_command("verify_access_log")
    assert caught.value.returncode == 1


@pytest.mark.django_db
def test_a_rehashed_entry_still_breaks_the_link_to_the_next():
    entries = _write_entries(3)
    forged = AccessLog.objects.get(sequence=2)
    forged.action = "write"
    forged.hash = forged.compute_hash()  # a careful forger recomputes this entry's hash...
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE patients_accesslog SET action = %s, hash = %s WHERE sequence = 2",
            [forged.action, forged.hash],
        )
    ok, message, bad = verify_access_log()  # ...but entry 3 still points at the old one
    assert not ok and bad.sequence == 3 and "does not link" in message
    assert entries[2].prev_hash != forged.hash


@pytest.mark.django_db
def test_deleted_entries_are_noticed_in_the_middle_and_at_the_end():
    _write_entries(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM patients_accesslog WHERE sequence = 4")
    ok, message, _ = verify_access_log()
    assert not ok and "head says #4" in message
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM patients_accesslog WHERE sequence = 2")
    ok, message, bad = verify_access_log()
    assert not ok and bad.sequence == 3 and message.startswith("entry #2 is missing")


@pytest.mark.django_db
def test_the_log_cannot_be_updated_or_deleted_through_the_orm():
    entry = _write_entries(1)[0]
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.update(action="write")
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1


@pytest.mark.django_db
def test_the_entry_keeps_the_address_given_and_a_bad_action_is_refused():
    user, patient = staff_user("doctor"), PatientFactory()
    entry = log_access(user=user, patient=patient, action="read", client_ip="10.0.0.5")
    assert (entry.ip_address, entry.object_type, entry.object_id) == (
        "10.0.0.5",
        "patients.patient",
        "",
    )
    with pytest.raises(ValueError):
        log_access(user=user, patient=patient, action="peek")
    assert str(entry).startswith("#1 ")


@pytest.mark.django_db
def test_a_page_read_logs_the_client_behind_the_trusted_proxy(settings, client):
    settings.TRUSTED_PROXY_COUNT = 1  # behind nginx: the client is the proxy's last hop
    desk, patient = staff_user("receptionist"), PatientFactory()
    client.force_login(desk)
    response = client.get(
        reverse("scheduling:patient", args=[patient.pk]),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8",
    )
    assert response.status_code == 200
    assert AccessLog.objects.get(patient=patient).ip_address == "5.6.7.8"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(concurrently):
    user, patient = staff_user("doctor"), PatientFactory()
    log_access(user=user, patient=patient, action="read")  # the head exists
    outcomes = concurrently(
        *(lambda: log_access(user=user, patient=patient, action="read") for _ in range(8))
    )
    assert [outcome.error for outcome in outcomes] == [None] * 8
    assert list(AccessLog.objects.values_list("sequence", flat=True)) == list(range(1, 10))
    assert verify_access_log()[0]
    assert AccessLogHead.objects.get().last_sequence == 9


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_very_first_writers_race_for_the_head_safely(concurrently):
    user, patient = staff_user("doctor"), PatientFactory()
    outcomes = concurrently(
        *(lambda: log_access(user=user, patient=patient, action="write") for _ in range(6))
    )
    assert [outcome.error for outcome in outcomes] == [None] * 6
    assert verify_access_log() == (True, "6 entries, chain intact", None)


@pytest.mark.django_db
def test_the_nightly_check_alerts_the_admins_on_a_break(
    settings, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    from patients.tasks import verify_access_log_chain

    settings.ADMINS = [("Security", "security@hospital.example")]
    _write_entries(2)
    assert verify_access_log_chain.delay().get() is True
    assert mailoutbox == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE patients_accesslog SET object_id = '999' WHERE sequence = 1")
    with django_capture_on_commit_callbacks(execute=True):
        assert verify_access_log_chain.delay().get() is False
    assert mailoutbox[0].to == ["security@hospital.example"]
    assert "entry #1 was altered" in mailoutbox[0].body
    assert "ACCESS LOG TAMPERED" in caplog.text
