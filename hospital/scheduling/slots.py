"""Free slots: a doctor's weekly availability for one day, minus what is already booked."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from scheduling.models import Appointment
from staff.models import Availability, Doctor


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Midnight to midnight of ``day`` in the hospital's time zone."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def _windows(doctor: Doctor, day: date) -> list[Availability]:
    return list(doctor.availabilities.filter(weekday=day.weekday()).order_by("start_time"))


def all_slots(doctor: Doctor, day: date) -> list[Slot]:
    """Every slot the doctor's availability offers on ``day``, booked or not."""
    slots = []
    for window in _windows(doctor, day):
        step = timedelta(minutes=window.slot_minutes)
        start = timezone.make_aware(datetime.combine(day, window.start_time))
        window_end = timezone.make_aware(datetime.combine(day, window.end_time))
        while start + step <= window_end:
            slots.append(Slot(start, start + step))
            start += step
    return slots


def available_slots(doctor: Doctor, day: date, *, now: datetime | None = None) -> list[Slot]:
    """The slots on ``day`` that are not over yet and overlap no active appointment.

    Two queries whatever the number of slots: the availability windows and the day's bookings.
    """
    now = now or timezone.now()
    day_start, day_end = day_bounds(day)
    booked = list(
        Appointment.objects.active()
        .filter(doctor=doctor)
        .overlapping(day_start, day_end)
        .values_list("start", "end")
    )
    return [
        slot
        for slot in all_slots(doctor, day)
        if slot.end > now
        and not any(slot.start < end and start < slot.end for start, end in booked)
    ]


def slot_at(doctor: Doctor, start: datetime) -> Slot | None:
    """The doctor's slot that begins exactly at ``start``, or None if no window offers it."""
    local_start = timezone.localtime(start)
    for slot in all_slots(doctor, local_start.date()):
        if slot.start == local_start:
            return slot
    return None
