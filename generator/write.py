"""Write a rendered tree to disk without ever losing a file, and compare it with what is there.

``files`` maps relative POSIX paths to text; the first path segment is a generated package folder.
Each package folder gets a manifest (``.apibind-manifest.json``) with the sha256 of every file
apibind wrote there. On regeneration:

* files apibind wrote and no longer produces are removed;
* files not in the manifest (a user's files) are never modified or removed;
* generated files edited by hand (hash differs from the manifest) are left alone and reported,
  unless ``force``.

Everything is validated first, new contents are staged in a temporary folder inside the output
folder, then moved into place; if anything fails, every move is undone, so the previous output is
left as it was.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.commit import (
    commit,
    finish_interrupted,
    journaled_files,
    os_error,
    rollback_failed,
)
from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.leftovers import remove_leftovers, stale_staging

MANIFEST = ".apibind-manifest.json"
DIFF_LINES = 40  # unified diff lines shown per drifted file
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*|\.[A-Za-z0-9_][A-Za-z0-9_.\-]*")


@dataclass
class WriteReport:
    """What ``write_tree`` did, as paths relative to the output folder (manifests not listed)."""

    written: list[PurePosixPath] = field(default_factory=list)
    unchanged: list[PurePosixPath] = field(default_factory=list)
    removed: list[PurePosixPath] = field(default_factory=list)
    skipped_user_edited: list[PurePosixPath] = field(default_factory=list)
    adopted: list[PurePosixPath] = field(default_factory=list)  # --adopt: were in the way
    outdir: Path = Path()
    leftovers: list[Path] = field(default_factory=list)  # removed: an interrupted run's staging
    resumed: list[Path] = field(
        default_factory=list
    )  # killed mid-commit: finished from its journal

    @property
    def warnings(self) -> list[Diagnostic]:
        """A warning per generated file left alone because it was edited by hand, a note per
        interrupted run's folder removed."""
        return (
            [
                Diagnostic(
                    Level.WARNING,
                    "user-edited",
                    "generated file was edited by hand; left as it is",
                    Location(file=str(self.outdir / path)),
                    "rerun with --force to overwrite it, or move your changes elsewhere",
                )
                for path in self.skipped_user_edited
            ]
            + [
                Diagnostic(
                    Level.WARNING,
                    "leftover-removed",
                    "removed the staging folder of an interrupted run",
                    Location(file=str(folder)),
                    "that run may have left some files half-written: check them (git status)",
                )
                for folder in self.leftovers
            ]
            + [
                Diagnostic(
                    Level.WARNING,
                    "commit-resumed",
                    "finished the commit of a run killed in the middle of it, from its journal",
                    Location(file=str(folder)),
                    "the packages are now those that run wrote; this run brings them up to date",
                )
                for folder in self.resumed
            ]
        )


@dataclass(frozen=True)
class Drift:
    """One difference between the rendered tree and the output folder."""

    kind: str  # stale | edited (by hand) | missing | unexpected | leftover (of an interrupted run)
    path: PurePosixPath
    diff: str = ""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary sibling and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace_with(path, text.encode())
    except OSError as exc:
        raise os_error(exc, path) from exc


def write_tree(
    files: Mapping[PurePosixPath, str],
    outdir: Path,
    *,
    force: bool = False,
    retire: Iterable[str] = (),
    adopt: bool = False,
) -> WriteReport:
    """Write the rendered ``files`` under ``outdir`` atomically; see the module docstring.

    ``retire``: package folders no longer generated (a target dropped from the configuration);
    the files apibind wrote there are removed like any file no longer produced. ``adopt``: files
    in the way of a package that lost its manifest are taken as apibind's and overwritten.
    """
    packages = _validate(files, outdir)
    for folder in retire:
        if PurePosixPath(folder) not in packages and (outdir / folder / MANIFEST).is_file():
            packages[PurePosixPath(folder)] = {}
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, outdir, "cannot create the output folder") from exc
    resumed = finish_interrupted(outdir)
    report = WriteReport(outdir=outdir, resumed=resumed, leftovers=remove_leftovers(outdir))
    writes: dict[PurePosixPath, bytes] = {}
    removals: list[PurePosixPath] = []
    for package, members in sorted(packages.items()):
        plan = _plan_package(package, members, outdir, force, adopt)
        writes.update(plan.writes)
        removals += plan.removals
        report.written += plan.written
        report.unchanged += plan.unchanged
        report.removed += plan.removals
        report.skipped_user_edited += plan.skipped
        report.adopted += plan.adopted
    commit(writes, removals, outdir)
    for emptied in sorted({outdir / path.parts[0] for path in removals}):
        with contextlib.suppress(OSError):
            emptied.rmdir()  # a retired package's folder, once empty
    for name in ("written", "unchanged", "removed", "skipped_user_edited", "adopted"):
        getattr(report, name).sort()
    return report


