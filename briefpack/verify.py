"""`briefpack verify`: is a pack (folder or zip) exactly what its checksums and manifest say?

Checks: every file listed in SHA256SUMS exists and matches; no file is missing or extra;
the manifest lists the same files with the same digests and sizes, in well-formed records.
A zip is read through `briefpack.system.archive` (names normalized before they are checked,
sizes counted while inflating); a folder's entries are looked at without following links,
and only regular files are opened. `check_pack` returns a report of every file checked and
every problem; `verify_pack` raises `VerifyError` naming the first few problems.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.errors import InputError, VerifyError
from briefpack.pack import CHECKSUMS, MANIFEST
from briefpack.system.archive import ArchiveError, BudgetExceeded, Limits, SafeArchive
from briefpack.system.files import (
    FileProblem,
    hash_regular,
    kind_of,
    problem_from_os_error,
    read_regular,
)
from briefpack.system.jsondata import load_json
from briefpack.system.text import display_name, shorten

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_PACK_BYTES = 2 * 1024**3
MAX_LIST_BYTES = 16 * 1024 * 1024  # SHA256SUMS and manifest.json: a few KB in a real pack
MAX_FILES = 1000
SHOWN_PROBLEMS = 5
PACK_LIMITS = Limits(
    max_entries=MAX_FILES + 1,  # the files and the pack's folder entry
    max_entry_bytes=MAX_FILE_BYTES,
    max_total_bytes=MAX_PACK_BYTES,
)
_CHECKSUM_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class FileResult:
    """One file of the pack: its digest and size as found (None: absent), and its problems."""

    name: str
    sha256: str | None = None
    size: int | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class VerifyReport:
    """Everything `verify` found: each file checked, each problem (pack-wide ones too)."""

    path: str
    kind: str  # "folder" or "zip"
    files: dict[str, FileResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.all_problems()

    def file(self, name: str) -> FileResult:
        return self.files.setdefault(name, FileResult(name))

    def flag(self, name: str, problem: str) -> None:
        """Record a problem of one file (it is also counted in `all_problems`)."""
        self.file(name).problems.append(problem)

    def all_problems(self) -> list[str]:
        found = list(self.problems)
        for name in sorted(self.files):
            found += [f"{shorten(name, 120)} {p}" for p in self.files[name].problems]
        return found

    def summary(self, shown: int = SHOWN_PROBLEMS) -> str:
        """One line: the first `shown` problems, and how many more there are."""
        problems = self.all_problems()
        if not problems:
            return f"{self.path}: OK ({len(self.files)} files verified)"
        text = "; ".join(problems[:shown])
        if len(problems) > shown:
            text += f"; and {len(problems) - shown} more problems"
        return f"{self.path}: {text}"

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.path,
            "kind": self.kind,
            "ok": self.ok,
            "files": [
                {
                    "name": r.name,
                    "sha256": r.sha256,
                    "size": r.size,
                    "ok": not r.problems,
                    "problems": r.problems,
                }
                for r in sorted(self.files.values(), key=lambda r: r.name)
            ],
            "problems": self.all_problems(),
        }


def verify_pack(path: Path) -> list[str]:
    """Verify a pack; return the names of the files checked. Raise VerifyError otherwise."""
    report = check_pack(path)
    if not report.ok:
        raise VerifyError(report.summary())
    return sorted(report.files)


def check_pack(path: Path) -> VerifyReport:
    """Check a pack folder or zip; problems go into the report, never raised.

    Raises InputError only when `path` cannot be looked at (missing, a link loop, no
    permission), and VerifyError when it is neither a folder nor a regular file.
    """
    shown = display_name(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        found = problem_from_os_error(path, exc)
        advice = "give a pack folder or .zip" if found.kind == "missing" else "check the path"
        reason = "no such pack" if found.kind == "missing" else found.reason
        raise InputError(f"{shown}: {reason}; {advice}") from None
    if stat.S_ISDIR(mode):
        report = VerifyReport(shown, "folder")
        entries = _folder_entries(Path(path), report)
    elif stat.S_ISREG(mode):
        report = VerifyReport(shown, "zip")
        entries = _zip_entries(Path(path), report)
    else:
        raise VerifyError(f"{shown} is {kind_of(mode)}, not a pack; give a pack folder or .zip")
    listed: dict[str, str] = {}
    manifest: dict[str, tuple[str, int]] | None = None
    for name, data in entries:
        if name == CHECKSUMS and data is not None:
            listed = _parse_checksums(data, report)
        if name == MANIFEST and data is not None:
            manifest = _parse_manifest(data, report)
    if report.problems:  # the pack could not be read: comparing would only add noise
        return report
    for required in (CHECKSUMS, MANIFEST):
        if required not in report.files:
            report.problems.append(f"{required} is missing; this is not a complete pack")
    if report.problems:
        return report
    # A list that could not be read is the problem: comparing against it would only add noise.
    _compare(
        report,
        None if report.files[CHECKSUMS].problems else listed,
        None if report.files[MANIFEST].problems else manifest or {},
    )
    return report


def _compare(
    report: VerifyReport,
    listed: dict[str, str] | None,
    recorded: dict[str, tuple[str, int]] | None,
) -> None:
    found = {name: r for name, r in report.files.items() if r.sha256 is not None}
    if listed is not None:
        _compare_checksums(report, found, listed)
    if recorded is not None:
        _compare_manifest(report, found, recorded, listed or {})


def _compare_checksums(
    report: VerifyReport, found: dict[str, FileResult], listed: dict[str, str]
) -> None:
    for name, digest in sorted(listed.items()):
        if name not in found:
            report.flag(name, "is missing")
        elif found[name].sha256 != digest:
            report.flag(name, "does not match its checksum (altered or corrupted)")
    for name in sorted(set(found) - set(listed) - {CHECKSUMS}):
        report.flag(name, f"is not listed in {CHECKSUMS} (extra file)")


def _compare_manifest(
    report: VerifyReport,
    found: dict[str, FileResult],
    recorded: dict[str, tuple[str, int]],
    listed: dict[str, str],
) -> None:
    expected = set(found) - {MANIFEST, CHECKSUMS}
    for name in sorted(expected - set(recorded)):
        report.flag(name, f"is not recorded in {MANIFEST}")
    for name in sorted(set(recorded) - expected - set(listed)):
        report.problems.append(f"{MANIFEST} records {shorten(name, 120)}, which the pack lacks")
    for name in sorted(expected & set(recorded)):
        if recorded[name] != (found[name].sha256, found[name].size):
            report.flag(name, f"does not match its {MANIFEST} record")


def _folder_entries(folder: Path, report: VerifyReport) -> Iterator[tuple[str, bytes | None]]:
    """(name, bytes of SHA256SUMS or manifest.json, else None); digests go into `report`."""
    try:
        with os.scandir(folder) as listing:
            items = []
            for item in listing:
                items.append(item)
                if len(items) > MAX_FILES:
                    report.problems.append(f"it holds over {MAX_FILES} entries; a pack has fewer")
                    return
    except OSError as exc:
        report.problems.append(f"cannot list the folder ({exc.strerror or exc})")
        return
    for item in sorted(items, key=lambda i: i.name):
        name = display_name(item.name)
        try:
            mode = item.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            report.flag(name, f"cannot be read ({exc.strerror or exc})")
            continue
        if not stat.S_ISREG(mode):
            what = "an unexpected folder" if stat.S_ISDIR(mode) else kind_of(mode)
            report.flag(name, f"is {what}; a pack holds only regular files")
            continue
        try:
            if name in (CHECKSUMS, MANIFEST):
                data = read_regular(item.path, MAX_LIST_BYTES, follow_symlinks=False)
                _record(report, name, data)
                yield name, data
            else:
                digest, size = hash_regular(item.path, MAX_FILE_BYTES, follow_symlinks=False)
                report.file(name).sha256, report.file(name).size = digest, size
                yield name, None
        except FileProblem as exc:
            a_list = name in (CHECKSUMS, MANIFEST) and exc.kind == "too-large"
            advice = "a pack's lists are a few KB" if a_list else "a pack holds smaller files"
            report.flag(name, f"{exc.reason}; {advice}")


def _zip_entries(path: Path, report: VerifyReport) -> Iterator[tuple[str, bytes | None]]:
    try:
        archive = SafeArchive(path, PACK_LIMITS)
    except FileProblem as exc:
        report.problems.append(f"{exc.reason}")
        return
    except ArchiveError as exc:
        report.problems.append(str(exc))
        return
    with archive:
        tops = {entry.parts[0] for entry in archive.entries}
        if len(tops) > 1:
            shown = ", ".join(shorten(t, 60) for t in sorted(tops)[:5])
            report.problems.append(f"entries sit in several top folders: {shown}")
            return
        for entry in archive.entries:
            if len(entry.parts) != (1 if entry.is_dir else 2):
                what = "folder" if entry.is_dir else "entry"
                report.problems.append(
                    f"{what} {shorten(entry.info.filename, 120)!r} is not directly in the "
                    "pack folder"
                )
        if report.problems:
            return
        for entry in sorted(archive.files, key=lambda e: e.name):
            name = entry.parts[1]
            try:
                if name in (CHECKSUMS, MANIFEST):
                    data = archive.read(entry, MAX_LIST_BYTES)
                    _record(report, name, data)
                    yield name, data
                    continue
                digest = hashlib.sha256()
                size = 0
                for chunk in archive.chunks(entry):
                    digest.update(chunk)
                    size += len(chunk)
                report.file(name).sha256, report.file(name).size = digest.hexdigest(), size
                yield name, None
            except BudgetExceeded as exc:
                report.problems.append(str(exc))
                return
            except ArchiveError as exc:
                report.flag(name, f"cannot be read ({exc})")


def _record(report: VerifyReport, name: str, data: bytes) -> None:
    result = report.file(name)
    result.sha256, result.size = hashlib.sha256(data).hexdigest(), len(data)


def _parse_checksums(data: bytes, report: VerifyReport) -> dict[str, str]:
    listed: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.flag(CHECKSUMS, "is not UTF-8 text")
        return listed
    lines = text.splitlines()
    if len(lines) > MAX_FILES:
        report.flag(CHECKSUMS, f"lists {len(lines)} files; a pack has at most {MAX_FILES}")
        return listed
    for number, line in enumerate(lines, 1):
        match = _CHECKSUM_LINE.match(line)
        if not match or "/" in match.group(2):
            report.flag(CHECKSUMS, f"line {number} is malformed")
        elif match.group(2) in listed:
            report.flag(CHECKSUMS, f"line {number} lists {shorten(match.group(2), 120)} again")
        else:
            listed[match.group(2)] = match.group(1)
    return listed


def _parse_manifest(data: bytes, report: VerifyReport) -> dict[str, tuple[str, int]]:
    """The manifest's file records as {name: (sha256, size)}; malformed ones are problems."""
    try:
        manifest = load_json(data)
    except ValueError as exc:
        report.flag(MANIFEST, f"{exc}")
        return {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        report.flag(MANIFEST, "has no file list")
        return {}
    records = manifest["files"]
    if len(records) > MAX_FILES:
        report.flag(MANIFEST, f"records {len(records)} files; a pack has at most {MAX_FILES}")
        return {}
    recorded: dict[str, tuple[str, int]] = {}
    for number, record in enumerate(records, 1):
        problem = _record_problem(record)
        if problem:
            report.flag(MANIFEST, f"file record {number} {problem}")
        elif record["name"] in recorded:
            report.flag(MANIFEST, f"file record {number} repeats {shorten(record['name'], 120)}")
        else:
            recorded[record["name"]] = (record["sha256"], record["size"])
    return recorded


def _record_problem(record: Any) -> str:
    if not isinstance(record, dict):
        return "is not an object"
    name, digest, size = record.get("name"), record.get("sha256"), record.get("size")
    if not isinstance(name, str) or not name or "/" in name:
        return "has no valid name"
    if not isinstance(digest, str) or not _SHA256.match(digest):
        return "has no valid sha256 (64 lower-case hex digits)"
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_FILE_BYTES:
        return f"has an invalid size {shorten(repr(size), 40)} (a whole number of bytes)"
    return ""
