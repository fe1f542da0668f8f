"""The README's ER diagram is generated from the models; this fails when they drift apart."""

from pathlib import Path

from django.core.management import call_command

from core.erd import BEGIN, END, diagram_in, mermaid, write_into

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_diagram_matches_the_models():
    assert diagram_in(README) == mermaid(), (
        "The models changed: run `manage.py er_diagram --write README.md` in shop/."
    )


def test_every_shop_model_and_relation_is_drawn():
    text = mermaid()
    for entity in ["Category {", "Stock {", "CartItem {", "Order {", "Payment {"]:
        assert entity in text
    assert "Variant ||--o| Stock : variant" in text
    assert "User |o--o{ Cart : user" in text
    assert "string sku UK" in text


def test_the_command_prints_and_writes(tmp_path, capsys):
    call_command("er_diagram")
    assert "erDiagram" in capsys.readouterr().out
    target = tmp_path / "README.md"
    target.write_text(f"# x\n{BEGIN}\n{END}\n")
    call_command("er_diagram", write=str(target))
    assert "updated" in capsys.readouterr().out
    assert write_into(target) is False  # a second write changes nothing
