"""The clinical app's object permissions, asked with ``user.has_perm(perm, patient)``.

``clinical.write_record``: may this user write into this patient's clinical record at all?
Staff who treat the patient (clinical/access.py ``treats``); a patient never writes their
own record, and neither does the desk. Every chart write in clinical/services.py asks it
first, so both doors enforce it; the finer rules (a nurse records observations only while
the patient is checked in, only the treating doctor prescribes) come after it.
"""

import rules

from clinical import access


@rules.predicate
def treats_patient(user, patient) -> bool:
    return patient is not None and access.treats(user, patient)


rules.add_perm("clinical.write_record", treats_patient)
