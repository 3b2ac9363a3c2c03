"""Where the page's decisions go in the overrides file: comments kept, the list made a block."""

from __future__ import annotations

import textwrap

import yaml

from generator.review.overrides_text import split_overrides

ENTRY = '  - operation: "getBill"\n    pointer: "/responses/200/properties/x"\n    rename: "y"\n'


def test_an_empty_flow_list_becomes_a_block_after_the_comments() -> None:
    text = "# how to pin things\n#   - operation: example\noverrides: []\n"
    split = split_overrides(text)
    assert split.head == "# how to pin things\n#   - operation: example\noverrides:\n"
    assert split.tail == ""
    assert split.indent == 2
    assert yaml.safe_load(split.head + ENTRY + split.tail)["overrides"][0]["rename"] == "y"


def test_entries_go_after_the_last_item_and_before_the_next_key() -> None:
    text = textwrap.dedent("""\
        overrides:
        - operation: a   # kept
          pointer: /requestBody
          rename: x
        spec:
          info: {title: T}  # kept too
        """)
    split = split_overrides(text)
    assert split.head.endswith("  rename: x\n") and "# kept\n" in split.head
    assert split.tail == "spec:\n  info: {title: T}  # kept too\n"
    assert split.indent == 0
    added = "- operation: b\n  pointer: /requestBody\n  remove: true\n"
    data = yaml.safe_load(split.head + added + split.tail)
    assert [o["operation"] for o in data["overrides"]] == ["a", "b"]


def test_a_missing_file_gets_a_list() -> None:
    split = split_overrides("")
    assert (split.head, split.tail) == ("overrides:\n", "")
