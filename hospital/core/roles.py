"""Every role of the hospital and every named set of roles: the one place that spells them.

Python code imports these constants; templates name a set with ``user|has_role:"desk"``
(a key of ``ROLE_SETS``). Plain constants, no Django imports: settings.py imports this module.
"""

RECEPTIONIST = "receptionist"
DOCTOR = "doctor"
NURSE = "nurse"
HOSPITAL_ADMIN = "hospital_admin"
PATIENT = "patient"

ROLES = {
    RECEPTIONIST: "Receptionist",
    DOCTOR: "Doctor",
    NURSE: "Nurse",
    HOSPITAL_ADMIN: "Hospital administrator",
    PATIENT: "Patient",
}

# Self-registration grants no role: a person who registers is not yet anybody's patient.
# The desk checks who they are and links the account to a record, granting PATIENT then
# (patients.services.link_portal_account).
DEFAULT_ROLE = None

# --- Named sets -------------------------------------------------------------------------
# Everyone who works in the hospital (one person, one role per account: never a patient too).
STAFF = (RECEPTIONIST, DOCTOR, NURSE, HOSPITAL_ADMIN)
# The front desk: registrations, appointments, invoices.
DESK = (RECEPTIONIST, HOSPITAL_ADMIN)
# Who may see every patient's registration record (never their clinical notes).
ALL_PATIENTS = DESK
# Who treats patients and reads their charts.
CLINICIANS = (DOCTOR, NURSE)
# The desk takes payments; the administrator oversees billing. Clinicians do not bill.
BILLING = DESK
# The hospital admin runs the lab desk: the queue of orders and result entry, not the notes.
LAB_DESK = (HOSPITAL_ADMIN,)
# Who works the lab queue and enters results.
LAB = (HOSPITAL_ADMIN, DOCTOR)
# Who requests the monthly department reports.
REPORTING = STAFF
# The patient portal.
PORTAL = (PATIENT,)
DOCTORS = (DOCTOR,)

ROLE_SETS = {
    "staff": STAFF,
    "desk": DESK,
    "clinicians": CLINICIANS,
    "billing": BILLING,
    "lab": LAB,
    "reporting": REPORTING,
    "portal": PORTAL,
    "doctors": DOCTORS,
}
