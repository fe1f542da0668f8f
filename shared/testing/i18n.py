"""Find text in Django templates that is not marked for translation.

A project that offers more than one language wants every word a user reads to go through
``{% translate %}`` or ``{% blocktranslate %}``; a forgotten one shows up in English on a
Hindi page. ``unmarked_strings`` reads one template and returns what is left unmarked:

1. Django's own template ``Lexer`` splits the source into tokens: TEXT (plain HTML) and
   the tags ``{{ ... }}``, ``{% ... %}``, ``{# ... #}``.
2. Every tag becomes a placeholder character, the body of a ``{% blocktranslate %}`` or a
   ``{% comment %}`` too; what remains is the template's own HTML.
3. Python's ``html.parser`` reads that HTML: the text between tags, and the attributes a
   user sees (a tooltip, a placeholder, a label read by a screen reader, a submit button's
   value). Any of them that still has a letter in it is unmarked.

The placeholder is a private-use character: it is not a letter, so
``<a href="{% url 'home' %}">{% translate "Home" %}</a>`` passes, ``<a ...>Home</a>`` does not.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

PLACEHOLDER = "\ue000"
LETTER = re.compile(r"[^\W\d_]")  # a letter of any script: Latin, Devanagari...
# Attributes a user reads or hears. data-label is shown by CSS on a phone (table.stack).
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-label"}
# The value of these inputs is the text on the button.
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
# Tags whose body is hidden (comment) or translated as a whole (blocktranslate).
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


@dataclass(frozen=True)
class Unmarked:
    """One piece of unmarked text: where it is and what it says."""

    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


class _VisibleText(HTMLParser):
    """Collects (line, text) for text nodes and visible attributes that contain a letter."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # &rarr; becomes an arrow, not letters
        self.found: list[tuple[int, str]] = []
        self._in_script_or_style = 0

    def _keep(self, text: str) -> None:
        letter = LETTER.search(text)
        if letter:
            # getpos() is where the text starts; report the line of its first letter.
            line = self.getpos()[0] + text[: letter.start()].count("\n")
            cleaned = " ".join(text.replace(PLACEHOLDER, "…").split())
            self.found.append((line, cleaned))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._in_script_or_style += 1
        is_button_input = tag == "input" and (dict(attrs).get("type") or "") in BUTTON_INPUT_TYPES
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (name == "value" and is_button_input)
            if shown and value is not None:
                self._keep(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._in_script_or_style -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._in_script_or_style:
            self._in_script_or_style -= 1

    def handle_data(self, data: str) -> None:
        if not self._in_script_or_style:
            self._keep(data)


def _html_without_template_tags(source: str) -> str:
    """The template's HTML with every template tag (and skipped block) as a placeholder.

    Newlines inside a removed part are kept, so line numbers still match the file.
    """
    parts: list[str] = []
    closing: str | None = None  # the end tag of the block being skipped
    for token in Lexer(source).tokenize():
        raw = token.contents
        if closing is not None:
            if token.token_type == TokenType.BLOCK and raw.split()[:1] == [closing]:
                closing = None
            parts.append(PLACEHOLDER + "\n" * raw.count("\n"))
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(raw)
            continue
        if token.token_type == TokenType.BLOCK:
            name = raw.split()[0] if raw.split() else ""
            closing = SKIPPED_BLOCKS.get(name)
        parts.append(PLACEHOLDER + "\n" * raw.count("\n"))
    return "".join(parts)


def unmarked_strings(source: str, path: str = "<template>") -> list[Unmarked]:
    """Every piece of user-visible text in ``source`` that is not marked for translation."""
    parser = _VisibleText()
    parser.feed(_html_without_template_tags(source))
    parser.close()
    return [Unmarked(path, line, text) for line, text in parser.found]


def unmarked_in_templates(paths: Iterable[Path], root: Path | None = None) -> list[Unmarked]:
    """``unmarked_strings`` for each template file; paths are shown relative to ``root``."""
    found: list[Unmarked] = []
    for path in sorted(paths):
        shown = str(path.relative_to(root)) if root else str(path)
        found += unmarked_strings(path.read_text(encoding="utf-8"), shown)
    return found


# --- Translation catalogues (.po and .mo) ------------------------------------------------
# A fresh machine has Python but not GNU gettext, so a project commits its compiled .mo
# next to the .po. These helpers let a test prove the two agree and nothing is left out.


@dataclass
class PoEntry:
    """One message of a .po file: its English text and its translation(s)."""

    msgid: str
    msgid_plural: str = ""
    msgstr: list[str] | None = None  # one string, or one per plural form
    fuzzy: bool = False  # "#, fuzzy": a guess by makemessages that gettext ignores

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr or [])


_PO_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
_PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _po_unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _PO_ESCAPES.get(m.group(1), m.group(1)), text)


def read_po(text: str) -> list[PoEntry]:
    """The messages of a .po file, without its header and without obsolete (#~) entries.

    A small reader for the subset makemessages writes: comments, flags, msgid, msgid_plural,
    msgstr and msgstr[n], each value possibly split over several quoted lines.
    """
    entries: list[PoEntry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        current = ""
        fuzzy = False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#"):
                continue  # a comment, a source location, or an obsolete entry (#~)
            elif match := _PO_LINE.match(line):
                current = match.group(1)
                fields[current] = _po_unquote(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += _po_unquote(line[1:-1])  # the value goes on
        if "msgid" not in fields or fields["msgid"] == "":
            continue  # the header (msgid "") or a block of comments only
        plural = fields.get("msgid_plural", "")
        if plural:
            forms = sorted(k for k in fields if k.startswith("msgstr["))
            msgstr = [fields[k] for k in forms]
        else:
            msgstr = [fields.get("msgstr", "")]
        entries.append(PoEntry(fields["msgid"], plural, msgstr, fuzzy))
    return entries


def catalogue_problems(po_path: Path, mo_path: Path) -> list[str]:
    """What is wrong between a .po and its compiled .mo; an empty list when they agree.

    A fuzzy or untranslated entry is a problem (gettext would show English), and so is a
    .mo that was not compiled again after the .po changed (read with Python's gettext).
    """
    import gettext

    with mo_path.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    # The messages as read from the .mo: {msgid: text}, {(msgid, form): text} for plurals.
    # (Private, but the only way to tell "missing" from "translated as the same word".)
    catalog: dict[object, str] = compiled._catalog  # type: ignore[attr-defined]
    problems: list[str] = []
    for entry in read_po(po_path.read_text(encoding="utf-8")):
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
            continue
        if not entry.translated:
            problems.append(f"untranslated: {entry.msgid!r}")
            continue
        for form, text in enumerate(entry.msgstr or []):
            key: object = (entry.msgid, form) if entry.msgid_plural else entry.msgid
            if key not in catalog:
                problems.append(f"not in the .mo (compile again): {entry.msgid!r}")
            elif catalog[key] != text:
                problems.append(f"the .mo differs from the .po (compile again): {entry.msgid!r}")
    return problems
