"""The two command-line runners behind `make test` and `make run`."""

from shared.testing import runner as test_runner
from shared.web import runner as run_runner


def test_parse_summary_adds_up_pytest_closing_line():
    line = "==== 12 passed, 2 failed, 1 error, 3 deselected, 1 skipped in 4.2s ===="
    assert test_runner.parse_summary(line) == {
        "passed": 12,
        "failed": 2,
        "errors": 1,
        "deselected": 3,
        "skipped": 1,
    }


def test_services_env_gives_each_project_its_own_database_and_redis_db(monkeypatch):
    monkeypatch.setenv("PG_URL", "postgres://pg@db:5432")
    monkeypatch.setenv("REDIS_BASE", "redis://cache:6379")
    shop = test_runner.project_env("shop", services=True)
    hospital = test_runner.project_env("hospital", services=True)
    assert shop["DJANGO_MODE"] == "services"
    assert shop["DATABASE_URL"] == "postgres://pg@db:5432/capstone_shop"
    assert shop["REDIS_URL"] == "redis://cache:6379/3"
    assert hospital["REDIS_URL"] == "redis://cache:6379/1"


def test_embedded_env_drops_service_urls(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://x/y")
    monkeypatch.setenv("REDIS_URL", "redis://x/0")
    env = test_runner.project_env("shop", services=False)
    assert env["DJANGO_MODE"] == "embedded"
    assert "DATABASE_URL" not in env and "REDIS_URL" not in env


def test_coverage_command_measures_from_the_first_import():
    command = test_runner.suite_command("shop", coverage=True, extra=["-x"])
    assert command[1:4] == ["-m", "coverage", "run"]
    assert f"--source={test_runner.ROOT / 'shop'}" in command
    assert command[-3:] == ["-m", "pytest", "-x"]
    assert test_runner.suite_command("shop", coverage=False, extra=[])[1:] == ["-m", "pytest"]


def test_main_runs_a_real_suite_and_reports_totals(capsys, monkeypatch, tmp_path):
    # A tiny suite in a throwaway "project" folder: the runner starts a real pytest in it.
    project = tmp_path / "shared"
    project.mkdir()
    (project / "test_one.py").write_text("def test_ok():\n    assert 1 + 1 == 2\n")
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:django -p no:shared\n")
    monkeypatch.setattr(test_runner, "ROOT", tmp_path)
    monkeypatch.setattr("sys.argv", ["runner", "shared"])
    assert test_runner.main() == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_main_fails_when_a_suite_fails(capsys, monkeypatch, tmp_path):
    project = tmp_path / "shared"
    project.mkdir()
    (project / "test_one.py").write_text("def test_broken():\n    assert False\n")
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:django -p no:shared\n")
    monkeypatch.setattr(test_runner, "ROOT", tmp_path)
    monkeypatch.setattr("sys.argv", ["runner", "shared"])
    assert test_runner.main() == 1
    out = capsys.readouterr().out
    assert "Failed suites: shared (pytest exit 1)" in out
    assert "0 passed, 1 failed" in out


def test_main_passes_what_follows_the_dashes_to_pytest(capsys, monkeypatch, tmp_path):
    # `make test PYTEST_ARGS=test_two.py`: a path after "--" is pytest's, not a suite name.
    project = tmp_path / "shared"
    project.mkdir()
    (project / "test_one.py").write_text("def test_broken():\n    assert False\n")
    (project / "test_two.py").write_text("def test_ok():\n    assert True\n")
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:django -p no:shared\n")
    monkeypatch.setattr(test_runner, "ROOT", tmp_path)
    monkeypatch.setattr("sys.argv", ["runner", "shared", "--", "test_two.py"])
    assert test_runner.main() == 0  # only test_two.py ran
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_run_refuses_an_unknown_project(capsys):
    assert run_runner.main(["blog"]) == 2
    assert "Unknown or absent project(s): blog" in capsys.readouterr().err


def test_run_table_lists_urls_and_logins(capsys):
    run_runner.print_table(
        [
            (
                "shop",
                "http://127.0.0.1:8003/",
                "http://127.0.0.1:8003/api/docs/",
                "staff: s@x / pw",
            ),
            ("", "", "", "customer: c@x / pw"),
        ]
    )
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8003/api/docs/" in out
    assert "staff: s@x / pw" in out and "customer: c@x / pw" in out
