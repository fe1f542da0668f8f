"""shared.testing.i18n: the checker that finds template text not marked for translation."""

import struct

from shared.testing.i18n import catalogue_problems, read_po, unmarked_in_templates, unmarked_strings


def texts(source):
    return [found.text for found in unmarked_strings(source)]


def test_plain_text_between_tags_is_unmarked():
    assert texts("<h1>My learning</h1>") == ["My learning"]


def test_translated_text_passes():
    source = '{% load i18n %}<h1>{% translate "My learning" %}</h1>'
    assert texts(source) == []


def test_a_blocktranslate_body_is_marked_even_with_words_and_variables():
    source = (
        "{% load i18n %}<p>{% blocktranslate count counter=n %}{{ n }} seat left"
        "{% plural %}{{ n }} seats left{% endblocktranslate %}</p>"
    )
    assert texts(source) == []


def test_text_around_a_variable_is_unmarked():
    assert texts("<p>{{ done }} of {{ total }} lessons</p>") == ["… of … lessons"]


def test_template_tags_inside_an_html_tag_are_not_text():
    source = '<a href="{% url \'home\' %}" class="{% if x %}on{% endif %}">{{ title }}</a>'
    assert texts(source) == []


def test_comments_of_both_kinds_are_skipped():
    source = "{# Only for you #}{% comment %}A note to readers{% endcomment %}<!-- an HTML note -->"
    assert texts(source) == []


def test_scripts_styles_entities_and_symbols_are_not_words():
    source = "<script>var a = 'x';</script><style>p { color: red }</style>&rarr; ✓ – 12% (#3)"
    assert texts(source) == []


def test_user_visible_attributes_are_checked():
    source = (
        '<input placeholder="Search courses"><button aria-label="Move up">&uarr;</button>'
        '<img alt="Logo" src="x.svg"><abbr title="Portable document">PDF</abbr>'
        '<td data-label="Status"></td><input type="submit" value="Save">'
    )
    assert texts(source) == [
        "Search courses",
        "Move up",
        "Logo",
        "Portable document",
        "PDF",
        "Status",
        "Save",
    ]


def test_attributes_nobody_reads_are_not_checked():
    source = '<input type="text" name="query" value="python" class="wide" id="search">'
    assert texts(source) == []


def test_a_translated_attribute_passes():
    source = "{% load i18n %}<input placeholder=\"{% translate 'Search courses' %}\">"
    assert texts(source) == []


def test_the_line_is_the_line_of_the_first_letter():
    source = '{% extends "base.html" %}\n{% block content %}\n\n  <p>\n    Hello</p>'
    [found] = unmarked_strings(source, "page.html")
    assert (found.path, found.line, found.text) == ("page.html", 5, "Hello")
    assert str(found) == "page.html:5: 'Hello'"


def test_lines_stay_right_after_a_multiline_blocktranslate():
    source = "{% blocktranslate %}one\ntwo\nthree{% endblocktranslate %}\n<p>Left out</p>"
    [found] = unmarked_strings(source)
    assert found.line == 4


def test_files_are_read_and_named_relative_to_a_root(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "marked.html").write_text('{% load i18n %}{% translate "Hi" %}')
    (tmp_path / "app" / "unmarked.html").write_text("<p>हिन्दी पाठ</p>")
    found = unmarked_in_templates(tmp_path.rglob("*.html"), root=tmp_path)
    assert [str(f) for f in found] == ["app/unmarked.html:1: 'हिन्दी पाठ'"]


# --- .po and .mo -----------------------------------------------------------------------

PO = r"""# A comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: courses/templates/courses/catalogue.html
msgid "Search"
msgstr "खोजें"

msgid ""
"A long sentence "
"on two lines with a \"quote\"."
msgstr "एक लंबा वाक्य \"उद्धरण\" के साथ।"

msgid "%(n)s seat left"
msgid_plural "%(n)s seats left"
msgstr[0] "%(n)s सीट बाकी"
msgstr[1] "%(n)s सीटें बाकी"

#~ msgid "Gone"
#~ msgstr "गया"
"""


def write_mo(path, messages):
    """A minimal GNU .mo file (the format msgfmt writes), so this test needs no gettext.

    ``messages`` maps an original to a translation; a plural original is
    "singular\\0plural" and its translation "form0\\0form1". The header is msgid "".
    """
    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)  # after the header and the two tables
    id_table, str_table, offset = [], [], 0
    for k in keys:
        id_table += [len(k.encode()), start + offset]
        offset += len(k.encode()) + 1
    offset = 0
    for k in keys:
        str_table += [len(messages[k].encode()), start + len(ids) + offset]
        offset += len(messages[k].encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    body = struct.pack(f"{len(id_table)}i", *id_table) + struct.pack(
        f"{len(str_table)}i", *str_table
    )
    path.write_bytes(header + body + ids + strs)


HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
COMPILED = {
    "": HEADER,
    "Search": "खोजें",
    'A long sentence on two lines with a "quote".': 'एक लंबा वाक्य "उद्धरण" के साथ।',
    "%(n)s seat left\0%(n)s seats left": "%(n)s सीट बाकी\0%(n)s सीटें बाकी",
}


def test_read_po_reads_plain_wrapped_and_plural_messages_but_not_the_header_or_obsolete_ones():
    entries = read_po(PO)
    assert [(e.msgid, e.msgid_plural, e.msgstr, e.fuzzy) for e in entries] == [
        ("Search", "", ["खोजें"], False),
        ('A long sentence on two lines with a "quote".', "", ['एक लंबा वाक्य "उद्धरण" के साथ।'], False),
        ("%(n)s seat left", "%(n)s seats left", ["%(n)s सीट बाकी", "%(n)s सीटें बाकी"], False),
    ]


def test_a_po_and_its_compiled_mo_agree(tmp_path):
    (tmp_path / "django.po").write_text(PO, encoding="utf-8")
    write_mo(tmp_path / "django.mo", COMPILED)
    assert catalogue_problems(tmp_path / "django.po", tmp_path / "django.mo") == []


def test_a_mo_not_compiled_again_after_the_po_changed_is_a_problem(tmp_path):
    changed = PO.replace('msgstr "खोजें"', 'msgstr "ढूँढें"') + '\nmsgid "New"\nmsgstr "नया"\n'
    (tmp_path / "django.po").write_text(changed, encoding="utf-8")
    write_mo(tmp_path / "django.mo", COMPILED)
    assert catalogue_problems(tmp_path / "django.po", tmp_path / "django.mo") == [
        "the .mo differs from the .po (compile again): 'Search'",
        "not in the .mo (compile again): 'New'",
    ]


def test_fuzzy_and_untranslated_messages_are_problems(tmp_path):
    extra = '\n#, fuzzy\nmsgid "Save"\nmsgstr "सहेजें"\n\nmsgid "Back"\nmsgstr ""\n'
    extra += '\nmsgid "%(n)s pt"\nmsgid_plural "%(n)s pts"\nmsgstr[0] "%(n)s अंक"\nmsgstr[1] ""\n'
    (tmp_path / "django.po").write_text(PO + extra, encoding="utf-8")
    write_mo(tmp_path / "django.mo", COMPILED)
    assert catalogue_problems(tmp_path / "django.po", tmp_path / "django.mo") == [
        "fuzzy: 'Save'",
        "untranslated: 'Back'",
        "untranslated: '%(n)s pt'",
    ]