def write_together(
    texts: Mapping[Path, str],
    files: Mapping[PurePosixPath, str] | None = None,
    outdir: Path | None = None,
    *,
    force: bool = False,
    retire: Iterable[str] = (),
    adopt: bool = False,
) -> tuple[list[Path], WriteReport | None]:
    """One transaction: the ``texts`` (spec, report) then, if given, the packages under ``outdir``.

    Texts that already hold their text are left alone. On any failure each text written is put
    back as it was (and ``write_tree`` undoes its own moves): the project is all new or as before.
    Returns the texts written and the packages' report.
    """
    previous: dict[Path, bytes | None] = {}
    try:
        for path, text in texts.items():
            old = _bytes_or_none(path)
            if old != text.encode():
                write_text_atomic(path, text)
                previous[path] = old
        report = (
            None
            if files is None or outdir is None
            else write_tree(files, outdir, force=force, retire=retire, adopt=adopt)
        )
    except BaseException:
        _restore(previous)
        raise
    return list(previous), report


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_error(exc, path, "cannot read") from exc


def _restore(previous: Mapping[Path, bytes | None]) -> None:
    """Put each file back as it was (``None``: it did not exist)."""
    try:
        for path, old in reversed(list(previous.items())):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                _replace_with(path, old)
    except OSError as exc:
        raise rollback_failed(exc, path, "restore this file from version control") from exc


def unedited_models(outdir: Path) -> dict[PurePosixPath, str]:
    """Models package modules (and the stub) apibind wrote in ``outdir`` whose bytes still match
    their manifest entry."""
    found: dict[PurePosixPath, str] = {}
    for manifest in sorted(outdir.glob(f"*_models/{MANIFEST}")):
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for relative, digest in entries.items():
            path = manifest.parent / relative
            if relative.endswith((".py", ".pyi")) and path.is_file():
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() == digest:
                    found[PurePosixPath(manifest.parent.name, relative)] = data.decode("utf-8")
    return found


def compare_tree(
    files: Mapping[PurePosixPath, str], outdir: Path, retire: Iterable[str] | None = None
) -> list[Drift]:
    """List how ``outdir`` differs from the rendered ``files`` (manifests included); write nothing.

    Files apibind wrote that are no longer produced are "unexpected", including whole package
    folders with a manifest that ``files`` no longer has (``write_tree`` leaves those alone).
    """
    packages = _validate(files, outdir)
    drifts = [
        Drift("leftover", PurePosixPath(folder.name), _interrupted(folder))
        for folder in stale_staging(outdir)
    ]
    drifts += [
        Drift("unexpected", PurePosixPath(folder.name) / rel)
        for folder in (sorted(outdir.iterdir()) if outdir.is_dir() else [])
        if PurePosixPath(folder.name) not in packages
        and (folder / MANIFEST).is_file()
        and (retire is None or folder.name in set(retire))
        for rel in [*sorted(_read_manifest(folder)), PurePosixPath(MANIFEST)]
        if (folder / rel).is_file()
    ]
    for package, members in sorted(packages.items()):
        expected = {package / rel: text.encode() for rel, text in members.items()}
        expected[package / MANIFEST] = _manifest_bytes(
            {rel: _sha256(t.encode()) for rel, t in members.items()}
        )
        old = _read_manifest(outdir / package)
        for path in sorted(expected):
            drift = _compare_file(outdir / path, path, expected[path])
            if (
                drift
                and drift.kind == "stale"
                and _edited(outdir / path, old.get(path.relative_to(package)))
            ):
                drift = Drift("edited", drift.path, drift.diff)
            if drift:
                drifts.append(drift)
        for rel in sorted(set(old) - set(members)):
            if (outdir / package / rel).is_file():
                drifts.append(Drift("unexpected", package / rel))
    return drifts


def _interrupted(folder: Path) -> str:
    """What ``check`` says under a leftover staging folder with a journal."""
    moved = journaled_files(folder)
    if moved is None:
        return ""
    return (
        f"  a run was killed in the middle of its commit ({moved} files): the output may be "
        "half new; `apibind build` finishes that commit, then updates it\n"
    )


