"""The two command-line runners behind `make test` and `make run`."""

import re
import socket
import sys

import pytest

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
    monkeypatch.delenv("CAPSTONE_DB_PREFIX", raising=False)
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


def test_main_counts_left_out_tests_per_reason_and_names_what_runs_them(
    capsys, monkeypatch, tmp_path
):
    # Two real suites on the plugin, in the embedded mode: their left-out tests add up.
    marked = (
        "import pytest\n\n"
        "@pytest.mark.postgres\ndef test_pg():\n    pass\n\n"
        "@pytest.mark.worker\ndef test_worker():\n    pass\n\n"
        "def test_plain():\n    pass\n"
    )
    for name in ("shared", "shop"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "test_marked.py").write_text(marked)
        (tmp_path / name / "pytest.ini").write_text(
            "[pytest]\nDJANGO_SETTINGS_MODULE = shared.tests.project.settings\n"
            "addopts = -p no:cacheprovider\n"
        )
    monkeypatch.setattr(test_runner, "ROOT", tmp_path)
    monkeypatch.setenv("DJANGO_MODE", "embedded")
    monkeypatch.setattr("sys.argv", ["runner", "shared", "shop"])
    assert test_runner.main() == 0
    out = capsys.readouterr().out
    # Each suite's own line names that suite, not "shared" for all.
    assert "\nshop: 2 test(s) left out in the embedded mode" in out
    assert "\nshared: 2 test(s) left out in the embedded mode" in out
    summary = out[out.index("===== all suites") :]
    assert "4 test(s) left out" in summary
    assert re.search(r"2 need PostgreSQL\s+run them with: make test-services", summary)
    assert re.search(
        r"2 need Redis and a live Celery worker\s+run them with: make test-services", summary
    )
    assert "Chromium" not in summary  # no browser test was left out
    assert "2 passed, 0 failed" in summary


def test_left_out_lines_name_the_browser_command():
    lines = test_runner.left_out_lines({"total": 3, "browser": 3})
    assert "3 need Chromium" in lines[1] and ".ci/browser.sh" in lines[1]
    assert test_runner.left_out_lines({}) == []


def test_left_out_lines_count_exercises_and_name_make_exercise():
    lines = test_runner.left_out_lines({"total": 6, "exercise": 6})
    assert "6 are exercises, failing until solved" in lines[1]
    assert "make exercise P=<project> E=<name>" in lines[1]


def test_run_ports_follow_port_for_one_project_or_as_a_base_for_several():
    assert run_runner.ports_for(["shop", "hospital"], None) == {"shop": 8003, "hospital": 8001}
    assert run_runner.ports_for(["shop"], "9000") == {"shop": 9000}
    assert run_runner.ports_for(["hospital", "shop"], "9000") == {"hospital": 9000, "shop": 9002}
    with pytest.raises(ValueError, match="PORT must be a port number"):
        run_runner.ports_for(["shop"], "eighty")


def test_run_stops_before_seeding_when_a_port_is_busy(capsys, monkeypatch):
    seeded = []
    monkeypatch.setattr(run_runner, "prepare", seeded.append)
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        busy = other_program.getsockname()[1]
        monkeypatch.setenv("PORT", str(busy))
        assert run_runner.main(["shop"]) == 1
    assert f"port {busy} is in use by another program; set PORT=... or stop it" in (
        capsys.readouterr().err
    )
    assert seeded == []  # nothing was migrated, seeded or served


FAKE_SERVER = """
import socket, sys, time
print("Starting development server at http://127.0.0.1:%s/" % sys.argv[1], flush=True)
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen()
time.sleep(1.5)
print('"GET / HTTP/1.1" 200', flush=True)
time.sleep(0.5)
"""


def test_run_prints_the_table_once_servers_listen_and_after_their_banners(
    capsys, monkeypatch, tmp_path
):
    # A stand-in for runserver: a banner, then it listens, later logs a request and exits.
    script = tmp_path / "server.py"
    script.write_text(FAKE_SERVER)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PORT", str(port))
    monkeypatch.setattr(run_runner, "prepare", lambda project: [])
    monkeypatch.setattr(
        run_runner, "runserver_command", lambda port: [sys.executable, str(script), str(port)]
    )
    assert run_runner.main(["shop"]) == 0
    out = capsys.readouterr().out
    assert "Starting development server" not in out  # the banner would push the table away
    assert out.index("Ctrl-C stops every server.") < out.index('[shop] "GET / HTTP/1.1" 200')


def test_run_migrates_and_seeds_with_task_logs_quiet(monkeypatch):
    # Eager tasks log "succeeded ... False" at INFO while seeding; WARNING keeps real trouble.
    calls = []
    monkeypatch.setattr(
        run_runner.subprocess, "run", lambda argv, **kw: calls.append(kw) or Completed()
    )
    run_runner.manage("shop", "seed_demo")
    assert calls[0]["env"]["LOG_LEVEL"] == "WARNING"
    assert calls[0]["env"]["DJANGO_MODE"] == "embedded"


class Completed:
    stdout = ""


def test_the_embedded_broker_url_names_a_host():
    from kombu import Connection

    from shared.web.settings import EMBEDDED_BROKER_URL

    # "memory://" made kombu warn "No hostname was supplied" before make run's table. (The
    # constant, not settings.CELERY_BROKER_URL: in services mode that is the real Redis.)
    assert Connection(EMBEDDED_BROKER_URL).hostname == "localhost"
