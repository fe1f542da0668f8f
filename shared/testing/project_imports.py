"""No project imports another: `python -m shared.testing.project_imports` (run by make lint).

import-linter checks the layers *inside* one package tree; it cannot see that hospital's code
imports shop's `orders` app, because each project is its own tree of top-level apps. This scan
reads every Python file of every capstone (and of `shared/`) and allows exactly three kinds of
absolute import: the project's own top-level apps and modules, `shared`, and packages that are
installed (or the standard library). Anything else is reported with its file and line.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

# Directories that hold no code of the project itself.
SKIPPED_DIRS = {".venv", "node_modules", "__pycache__", "static", "staticfiles", "media"}


@dataclass(frozen=True)
class Violation:
    """One import a file may not make."""

    path: Path
    line: int
    module: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.module!r}: {self.reason}"


def find_projects(repo: Path) -> list[Path]:
    """The capstones in a checkout: the folders with a manage.py, as the Makefile finds them."""
    return sorted(path.parent for path in repo.glob("*/manage.py"))


def own_names(project: Path) -> set[str]:
    """The top-level names a project's code may import: its apps (packages) and modules."""
    names = {path.stem for path in project.glob("*.py")}
    names |= {path.parent.name for path in project.glob("*/__init__.py")}
    return names


def installed_names() -> set[str]:
    """Top-level names provided by the standard library and by installed distributions."""
    return set(sys.stdlib_module_names) | set(packages_distributions())


def python_files(root: Path) -> list[Path]:
    """Every .py file under root, skipping virtualenvs, static files and caches."""
    return sorted(
        path
        for path in root.rglob("*.py")
        if not SKIPPED_DIRS.intersection(part for part in path.relative_to(root).parts)
    )


def imported_modules(source: str, filename: str) -> list[tuple[int, str]]:
    """(line, module) for each absolute import in the source; relative imports stay inside."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def check_tree(
    root: Path, *, own: set[str], others: dict[str, str], installed: set[str]
) -> list[Violation]:
    """The imports under root that are neither its own, nor `shared`, nor installed.

    `others` maps each top-level name of the *other* projects to the project that owns it,
    so the message can say whose app was reached for.
    """
    violations = []
    for path in python_files(root):
        for line, module in imported_modules(path.read_text(encoding="utf-8"), str(path)):
            top = module.split(".")[0]
            if top in own or top == "shared":
                continue
            if top in others:
                reason = f"an app of the {others[top]} project (projects never import each other)"
            elif top in installed:
                continue
            else:
                reason = "neither an app of this project, nor shared, nor an installed package"
            # Shown relative to the checkout (a project and shared/ both sit at its root).
            violations.append(Violation(path.relative_to(root.parent), line, module, reason))
    return violations


def check_repo(repo: Path, *, installed: set[str] | None = None) -> list[Violation]:
    """Scan `shared/` and every capstone of the checkout at repo."""
    installed = installed_names() if installed is None else installed
    projects = {project.name: own_names(project) for project in find_projects(repo)}
    # Every project has `config` and `core`: a name is "another project's" only when the
    # scanned tree does not have it itself, which check_tree tests first.
    trees: dict[Path, set[str]] = {repo / "shared": {"shared"}}
    trees.update({repo / name: names for name, names in projects.items()})
    violations = []
    for root, own in trees.items():
        others = {
            name: project
            for project, names in projects.items()
            if repo / project != root
            for name in names
        }
        violations += check_tree(root, own=own, others=others, installed=installed)
    return violations


def main(argv: list[str] | None = None) -> int:
    """Print each violation; exit 1 when there is any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", nargs="?", default=".", type=Path, help="the checkout's root")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    violations = check_repo(repo)
    for violation in violations:
        print(violation)
    if violations:
        print(f"{len(violations)} import(s) across project boundaries.")
        return 1
    names = ", ".join(["shared", *(p.name for p in find_projects(repo))])
    print(f"Project boundaries kept: {names}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
