"""write_tree / compare_tree / write_text_atomic: atomic, manifest-tracked, never lose a user's file."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pytest

from generator.diagnostics import ApibindError
from generator.write import MANIFEST, compare_tree, write_text_atomic, write_tree
from tests.workflow.conftest import read_only, snapshot, tree


def manifest(outdir: Path, package: str) -> dict[str, str]:
    return json.loads((outdir / package / MANIFEST).read_text())["files"]


def test_fresh_write_creates_packages_and_sorted_manifests(tmp_path, rendered):
    out = tmp_path / "out"
    report = write_tree(rendered, out)
    assert sorted(map(str, report.written)) == sorted(map(str, rendered))
    assert (out / "acme_client/api/accounts.py").read_text() == "def get_account(): ...\n"
    files = manifest(out, "acme_models")
    assert list(files) == ["__init__.py", "models.py"]
    assert all(len(digest) == 64 for digest in files.values())
    assert not [p for p in out.iterdir() if p.name.startswith(".apibind-tmp")]


def test_rewriting_the_same_tree_touches_nothing(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    report = write_tree(rendered, out)
    assert report.written == [] and report.removed == []
    assert len(report.unchanged) == len(rendered)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps


def test_regeneration_updates_and_removes_only_what_apibind_wrote(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    (out / "acme_client/notes.md").write_text("mine\n")
    (out / "acme_client/api/custom.py").write_text("# mine\n")
    (out / "README.md").write_text("user readme\n")
    new = dict(rendered)
    del new[PurePosixPath("acme_client/api/accounts.py")]
    new[PurePosixPath("acme_models/models.py")] = "class Account:\n    id: int\n"
    report = write_tree(new, out)
    assert report.removed == [PurePosixPath("acme_client/api/accounts.py")]
    assert report.written == [PurePosixPath("acme_models/models.py")]
    assert not (out / "acme_client/api/accounts.py").exists()
    assert (out / "acme_client/api/custom.py").read_text() == "# mine\n"
    assert (out / "acme_client/notes.md").read_text() == "mine\n"
    assert (out / "README.md").read_text() == "user readme\n"
    assert "api/accounts.py" not in manifest(out, "acme_client")


def test_emptied_generated_folders_are_pruned(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    new = {p: t for p, t in rendered.items() if p.parts[1] != "api"}
    write_tree(new, out)
    assert not (out / "acme_client/api").exists()
    assert (out / "acme_client/__init__.py").exists()


def test_hand_edited_generated_file_is_reported_and_kept_unless_forced(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    edited = out / "acme_models/models.py"
    edited.write_text("class Account:  # my tweak\n    id: str\n")
    new = dict(rendered)
    new[PurePosixPath("acme_models/models.py")] = "class Account:\n    id: int\n"
    report = write_tree(new, out)
    assert report.skipped_user_edited == [PurePosixPath("acme_models/models.py")]
    assert "my tweak" in edited.read_text()
    [warning] = report.warnings
    assert "edited by hand" in warning.message and "--force" in (warning.hint or "")
    assert str(out / "acme_models/models.py") in str(warning.location)
    # still detected on the next run, then overwritten with force
    assert write_tree(new, out).skipped_user_edited == [PurePosixPath("acme_models/models.py")]
    report = write_tree(new, out, force=True)
    assert report.written == [PurePosixPath("acme_models/models.py")]
    assert edited.read_text() == "class Account:\n    id: int\n"
    assert write_tree(new, out).unchanged


def test_hand_edited_file_no_longer_generated_is_kept_unless_forced(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    (out / "acme_client/api/accounts.py").write_text("# edited\n")
    new = {p: t for p, t in rendered.items() if p.name != "accounts.py"}
    report = write_tree(new, out)
    assert report.skipped_user_edited == [PurePosixPath("acme_client/api/accounts.py")]
    assert (out / "acme_client/api/accounts.py").read_text() == "# edited\n"
    assert write_tree(new, out, force=True).removed == [
        PurePosixPath("acme_client/api/accounts.py")
    ]
    assert not (out / "acme_client/api/accounts.py").exists()


def test_user_files_are_never_touched_even_with_force(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    user = out / "acme_models/extra.py"
    user.write_text("mine\n")
    write_tree(rendered, out, force=True)
    write_tree({p: t + "# v2\n" for p, t in rendered.items()}, out, force=True)
    assert user.read_text() == "mine\n"
    assert "extra.py" not in manifest(out, "acme_models")


def test_user_file_in_the_way_is_refused_and_nothing_changes(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    before = snapshot(out)
    (out / "acme_models/types.py").write_text("mine\n")
    new = dict(rendered)
    new[PurePosixPath("acme_models/types.py")] = "generated\n"
    new[PurePosixPath("acme_models/models.py")] = "changed\n"
    with pytest.raises(ApibindError) as caught:
        write_tree(new, out, force=True)
    assert "apibind did not write it" in str(caught.value)
    assert snapshot(out) == {**before, "acme_models/types.py": b"mine\n"}


def test_identical_existing_file_is_adopted(tmp_path, rendered):
    out = tmp_path / "out"
    (out / "acme_models").mkdir(parents=True)
    (out / "acme_models/models.py").write_text(rendered[PurePosixPath("acme_models/models.py")])
    report = write_tree(rendered, out)
    assert PurePosixPath("acme_models/models.py") in report.unchanged
    assert "models.py" in manifest(out, "acme_models")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../../etc/passwd", "'..'"),
        ("acme/../../etc/passwd", "'..'"),
        ("/etc/passwd", "absolute"),
        ("C:/Windows/evil.py", "drive letter"),
        ("acme/..\\..\\evil.py", "unsafe name"),
        ("setup.py", "inside a package folder"),
        ("acme/" + MANIFEST, "reserved"),
        ("acme/we ird.py", "unsafe name"),
    ],
)
def test_unsafe_paths_are_refused_before_anything_is_written(tmp_path, path, reason):
    out = tmp_path / "out"
    files = tree(**{"acme/ok.py": "ok\n", path: "evil\n"})
    with pytest.raises(ApibindError) as caught:
        write_tree(files, out)
    assert "refusing to write" in str(caught.value) and reason in str(caught.value)
    assert not out.exists()
    assert not (tmp_path / "etc").exists()


def test_symlink_escaping_the_output_folder_is_refused(tmp_path):
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (out / "acme").mkdir(parents=True)
    (out / "acme/api").symlink_to(outside)
    with pytest.raises(ApibindError, match="symlink pointing outside"):
        write_tree(tree(**{"acme/api/x.py": "x\n"}), out)
    assert list(outside.iterdir()) == []


def test_case_and_file_folder_clashes_are_refused(tmp_path):
    with pytest.raises(ApibindError, match="letter case"):
        write_tree(tree(**{"acme/Models.py": "", "acme/models.py": ""}), tmp_path / "out")
    with pytest.raises(ApibindError, match="also a file"):
        write_tree(tree(**{"acme/api": "", "acme/api/x.py": ""}), tmp_path / "out")


def _failing_replace(fail_at: int):
    """os.replace that fails (disk full) on its ``fail_at``-th call only."""
    real, calls = os.replace, {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    return replace


def test_a_failure_at_any_point_leaves_the_previous_output_untouched(
    tmp_path, rendered, monkeypatch
):
    out = tmp_path / "out"
    write_tree(rendered, out)
    (out / "acme_models/mine.py").write_text("mine\n")
    new = {p: t + "# v2\n" for p, t in rendered.items() if p.name != "accounts.py"}
    new[PurePosixPath("acme_client/api/new/deep.py")] = "new\n"
    before = snapshot(out)
    for fail_at in range(1, 100):  # fail the 1st, 2nd, ... rename until a run gets through
        with monkeypatch.context() as patch:
            patch.setattr(os, "replace", _failing_replace(fail_at))
            try:
                write_tree(new, out)
            except ApibindError as exc:
                assert "left as it was" in str(exc)
            else:
                break
        assert snapshot(out) == before, f"changed after failing at rename #{fail_at}"
        assert sorted(p.name for p in out.iterdir()) == ["acme_client", "acme_models"]
        assert not (out / "acme_client/api/new").exists()
    assert fail_at > 10
    assert (out / "acme_client/api/new/deep.py").read_text() == "new\n"
    assert (out / "acme_models/mine.py").read_text() == "mine\n"


def test_unwritable_output_folder_is_a_clear_error(tmp_path, rendered):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder\n")
    with pytest.raises(ApibindError) as caught:
        write_tree(rendered, blocker / "out")
    assert "cannot create the output folder" in str(caught.value)
    assert str(blocker / "out") in str(caught.value)


def test_read_only_output_folder_is_a_clear_error(tmp_path, rendered, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    read_only(monkeypatch, out)
    with pytest.raises(ApibindError, match="cannot write"):
        write_tree(rendered, out)
    monkeypatch.undo()
    assert list(out.iterdir()) == []


def test_corrupt_manifest_is_reported_with_its_location(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    (out / "acme_models" / MANIFEST).write_text("{not json")
    with pytest.raises(ApibindError) as caught:
        write_tree(rendered, out)
    assert "manifest is not valid" in str(caught.value) and MANIFEST in str(caught.value)


def test_write_text_atomic_replaces_and_leaves_no_temp_files(tmp_path, monkeypatch):
    target = tmp_path / "specs" / "api.yaml"
    write_text_atomic(target, "one\n")
    write_text_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", _failing_replace(1))
        with pytest.raises(ApibindError, match="No space left"):
            write_text_atomic(target, "three\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["api.yaml"]


def test_compare_tree_reports_stale_missing_and_unexpected_and_writes_nothing(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    assert compare_tree(rendered, out) == []
    (out / "acme_client/mine.py").write_text("user file, not reported\n")
    new = {p: t for p, t in rendered.items() if p.name != "accounts.py"}
    new[PurePosixPath("acme_models/models.py")] = "class Account:\n    id: int\n"
    new[PurePosixPath("acme_models/extra.py")] = "x\n"
    before = snapshot(out)
    drifts = {(d.kind, str(d.path)): d for d in compare_tree(new, out)}
    assert set(drifts) == {
        ("stale", "acme_models/models.py"),
        ("missing", "acme_models/extra.py"),
        ("unexpected", "acme_client/api/accounts.py"),
        ("stale", "acme_models/" + MANIFEST),
        ("stale", "acme_client/" + MANIFEST),
    }
    diff = drifts[("stale", "acme_models/models.py")].diff
    assert "-    id: str" in diff and "+    id: int" in diff
    assert snapshot(out) == before


def test_compare_tree_caps_long_diffs(tmp_path):
    out = tmp_path / "out"
    write_tree(tree(**{"acme/big.py": "".join(f"a{i}\n" for i in range(500))}), out)
    drifts = compare_tree(tree(**{"acme/big.py": "".join(f"b{i}\n" for i in range(500))}), out)
    [drift] = [d for d in drifts if d.path.name == "big.py"]
    assert drift.diff.count("\n") <= 41 and "more diff lines" in drift.diff


def test_compare_tree_flags_packages_no_longer_generated(tmp_path, rendered):
    out = tmp_path / "out"
    write_tree(rendered, out)
    (out / "notes").mkdir()
    (out / "notes/todo.md").write_text("user folder without a manifest\n")
    models_only = {p: t for p, t in rendered.items() if p.parts[0] == "acme_models"}
    assert sorted((d.kind, str(d.path)) for d in compare_tree(models_only, out)) == [
        ("unexpected", "acme_client/" + MANIFEST),
        ("unexpected", "acme_client/__init__.py"),
        ("unexpected", "acme_client/api/accounts.py"),
    ]
    write_tree(models_only, out)  # other packages are not write_tree's to remove
    assert (out / "acme_client/api/accounts.py").exists()
