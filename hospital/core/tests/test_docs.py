"""The README's ER diagram is generated from the models; this fails when they drift apart."""

from django.core.management import call_command

from core.erd import HOSPITAL_APPS, README
from shared.web.erd import BEGIN, END, diagram_in, mermaid


def test_readme_diagram_matches_the_models():
    assert diagram_in(README) == mermaid(HOSPITAL_APPS), (
        "The models changed: run `../.venv/bin/python manage.py er_diagram --write README.md` "
        "in hospital/."
    )


def test_the_command_prints_and_writes(tmp_path, capsys):
    call_command("er_diagram")
    assert "Appointment {" in capsys.readouterr().out
    target = tmp_path / "README.md"
    target.write_text(f"# x\n{BEGIN}\n{END}\n")
    call_command("er_diagram", write=str(target))
    assert "updated" in capsys.readouterr().out
    call_command("er_diagram", write=str(target))
    assert "already up to date" in capsys.readouterr().out
