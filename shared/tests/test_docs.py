"""The docs stay true: every Markdown file's paths, `module.symbol`s, make targets and ports exist.

What is checked, and where (the rules a writer follows):

- Repo paths, in inline code (`shop/orders/services.py`) and in Markdown links. A path is
  looked for next to the Markdown file, at the repository root, inside the file's project
  (`catalog/models.py` in shop/README.md) or one of its apps (`tests/factories.py`), and
  among template folders (a Django template name such as `orders/checkout.html`). A word
  counts as a path when it has a slash and either ends with a file extension or starts with
  a folder that exists (so `application/json` is not one). What a .gitignore covers (build
  output, generated files) may be named before it exists.
- `module.symbol` references in inline code (`orders.services.place_order`,
  `shared.web.api.exception_handler`): when the first name is `shared` or one of a project's
  apps, the module file is parsed with `ast` (no Django project is imported) and the symbol
  must be defined there (a class's attribute is looked up one level further). An app's name
  is also a variable's (`cart.items`), so after an app only a module name (`cart.services`)
  makes a reference. Quoted strings (`"orders.send_confirmation"`, a task name) are values,
  not references, and are skipped.
- Links to a heading (`glossary.md#two-doors`, `#usage`): the heading must exist.
- `make <target>` commands, in inline code and fenced blocks: the target must be defined in
  the Makefile or a file it includes.
- `127.0.0.1:PORT` and `localhost:PORT` URLs: the port must be the project's. A URL belongs
  to the project of the file's folder, else of its line when the line names exactly one
  project, else of the nearest heading that names exactly one; with no project, any project's
  port will do. Known service ports (PostgreSQL, Redis, Flower, ...) are allowed everywhere.

Fenced code blocks are example code (Express beside Django, shell sessions): only their
make commands and URLs are checked, not the words that look like paths.
"""

import ast
import builtins
import os
import re
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PORTS = {"hospital": 8001, "lms": 8002, "shop": 8003, "crm": 8004, "saas": 8005}
# Ports of the services around the projects; a doc may name them from anywhere.
SERVICE_PORTS = {
    5432: "PostgreSQL",
    6379: "Redis",
    5173: "Vite's dev server for the shop's SPA (make spa)",
    5555: "Flower",
    8025: "Mailpit (compose)",
    8180: "the load-test stack (deploy/native_stack.py)",
    8189: "locust's web UI",
    8443: "nginx with TLS (make prod-run)",
    9090: "Prometheus",
}
# A second Redis of your own, for a run beside another one (CAPSTONE_DB_PREFIX, REDIS_BASE).
OWN_REDIS_PORTS = range(6380, 6400)
# Folders that hold no documentation of ours: installed packages, caches, run artefacts.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".import_linter_cache",
    "htmlcov",
    "__pycache__",
    "media",
    "staticfiles",
}
# Third-party text vendored with its asset (Pico CSS's licence), not written by us.
SKIPPED_FILES = {"shared/web/static/shared/css/pico.LICENSE.md"}
EXTENSIONS = {
    "py",
    "md",
    "html",
    "txt",
    "yml",
    "yaml",
    "toml",
    "ini",
    "sh",
    "json",
    "patch",
    "cfg",
    "conf",
    "png",
    "svg",
    "css",
    "js",
    "lock",
    "csv",
    "pdf",
    "mk",
    "j2",
    "service",
    "importlinter",
}

