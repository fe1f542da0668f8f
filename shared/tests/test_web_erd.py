"""shared.web.erd: the Mermaid diagram drawn from models, and the README block it maintains."""

import pytest

from shared.web.erd import BEGIN, END, diagram_in, mermaid, write_into


def test_the_diagram_draws_entities_keys_and_relations():
    text = mermaid(["accounts", "not_installed"])
    assert text.startswith("```mermaid\nerDiagram")
    assert "    User {" in text
    assert "        string email UK" in text
    assert "        int id PK" in text
    # Groups belong to django.contrib.auth, not to the listed apps: no relation line for them.
    assert "Group" not in text


def test_a_many_to_many_field_is_one_line_between_its_models():
    text = mermaid(["auth"])
    assert "    Group }o--o{ Permission : permissions" in text
    # The join table Django creates for it is not an entity of its own.
    assert "Group_permissions" not in text


def test_a_model_pointing_at_the_user_brings_a_short_user_entity():
    text = mermaid(["shared_tasks"])
    assert "    User |o--o{ TaskProgress : owner" in text  # a nullable key: zero or one
    assert "    User {\n        int id PK\n        string email UK\n    }" in text
    assert "        uuid id PK" in text


def test_write_into_replaces_only_the_marked_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{BEGIN}\nold\n{END}\nafter\n", encoding="utf-8")
    assert write_into(readme, ["accounts"]) is True
    assert write_into(readme, ["accounts"]) is False  # a second write changes nothing
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nbefore\n") and text.endswith(f"{END}\nafter\n")
    assert diagram_in(readme) == mermaid(["accounts"])


@pytest.mark.parametrize("marker", [BEGIN, END])
def test_a_readme_without_markers_is_an_error(tmp_path, marker):
    readme = tmp_path / "README.md"
    readme.write_text(marker, encoding="utf-8")
    with pytest.raises(ValueError):
        diagram_in(readme)


def test_the_command_draws_the_apps_of_settings_erd_apps(tmp_path, capsys, settings):
    from django.core.management import call_command

    settings.ERD_APPS = ["accounts"]
    call_command("er_diagram")
    assert "    User {" in capsys.readouterr().out
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{BEGIN}\n{END}\n", encoding="utf-8")
    call_command("er_diagram", write=str(readme))
    assert "updated" in capsys.readouterr().out
    call_command("er_diagram", write=str(readme))
    assert "already up to date" in capsys.readouterr().out
    assert diagram_in(readme) == mermaid(["accounts"])
