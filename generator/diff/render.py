"""Render a list of changes as plain text, a Markdown pull-request comment, or JSON."""

from __future__ import annotations

import json

from generator.diagnostics import counted
from generator.diff.changes import Change, proposed_bump


def render_text(changes: list[Change]) -> str:
    """One line per change, breaking first, then a summary with the proposed bump."""
    lines = [
        f"{'BREAKING' if c.breaking else 'ok':8} {c.operation or '(spec)'}: {c.message} "
        f"[{c.kind}] at #{c.pointer}"
        for c in changes
    ]
    return "\n".join([*lines, _summary(changes)]) + "\n"


def render_markdown(changes: list[Change]) -> str:
    """A pull-request comment: the summary, then one table per section."""
    out = ["## API changes", "", _summary(changes)]
    for title, breaking in (("Breaking changes", True), ("Non-breaking changes", False)):
        rows = [c for c in changes if c.breaking is breaking]
        if rows:
            out += [
                "",
                f"### {title}",
                "",
                "| Operation | Change | Kind | Where |",
                "|---|---|---|---|",
            ]
            out += [
                f"| {_cell(c.operation or '(spec)')} | {_cell(c.message)} | `{c.kind}` "
                f"| `#{_cell(c.pointer)}` |"
                for c in rows
            ]
    return "\n".join(out) + "\n"


def render_json(changes: list[Change]) -> str:
    """For machines: the proposed bump, the breaking count and every change."""
    document = {
        "proposed_bump": proposed_bump(changes),
        "breaking": sum(c.breaking for c in changes),
        "changes": [c.as_dict() for c in changes],
    }
    return json.dumps(document, indent=2) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def _summary(changes: list[Change]) -> str:
    if not changes:
        return "No changes; proposed version bump: none."
    breaking = sum(c.breaking for c in changes)
    return (
        f"{breaking} breaking and {counted(len(changes) - breaking, 'non-breaking change')}; "
        f"proposed version bump: {proposed_bump(changes)}."
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