FENCE = re.compile(r"^ {0,3}(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*)")
URL_PORT = re.compile(r"\b(?:127\.0\.0\.1|localhost):(\d{2,5})\b")
MAKE = re.compile(r"(?:^|&&|;|\(|\||\$ )\s*make((?:\s+[A-Za-z_]+=\S*)*)\s+([a-z][a-z0-9-]*)\b")
CD = re.compile(r"\bcd\s+([\w./-]+)")
PATH_WORD = re.compile(r"^[\w.@+-]*/[\w./@+*-]*$")
DOTTED = re.compile(r"^[a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")
PROJECT_WORD = re.compile(r"\b(" + "|".join(PROJECT_PORTS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _walk(top: Path):
    """Every file and folder under `top`, never entering the skipped folders (.venv...)."""
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in [*dirs, *sorted(files)]:
            yield Path(folder) / name


def markdown_files(root: Path = ROOT) -> list[Path]:
    return sorted(
        path
        for path in _walk(root)
        if path.suffix == ".md" and path.relative_to(root).as_posix() not in SKIPPED_FILES
    )


def present_projects(root: Path = ROOT) -> list[str]:
    return [p for p in PROJECT_PORTS if (root / p / "manage.py").exists()]


@cache
def make_targets(root: Path = ROOT) -> frozenset[str]:
    """Targets of the Makefile and of the files it includes (`-include deploy/deploy.mk`)."""
    makefile = root / "Makefile"
    files = [makefile]
    for match in re.finditer(r"^-?include\s+(.+)$", makefile.read_text(), re.MULTILINE):
        files += [root / name for name in match.group(1).split()]
    targets: set[str] = set()
    for file in files:
        if file.exists():
            text = file.read_text()
            targets.update(re.findall(r"^([a-z][a-z0-9-]*)\s*:(?!=)", text, re.MULTILINE))
    return frozenset(targets)


# --- module.symbol ----------------------------------------------------------------------


def _top_level_names(body: list[ast.stmt]) -> set[str]:
    """Names a module (or class body) defines: defs, classes, assignments, imports."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.If | ast.Try | ast.With):
            # Names defined under `if DEBUG:` or `try: ... except ImportError:` count too.
            for child in ("body", "orelse", "finalbody", "handlers"):
                for block in getattr(node, child, []):
                    inner = block.body if isinstance(block, ast.ExceptHandler) else [block]
                    names |= _top_level_names(inner)
    return names


@cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


# The file names an app's modules have (the conventions', and those the projects use).
CONVENTIONAL_MODULES = {
    "models",
    "services",
    "views",
    "api",
    "forms",
    "tasks",
    "admin",
    "urls",
    "apps",
    "exceptions",
    "selectors",
    "access",
    "rules",
    "seed",
    "signals",
    "factories",
    "roles",
    "settings",
    "celery_app",
    "wsgi",
    "asgi",
}


@cache
def module_names(root: Path = ROOT) -> frozenset[str]:
    names = set(CONVENTIONAL_MODULES)
    for project in present_projects(root):
        names.update(p.stem for p in (root / project).glob("*/*.py") if p.stem != "__init__")
        names.update(p.parent.name for p in (root / project).glob("*/*/__init__.py"))
    return frozenset(names)


def _module_file(base: Path, parts: list[str]) -> Path | None:
    as_file = base.joinpath(*parts).with_suffix(".py")
    as_package = base.joinpath(*parts, "__init__.py")
    return as_file if as_file.exists() else as_package if as_package.exists() else None


def _packages(root: Path, project: str | None) -> dict[str, list[Path]]:
    """First name of a dotted reference -> the folders its package may live in."""
    bases: dict[str, list[Path]] = {"shared": [root]}
    projects = [project] if project else present_projects(root)
    for name in projects:
        for init in sorted((root / name).glob("*/__init__.py")):
            bases.setdefault(init.parent.name, []).append(root / name)
    return bases


def _has_member(classes: dict[str, ast.ClassDef], name: str, member: str) -> bool:
    """A class body defines `member`, or may inherit it from a base we cannot read."""
    node = classes[name]
    if member in _top_level_names(node.body):
        return True
    for base in node.bases:
        base_name = base.id if isinstance(base, ast.Name) else None
        if base_name in classes and base_name != name:
            if _has_member(classes, base_name, member):
                return True
        elif base_name is None or not hasattr(builtins, base_name):
            return True  # models.Model, a DRF class...: inherited members are not followed
    return False


def resolve_symbol(dotted: str, root: Path, project: str | None) -> str | None:
    """None when `dotted` resolves (or is not one of ours); else why it does not."""
    parts = dotted.split(".")
    bases = _packages(root, project)
    if parts[0] not in bases:
        return None  # request.client_ip, transaction.atomic...: not a module of this repo
    if parts[0] != "shared" and parts[1] not in module_names(root):
        # An app's name is also a variable's (`cart.items`, `order.total`): it is a module
        # reference only when the next name is a module name (`cart.services`, `orders.api`).
        return None
    reasons = []
    for base in bases[parts[0]]:
        # The longest prefix that is a module file; the rest are names inside it.
        for cut in range(len(parts), 0, -1):
            module = _module_file(base, parts[:cut])
            if module:
                break
        else:
            reasons.append(f"no module {parts[0]} under {base.relative_to(root) or '.'}")
            continue
        rest = parts[cut:]
        if not rest:
            return None
        tree = _parse(module)
        names = _top_level_names(tree.body)
        if rest[0] not in names and "__getattr__" not in names:
            reasons.append(f"{module.relative_to(root)} defines no {rest[0]!r}")
            continue
        classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        if len(rest) > 1 and rest[0] in classes and not _has_member(classes, rest[0], rest[1]):
            reasons.append(f"class {rest[0]} in {module.relative_to(root)} has no {rest[1]!r}")
            continue
        return None
    return "; ".join(reasons)


@cache
def code_strings(root: Path = ROOT) -> frozenset[str]:
    """Every dotted string literal in our Python code: task names, permission names..."""
    found: set[str] = set()
    folders = [root / "shared", *(root / p for p in present_projects(root))]
    for folder in folders:
        for path in (p for p in _walk(folder) if p.suffix == ".py"):
            for node in ast.walk(_parse(path)):
                is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
                if is_text and DOTTED.match(node.value):
                    found.add(node.value)
    return frozenset(found)


# --- paths ------------------------------------------------------------------------------


def _looks_like_path(word: str, bases: list[Path]) -> bool:
    if not PATH_WORD.match(word) or word.startswith(("/", "-")) or "//" in word:
        return False
    last = word.rstrip("/").rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[-1] in EXTENSIONS:
        return True
    first = word.split("/", 1)[0]
    return first in {"..", "."} or any((base / first).exists() for base in bases)


def _path_exists(word: str, bases: list[Path], template_roots: list[Path]) -> bool:
    clean = word.split("::")[0]
    clean = re.sub(r":\d+(-\d+)?$", "", clean).rstrip("/") or "/"
    # A Django template or static name resolves the way the loaders look for it.
    name = clean.removeprefix("templates/").removeprefix("static/")
    candidates = [*bases, *template_roots]
    if "*" in clean:  # a glob names a family of files: at least one must exist
        return any(any(base.glob(name)) for base in candidates)
    if any((base / clean).exists() for base in bases):
        return True
    if any((t / name).exists() for t in candidates):
        return True
    folder, _, last = clean.rpartition("/")
    # `scheduling/0001`: a migration by its app and number.
    if re.fullmatch(r"\d{4}", last):
        return any(any((b / folder / "migrations").glob(f"{last}_*.py")) for b in bases)
    # `scheduling/services._transition`: a module by its path, then a name inside it.
    module, dot, symbol = last.partition(".")
    if dot and symbol.isidentifier():
        for base in bases:
            file = base / folder / f"{module}.py"
            if file.exists() and symbol in _top_level_names(_parse(file).body):
                return True
    return False


@cache
def _template_roots(root: Path, project: str | None) -> list[Path]:
    """The folders Django's template and static loaders search: the project's, then shared's."""
    tops = [root / project, root / "shared"] if project else [root]
    return [
        p for top in tops for p in _walk(top) if p.name in {"templates", "static"} and p.is_dir()
    ]


# --- anchors ----------------------------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    found: list[str] = []
    in_fence = False
    for line in path.read_text().splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (heading := HEADING.match(line)):
            base = slug(heading.group(1).strip().rstrip("#"))
            count = sum(1 for a in found if a == base or re.fullmatch(rf"{re.escape(base)}-\d+", a))
            found.append(f"{base}-{count}" if count else base)
    return frozenset(found)


def _anchor_problem(target: str, here: Path, own_text: str) -> str | None:
    """None when `file.md#anchor` (or `#anchor`) names a heading that exists."""
    file, _, anchor = target.partition("#")
    if not anchor:
        return None
    if not file:
        names = {slug(m.group(1).strip()) for m in map(HEADING.match, own_text.splitlines()) if m}
        return None if anchor in names else f"#{anchor}: no such heading in this file"
    path = here / file
    if path.suffix != ".md" or not path.exists():
        return None  # the path check reports a missing file
    return None if anchor in anchors(path.resolve()) else f"{target}: no such heading"


# --- what git ignores -------------------------------------------------------------------


@cache
def _ignore_rules(root: Path) -> tuple[tuple[Path, str], ...]:
    """(folder, pattern) for every line of every .gitignore: build output, generated files."""
    rules = []
    for path in _walk(root):
        if path.name == ".gitignore":
            for line in path.read_text().splitlines():
                line = line.strip()
                if line and not line.startswith(("#", "!")):
                    rules.append((path.parent, line.rstrip("/")))
    return tuple(rules)


def is_ignored(path: Path, root: Path = ROOT) -> bool:
    """True when a .gitignore covers `path`: a run creates it, so a doc may name it first.

    A pattern with a slash is anchored to its .gitignore's folder; one without matches any
    part of the path (`dist`, `*.sqlite3`). Negations (`!keep.me`) are not followed.
    """
    for folder, pattern in _ignore_rules(root):
        try:
            rel = path.resolve().relative_to(folder.resolve())
        except ValueError:
            continue
        if "/" in pattern:
            anchored = pattern.lstrip("/")
            if fnmatch(rel.as_posix(), anchored) or rel.as_posix().startswith(anchored + "/"):
                return True
        elif any(fnmatch(part, pattern) for part in rel.parts):
            return True
    return False


# --- one file ---------------------------------------------------------------------------


def _project_of_file(rel: PurePosixPath, root: Path) -> str | None:
    return rel.parts[0] if len(rel.parts) > 1 and rel.parts[0] in PROJECT_PORTS else None


def _one_project(text: str) -> str | None:
    named = {m.lower() for m in PROJECT_WORD.findall(text)}
    return named.pop() if len(named) == 1 else None


def check_text(text: str, rel: PurePosixPath, root: Path = ROOT) -> list[Problem]:
    """Every problem in one Markdown text, as if it lived at `rel` inside `root`."""
    problems: list[Problem] = []
    project = _project_of_file(rel, root)
    here = (root / rel).parent
    # A file outside the projects may name `config/settings.py` for every project: it holds
    # when one of them has it.
    # The same holds one level down: "each app's `tests/factories.py`".
    projects = [project] if project else present_projects(root)
    apps = [init.parent for p in projects for init in sorted((root / p).glob("*/__init__.py"))]
    bases = list(dict.fromkeys([here, root, *(root / p for p in projects)]))
    templates = _template_roots(root, project)
    targets = make_targets(root)
    scopes: dict[int, str | None] = {}  # heading level -> the project it names
    in_fence = False

    def report(number: int, message: str) -> None:
        problems.append(Problem(rel.as_posix(), number, message))

    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = None if in_fence else HEADING.match(line)
        if heading:
            level = len(line.lstrip().split(" ", 1)[0])
            scopes = {lv: p for lv, p in scopes.items() if lv < level}
            scopes[level] = _one_project(heading.group(1))
        heading_project = next((p for _, p in sorted(scopes.items(), reverse=True) if p), None)

        # Ports: the file's project, else the line's, else the nearest heading's.
        owner = project or _one_project(line) or heading_project
        allowed = {PROJECT_PORTS[owner]} if owner else set(PROJECT_PORTS.values())
        for match in URL_PORT.finditer(line):
            port = int(match.group(1))
            if port not in allowed and port not in SERVICE_PORTS and port not in OWN_REDIS_PORTS:
                whose = f"{owner}'s port is {PROJECT_PORTS[owner]}" if owner else "not a project's"
                report(number, f"{match.group(0)}: {whose} (nor a known service port)")

        code_spans = [line] if in_fence else [m.group(2) for m in INLINE_CODE.finditer(line)]
        for span in code_spans:
            for match in MAKE.finditer(span):
                if match.group(2) not in targets:
                    report(number, f"`make {match.group(2)}`: no such target in the Makefile")
        if in_fence:
            continue

        # (word, the folders it may be relative to): `cd shop && pytest catalog/tests` adds shop/.
        words = []
        for match in INLINE_CODE.finditer(line):
            span = match.group(2)
            moved = [here / d for d in CD.findall(span)] + [root / d for d in CD.findall(span)]
            words += [(w, [*moved, *bases]) for w in span.split()]
        for match in LINK.finditer(line):
            problem = _anchor_problem(match.group(1), here, text)
            if problem:
                report(number, problem)
        words += [(m.group(1).split("#")[0], bases) for m in LINK.finditer(line)]
        for raw, word_bases in words:
            word = raw.strip(",;:()[]")
            if not word or word.startswith(("http:", "https:", "mailto:", "#")):
                continue
            if raw.startswith(("'", '"')):
                continue  # a quoted string is a value ("orders.send_confirmation"), not a name
            if "<" in word or "{" in word or "$" in word or "=" in word:
                continue  # a placeholder or an assignment, not a real path
            # Whether a word is a path is judged from the main folders (so `static/app/`, a
            # URL, is not one); an app's folder only helps to find it.
            if _looks_like_path(word, word_bases):
                exists = _path_exists(word, [*word_bases, *apps], templates)
                if not exists and not any(is_ignored(b / word, root) for b in word_bases):
                    report(number, f"{word}: no such file or folder")
                continue
            dotted = word.split("(")[0].rstrip(".")
            if DOTTED.match(dotted) and dotted.rsplit(".", 1)[-1] not in EXTENSIONS:
                reason = resolve_symbol(dotted, root, project)
                if reason and dotted not in code_strings(root):
                    report(number, f"`{dotted}`: {reason}")
    return problems


def check_file(path: Path, root: Path = ROOT) -> list[Problem]:
    return check_text(path.read_text(), PurePosixPath(path.relative_to(root).as_posix()), root)


# --- the tests --------------------------------------------------------------------------


def test_every_markdown_reference_is_true():
    files = markdown_files()
    assert len(files) > 10, "the walk found too few Markdown files: is ROOT right?"
    problems = [str(p) for path in files for p in check_file(path)]
    assert not problems, "Markdown references that do not exist:\n" + "\n".join(problems)


def test_checker_reports_a_bad_path_symbol_target_and_port(tmp_path):
    # A temporary Markdown file, checked as if it were shop/NOTES.md.
    note = tmp_path / "NOTES.md"
    note.write_text(
        "# Notes\n"
        "Read `shop/orders/services.py` and `orders/no_such_module.py`.\n"
        "See [the guide](../docs/no-such-guide.md).\n"
        "`shared.web.api.exception_handler` is real; `shared.web.api.no_such_handler` is not.\n"
        "`shared.no_such_package.thing` is not either.\n"
        "Run `make test`, then `make no-such-target`.\n"
        "```bash\nmake also-missing P=shop\ncurl http://127.0.0.1:8001/api/v1/\n```\n"
        "Open http://127.0.0.1:8003/ and http://127.0.0.1:5432 is PostgreSQL.\n"
    )
    problems = check_text(note.read_text(), PurePosixPath("shop/NOTES.md"))
    found = {(p.line, p.message.split(":")[0]) for p in problems}
    assert found == {
        (2, "orders/no_such_module.py"),
        (3, "../docs/no-such-guide.md"),
        (4, "`shared.web.api.no_such_handler`"),
        (5, "`shared.no_such_package.thing`"),
        (6, "`make no-such-target`"),
        (8, "`make also-missing`"),
        (9, "127.0.0.1"),  # hospital's port in a shop file
    }, problems


def test_checker_knows_where_django_looks_and_what_a_heading_is_called():
    text = (
        "# Where things are\n"
        "`cd shared && ../.venv/bin/pytest tests/test_docs.py`, "
        "`cd shared && pytest tests/nope.py`\n"
        "Templates by name: `cart/cart_detail.html`, `shared/form.html`; not `cart/nope.html`.\n"
        "Migration `scheduling/0001` exists, `scheduling/0999` does not.\n"
        "`scheduling/services.book_appointment` is real, `scheduling/services.no_such` is not.\n"
        "[ok](#where-things-are), [bad](#nowhere), [ok](glossary.md#two-doors), "
        "[bad](glossary.md#no-such-term)\n"
        'A task name in quotes is a value: `"orders.whatever"`; `order.total` is a variable.\n'
        "Each app's `tests/factories.py`; `shop/frontend/dist/` is built (.gitignore), "
        "`shop/nowhere/dist/` is not.\n"
        "A Redis of your own: redis://127.0.0.1:6390, but not http://127.0.0.1:7000/.\n"
    )
    problems = check_text(text, PurePosixPath("docs/where.md"))
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (2, "tests/nope.py"),
        (3, "cart/nope.html"),
        (4, "scheduling/0999"),
        (5, "scheduling/services.no_such"),
        (6, "#nowhere"),
        (6, "glossary.md#no-such-term"),
        (8, "shop/nowhere/dist/"),
        (9, "127.0.0.1"),
    ], problems


def test_a_url_belongs_to_the_heading_or_line_that_names_its_project():
    text = (
        "# Hospital\n"
        "http://127.0.0.1:8001/ is right, http://127.0.0.1:8003/ is not.\n"
        "## The shop, by contrast\n"
        "http://127.0.0.1:8003/ is right here.\n"
        "# Ports\n"
        "| lms | http://127.0.0.1:8002/ |\n"
        "| any | http://127.0.0.1:8005/ http://127.0.0.1:8000/ |\n"
    )
    problems = check_text(text, PurePosixPath("docs/ports.md"))
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [
        (2, "127.0.0.1:8003:"),
        (7, "127.0.0.1:8000:"),
    ], problems


def test_symbols_resolve_inside_the_files_project_and_class_members_are_checked():
    # `orders` is a shop app: it resolves in shop's files, and is not a module in hospital's.
    assert resolve_symbol("orders.services.place_order", ROOT, "shop") is None
    assert resolve_symbol("orders.services.place_order", ROOT, "hospital") is None  # not ours there
    assert resolve_symbol("shared.errors.DomainError.status_code", ROOT, None) is None
    assert "has no 'nope'" in (resolve_symbol("shared.errors.DomainError.nope", ROOT, None) or "")
    assert resolve_symbol("shared.errors.Conflict.status_code", ROOT, None) is None  # inherited
    assert resolve_symbol("request.client_ip", ROOT, None) is None  # not a module of this repo