# --- validation ---------------------------------------------------------------------------------


def _validate(
    files: Mapping[PurePosixPath, str], outdir: Path
) -> dict[PurePosixPath, dict[PurePosixPath, str]]:
    """Check every path is safe and group files by package; raise one error listing all problems."""
    problems: list[Diagnostic] = []
    packages: dict[PurePosixPath, dict[PurePosixPath, str]] = {}
    seen: dict[str, PurePosixPath] = {}
    for path, text in files.items():
        reason = _unsafe_reason(PurePosixPath(path), outdir)
        folded = str(path).lower()
        if reason is None and folded in seen:
            reason = f"differs only in letter case from {seen[folded]}"
        if reason:
            problems.append(_refusal(str(path), reason))
            continue
        seen[folded] = path
        packages.setdefault(PurePosixPath(path.parts[0]), {})[PurePosixPath(*path.parts[1:])] = text
    problems += _prefix_clashes(files)
    if problems:
        raise ApibindError(problems)
    return packages


def _unsafe_reason(path: PurePosixPath, outdir: Path) -> str | None:
    """Why ``path`` may not be written under ``outdir``, or None when it is safe."""
    raw = str(path)
    if path.is_absolute() or raw.startswith(("/", "\\")):
        return "absolute paths are not allowed"
    if re.match(r"^[A-Za-z]:", raw):
        return "drive letters are not allowed"
    if len(path.parts) < 2:
        return "files must be inside a package folder"
    for segment in path.parts:
        if segment in (".", ".."):
            return "'..' and '.' segments are not allowed"
        if not _SAFE_SEGMENT.fullmatch(segment):
            return f"unsafe name {segment!r} (letters, digits, '_', '.', '-' only)"
    if path.name == MANIFEST:
        return f"{MANIFEST} is reserved for apibind's manifest"
    return _symlink_escape(path, outdir)


def _symlink_escape(path: PurePosixPath, outdir: Path) -> str | None:
    root = outdir.resolve()
    current = outdir
    for segment in path.parts:
        current = current / segment
        if current.is_symlink() and not current.resolve().is_relative_to(root):
            return f"{current} is a symlink pointing outside the output folder"
    return None


def _prefix_clashes(files: Mapping[PurePosixPath, str]) -> list[Diagnostic]:
    """A path may not be both a file and the folder of another file."""
    names = {str(p) for p in files}
    return [
        _refusal(str(p), f"{parent} is also a file")
        for p in files
        for parent in (str(a) for a in PurePosixPath(p).parents)
        if parent in names
    ]


def _refusal(path: str, reason: str) -> Diagnostic:
    return Diagnostic(
        Level.ERROR,
        "unsafe-output-path",
        f"refusing to write {path!r}: {reason}",
        Location(file=path),
        "output paths come from sanitized names; check the package name and spec title",
    )


# --- planning -----------------------------------------------------------------------------------


@dataclass
class _Plan:
    writes: dict[PurePosixPath, bytes] = field(default_factory=dict)
    removals: list[PurePosixPath] = field(default_factory=list)
    written: list[PurePosixPath] = field(default_factory=list)
    unchanged: list[PurePosixPath] = field(default_factory=list)
    skipped: list[PurePosixPath] = field(default_factory=list)
    adopted: list[PurePosixPath] = field(default_factory=list)


def _plan_package(
    package: PurePosixPath,
    members: dict[PurePosixPath, str],
    outdir: Path,
    force: bool,
    adopt: bool = False,
) -> _Plan:
    """Decide, per file of one package, whether to write, keep, remove or skip it."""
    root = outdir / package
    old = _read_manifest(root)
    plan, manifest, conflicts = _Plan(), {}, []
    for rel, text in sorted(members.items()):
        data, target = text.encode(), root / rel
        current = _read_file(target, package / rel)
        new_hash = _sha256(data)
        if current == data:
            plan.unchanged.append(package / rel)
        elif current is not None and rel not in old and not adopt:
            conflicts.append((package / rel, current, data))
            continue
        elif current is not None and rel not in old:
            plan.writes[package / rel] = data
            plan.written.append(package / rel)
            plan.adopted.append(package / rel)
        elif current is not None and _sha256(current) != old[rel] and not force:
            plan.skipped.append(package / rel)
            new_hash = old[rel]
        else:
            plan.writes[package / rel] = data
            plan.written.append(package / rel)
        manifest[rel] = new_hash
    for rel in sorted(set(old) - set(members)):
        current = _read_file(root / rel, package / rel)
        if current is None:
            continue
        if _sha256(current) != old[rel] and not force:
            plan.skipped.append(package / rel)
            manifest[rel] = old[rel]
        else:
            plan.removals.append(package / rel)
    if conflicts:
        raise ApibindError([_conflict(*conflict) for conflict in conflicts])
    manifest_data = _manifest_bytes(manifest)
    if not members and not manifest:  # a retired package: nothing of apibind's is left
        plan.removals.append(package / MANIFEST)
    elif _read_file(root / MANIFEST, package / MANIFEST) != manifest_data:
        plan.writes[package / MANIFEST] = manifest_data
    return plan


