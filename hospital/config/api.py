"""The hospital's one API router: every viewset, registered here and nowhere else.

config/urls.py mounts it under /api/v1/. Errors need nothing here: services raise
shared DomainError/Conflict and shared.web.api.exception_handler answers them.
"""

from rest_framework.routers import DefaultRouter

from billing.api import InvoiceViewSet
from clinical.api.encounters import EncounterViewSet
from clinical.api.lab import LabOrderViewSet, LabResultViewSet
from clinical.api.observations import ObservationViewSet
from clinical.api.prescriptions import PrescriptionViewSet
from patients.api import PatientViewSet
from reports.api import DepartmentReportViewSet
from scheduling.api import AppointmentViewSet, DoctorViewSet
from staff.api import DepartmentViewSet

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("doctors", DoctorViewSet, basename="doctor")
router.register("patients", PatientViewSet, basename="patient")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("encounters", EncounterViewSet, basename="encounter")
router.register("observations", ObservationViewSet, basename="observation")
router.register("prescriptions", PrescriptionViewSet, basename="prescription")
router.register("lab-orders", LabOrderViewSet, basename="lab-order")
router.register("lab-results", LabResultViewSet, basename="lab-result")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("reports", DepartmentReportViewSet, basename="report")

# Plain API views (no viewset) would be listed here; the hospital has none.
api_urlpatterns = router.urls
