"""Specs written as YAML read back as the same document (issue 9)."""

from __future__ import annotations

from generator.specfile import dumps, load_yaml


def test_line_break_characters_in_text_survive_a_round_trip() -> None:
    texts = [
        "a\x85b",
        "x\u2028y",
        "\u2029",
        "p\x85",
        "'\x85%null",
        "@1`.\x85%🐶",
        "tab\tand\nnewline",
    ]
    document = {"paths": {text: {"summary": text, "description": [text]} for text in texts}}
    assert load_yaml(dumps(document, "spec.yaml")) == document
