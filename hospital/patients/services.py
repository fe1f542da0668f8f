"""Use cases of the patients app: registering patients and writing the access log."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction

from core.roles import PATIENT, STAFF
from patients.access import can_manage_registration
from patients.models import AccessAction, AccessLog, AccessLogHead, Patient
from shared.accounts.models import User
from shared.accounts.roles import grant_role
from shared.errors import Conflict, DomainError


class AlreadyLinked(Conflict):
    """The account is the portal login of another patient already."""

    field = "email"
    default_code = "already_linked"


def _describe(obj: Any) -> tuple[str, str]:
    """``("scheduling.appointment", "42")`` for a model instance, a plain label otherwise."""
    if obj is None:
        return "patients.patient", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk or "")
    return str(obj)[:60], ""


@transaction.atomic
def log_access(
    *,
    user: User | AnonymousUser | None,
    patient: Patient,
    action: str,
    obj: Any = None,
    client_ip: str | None = None,
) -> AccessLog:
    """Append one entry to the tamper-evident access log and return it.

    ``obj`` is what was read or written (a model instance; ``None`` means the patient
    record itself); ``client_ip`` is where the request came from (``request.client_ip``,
    None from a task). Call it in the same transaction as a write, so the log and the
    change commit or roll back together.

    The chain head row is locked first: concurrent writers wait for each other here,
    so each new entry links to the one true previous entry and the chain cannot fork.
    """
    if action not in AccessAction.values:
        raise ValueError(f"action must be one of {AccessAction.values}, not {action!r}")
    head = AccessLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # the very first entry: create the head (a racing first writer finds it)
        AccessLogHead.objects.get_or_create(pk=1)
        head = AccessLogHead.objects.select_for_update().get(pk=1)
    object_type, object_id = _describe(obj)
    entry = AccessLog(
        sequence=head.last_sequence + 1,
        user=user if user is not None and user.is_authenticated else None,
        patient=patient,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=client_ip,
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    head.last_sequence, head.last_hash = entry.sequence, entry.hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return entry


def verify_access_log() -> tuple[bool, str, AccessLog | None]:
    """Recompute the whole chain. Returns ``(ok, message, first_bad_entry_or_None)``."""
    previous_hash, expected_sequence = "0" * 64, 1
    entry = None
    for entry in AccessLog.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return (
                False,
                f"entry #{expected_sequence} is missing (found #{entry.sequence} next)",
                entry,
            )
        if entry.prev_hash != previous_hash:
            return False, f"entry #{entry.sequence} does not link to the entry before it", entry
        if entry.compute_hash() != entry.hash:
            return (
                False,
                f"entry #{entry.sequence} was altered (its hash does not match its fields)",
                entry,
            )
        previous_hash, expected_sequence = entry.hash, expected_sequence + 1
    head = AccessLogHead.objects.filter(pk=1).first()
    last_sequence = expected_sequence - 1
    if head and (head.last_sequence, head.last_hash) != (last_sequence, previous_hash):
        return (
            False,
            f"the chain ends at #{last_sequence} but the head says #{head.last_sequence}: "
            "entries were removed",
            entry,
        )
    return True, f"{last_sequence} entries, chain intact", None


@transaction.atomic
def register_patient(*, by: User, client_ip: str | None = None, **fields: Any) -> Patient:
    """Create a patient record (the desk) and log the write."""
    patient = Patient(**fields)
    patient.full_clean()
    patient.save()
    log_access(
        user=by, patient=patient, action=AccessAction.WRITE, obj=patient, client_ip=client_ip
    )
    return patient


@transaction.atomic
def update_patient(
    *, patient: Patient, by: User, client_ip: str | None = None, **fields: Any
) -> Patient:
    """Change a patient's demographics and log the write."""
    for name, value in fields.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save()
    log_access(
        user=by, patient=patient, action=AccessAction.WRITE, obj=patient, client_ip=client_ip
    )
    return patient


@transaction.atomic
def link_portal_account(
    *, patient: Patient, email: str, by: User, client_ip: str | None = None
) -> Patient:
    """Give a patient portal access: link the account registered with ``email`` to their
    record and grant it the ``patient`` role. The person registers first (accounts pages);
    the desk, having checked who they are, links the two."""
    if not can_manage_registration(by):
        raise PermissionDenied("Only the desk links portal accounts.")
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise DomainError(
            "No account uses this address; ask the patient to register first.",
            field="email",
            code="no_account",
        )
    already_linked = AlreadyLinked("This account is already linked to another patient.")
    if Patient.objects.filter(user=user).exclude(pk=patient.pk).exists():
        raise already_linked
    if user.has_role(*STAFF) or user.is_staff:
        raise DomainError(
            "A staff account cannot be a patient's portal login.",
            field="email",
            code="staff_account",
        )
    patient.user = user
    try:
        with transaction.atomic():  # the one-to-one's unique index decides a race between desks
            patient.save(update_fields=["user"])
    except IntegrityError as exc:
        raise already_linked from exc
    grant_role(user, PATIENT)
    log_access(
        user=by, patient=patient, action=AccessAction.WRITE, obj=patient, client_ip=client_ip
    )
    return patient
