"""Compare two OpenAPI specs and classify every change as breaking or not for a client.

The rules follow oasdiff's published breaking-change checks (its ERR and WARN levels count as
breaking). Because apibind generates Python packages from a spec, changes to generated names
(operationIds, component schema names) count as breaking too.
"""

from generator.diff.changes import ADDITIONS, Change, bump_version, proposed_bump
from generator.diff.operations import diff_specs
from generator.diff.render import RENDERERS, render_json, render_markdown, render_text

__all__ = [
    "ADDITIONS",
    "RENDERERS",
    "Change",
    "bump_version",
    "diff_specs",
    "proposed_bump",
    "render_json",
    "render_markdown",
    "render_text",
]
