"""The cross-project import scan (shared.testing.project_imports) that make lint runs."""

import configparser
from pathlib import Path

from shared.testing import project_imports

REPO = Path(__file__).resolve().parents[2]
INSTALLED = {"django", "os"}


def write(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_checkout(root: Path) -> None:
    """Two tiny projects (shop with orders, hospital with billing) and shared/."""
    for project, app in (("shop", "orders"), ("hospital", "billing")):
        write(root, f"{project}/manage.py", "import os\n")
        write(root, f"{project}/config/__init__.py")
        write(root, f"{project}/core/__init__.py")
        write(root, f"{project}/{app}/__init__.py")
    write(root, "shared/__init__.py")


def test_own_apps_shared_installed_and_relative_imports_pass(tmp_path):
    make_checkout(tmp_path)
    write(
        tmp_path,
        "hospital/billing/services.py",
        "import os\nfrom django.db import models\nfrom shared.errors import DomainError\n"
        "from billing import models as m\nfrom config import settings\nfrom . import x\n",
    )
    write(tmp_path, "shared/errors.py", "from django.db import models\nfrom .web import api\n")

    assert project_imports.check_repo(tmp_path, installed=INSTALLED) == []


def test_importing_another_projects_app_is_reported_with_its_owner(tmp_path):
    make_checkout(tmp_path)
    write(
        tmp_path, "hospital/billing/services.py", "import os\n\nfrom orders.models import Order\n"
    )

    [violation] = project_imports.check_repo(tmp_path, installed=INSTALLED)

    assert violation.path == Path("hospital/billing/services.py")
    assert violation.line == 3
    assert violation.module == "orders.models"
    assert "shop project" in violation.reason


def test_shared_importing_a_project_app_is_reported(tmp_path):
    make_checkout(tmp_path)
    write(tmp_path, "shared/web/views.py", "def f():\n    import billing.models\n")

    [violation] = project_imports.check_repo(tmp_path, installed=INSTALLED)

    assert (violation.path, violation.module) == (Path("shared/web/views.py"), "billing.models")
    assert "hospital project" in violation.reason


def test_an_unknown_top_level_name_is_reported(tmp_path):
    make_checkout(tmp_path)
    write(tmp_path, "shop/orders/views.py", "import not_installed_anywhere\n")

    [violation] = project_imports.check_repo(tmp_path, installed=INSTALLED)

    assert violation.module == "not_installed_anywhere"
    assert "nor an installed package" in violation.reason


def test_virtualenvs_and_static_files_are_not_scanned(tmp_path):
    make_checkout(tmp_path)
    write(tmp_path, "shop/.venv/lib/site.py", "import billing\n")
    write(tmp_path, "shop/static/vendor/x.py", "import billing\n")

    assert project_imports.check_repo(tmp_path, installed=INSTALLED) == []


def test_main_exits_1_and_names_each_violation(tmp_path, capsys):
    make_checkout(tmp_path)
    write(tmp_path, "shop/orders/api.py", "from billing import services\n")

    assert project_imports.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "shop/orders/api.py:1: imports 'billing'" in out
    assert "1 import(s) across project boundaries." in out


def test_this_checkout_keeps_its_project_boundaries(capsys):
    assert project_imports.main([str(REPO)]) == 0
    assert "Project boundaries kept: shared" in capsys.readouterr().out


def test_the_import_linter_contract_forbids_every_app_of_every_present_capstone():
    """shared's forbidden contract (/.importlinter) lists each project's packages by name:
    a new capstone or app shows up here until it is added to the list."""
    config = configparser.ConfigParser()
    config.read(REPO / ".importlinter", encoding="utf-8")
    forbidden = set(
        config["importlinter:contract:shared-imports-no-project"]["forbidden_modules"].split()
    )
    packages = {
        init.parent.name
        for project in project_imports.find_projects(REPO)
        for init in project.glob("*/__init__.py")
    }

    assert forbidden == packages