def _conflict(path: PurePosixPath, current: bytes, data: bytes) -> Diagnostic:
    changed = sum(
        line[:1] in "+-" and not line.startswith(("+++", "---"))
        for line in difflib.unified_diff(
            current.decode(errors="replace").splitlines(),
            data.decode(errors="replace").splitlines(),
        )
    )
    differs = (
        f"it differs from what apibind would write in {changed} line(s)"
        if changed
        else ("it is identical to what apibind would write")
    )
    return Diagnostic(
        Level.ERROR,
        "user-file-in-the-way",
        f"refusing to overwrite {path}: it exists but apibind did not write it; {differs}",
        Location(file=str(path)),
        "move or delete your file (apibind never modifies files missing from its manifest); if "
        "apibind wrote it and the manifest was lost, rerun with --adopt to take it over",
    )


def _read_file(path: Path, shown: PurePosixPath) -> bytes | None:
    """The bytes at ``path``, None when nothing is there; a folder in the way is an error."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise os_error(exc, path, f"cannot read {shown}") from exc


def _read_manifest(root: Path) -> dict[PurePosixPath, str]:
    """The manifest of the package folder ``root`` ({relative path: sha256}); empty if none."""
    path = root / MANIFEST
    data = _read_file(path, PurePosixPath(root.name, MANIFEST))
    if data is None:
        return {}
    try:
        entries = json.loads(data)["files"]
        manifest = {PurePosixPath(rel): str(digest) for rel, digest in entries.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ApibindError.single(
            "bad-manifest",
            f"the apibind manifest is not valid ({exc})",
            Location(file=str(path)),
            "restore it from version control, or delete it (its files then count as yours)",
        ) from exc
    unsafe = [
        rel for rel in manifest if _unsafe_reason(PurePosixPath(root.name) / rel, root.parent)
    ]
    if unsafe:
        raise ApibindError.single(
            "bad-manifest",
            f"the apibind manifest lists unsafe paths: {', '.join(map(str, unsafe))}",
            Location(file=str(path)),
            "restore it from version control",
        )
    return manifest


def _manifest_bytes(manifest: Mapping[PurePosixPath, str]) -> bytes:
    files = {str(rel): manifest[rel] for rel in sorted(manifest, key=str)}
    return (json.dumps({"generator": "apibind", "files": files}, indent=2) + "\n").encode()


def _replace_with(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


# --- comparing ----------------------------------------------------------------------------------


def compare_text(path: Path, text: str, shown: PurePosixPath) -> Drift | None:
    """How the file at ``path`` (reported as ``shown``) differs from ``text``; None if equal."""
    return _compare_file(path, shown, text.encode())


def _edited(target: Path, recorded: str | None) -> bool:
    """Whether ``target`` is an apibind file changed since apibind wrote it."""
    return recorded is not None and _sha256(target.read_bytes()) != recorded


def _compare_file(target: Path, shown: PurePosixPath, expected: bytes) -> Drift | None:
    current = _read_file(target, shown)
    if current is None:
        return Drift("missing", shown)
    if current == expected:
        return None
    return Drift("stale", shown, _capped_diff(current, expected, str(shown)))


def _capped_diff(old: bytes, new: bytes, name: str, limit: int = DIFF_LINES) -> str:
    """A unified diff of ``old`` (on disk) -> ``new`` (expected), cut after ``limit`` lines."""
    lines = list(
        difflib.unified_diff(
            old.decode(errors="replace").splitlines(keepends=True),
            new.decode(errors="replace").splitlines(keepends=True),
            f"{name} (on disk)",
            f"{name} (expected)",
        )
    )
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in lines[:limit])
    if len(lines) > limit:
        shown += f"... ({len(lines) - limit} more diff lines)\n"
    return shown
