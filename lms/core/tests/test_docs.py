"""The README's ER diagram is generated from the models; this fails when they drift apart."""

from django.conf import settings

from shared.web.erd import diagram_in, mermaid


def test_readme_diagram_matches_the_models():
    assert diagram_in(settings.BASE_DIR / "README.md") == mermaid(settings.ERD_APPS), (
        "The models changed: run `../.venv/bin/python manage.py er_diagram --write README.md` "
        "in lms/."
    )


def test_every_lms_model_and_relation_is_drawn():
    text = mermaid(settings.ERD_APPS)
    for entity in ["Course {", "Tag {", "CourseStaff {", "Enrollment {", "Certificate {"]:
        assert entity in text
    assert "Course }o--o{ Tag : tags" in text
