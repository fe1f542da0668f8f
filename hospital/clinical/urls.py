"""Clinical pages: chart, triage, observation entry, prescriptions, lab desk, portal results."""

from django.urls import path

from clinical import views

app_name = "clinical"

urlpatterns = [
    path("chart/<int:patient_pk>/", views.chart, name="chart"),
    path("chart/<int:patient_pk>/encounters/open/", views.encounter_open, name="encounter-open"),
    path("encounters/<int:pk>/close/", views.encounter_close, name="encounter-close"),
    path(
        "encounters/<int:encounter_pk>/observations/", views.observation_new, name="observation-new"
    ),
    path("observations/<int:pk>/correct/", views.observation_correct, name="observation-correct"),
    path(
        "encounters/<int:encounter_pk>/prescribe/", views.prescription_new, name="prescription-new"
    ),
    path("encounters/<int:encounter_pk>/lab-orders/", views.lab_order_new, name="lab-order-new"),
    path("triage/", views.triage, name="triage"),
    path("triage/<int:appointment_pk>/start/", views.triage_start, name="triage-start"),
    path("lab/", views.lab_queue, name="lab-queue"),
    path("lab/orders/<int:order_pk>/result/", views.lab_result_new, name="lab-result-new"),
    path("lab/results/<int:pk>/correct/", views.lab_result_correct, name="lab-result-correct"),
    path("portal/results/", views.my_results, name="my-results"),
]
