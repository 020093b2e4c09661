"""Read article files from the raw directory into one frame of documents and one of ledger rows.

Contract: `read_files(raw_dir, files, max_file_bytes)` never raises on bad input and reads only the
files it is given (a FILE_SCHEMA frame: so any partition of the files gives the same rows). Every file
ends up as one or more documents (one per JSON record), or as a ledger row saying why it was not read;
a problem inside a file that is read anyway (bad bytes, broken front matter, an oversized title, an
impossible date, an earlier record with the same id) adds a ledger row and a flag on the document.
Ledger rows (LEDGER_SCHEMA) carry a `reason` and what was done (`action`, see ACTIONS); they are stored
in raw.rejected_files. Texts already read under another path (`duplicate_content`) are told apart
later, on the warehouse side (`ingest.run`), which sees every batch and the stored articles.

Documents: one row per article text with DOCUMENT_SCHEMA columns. `article_id` is the first 16 hex
digits of the SHA-256 of the decoded text, with line ends unified and Unicode in NFC form (stable across
runs and machines); `file_no` and `record_no` give the reading order (the first path of a text wins).
`flags` lists the reasons of the document's 'flagged' ledger rows.
"""

import csv
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import charset_normalizer
import polars as pl
import yaml

from orchestration.ingest.pubdate import parse_published

SUPPORTED_SUFFIXES = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "json",
}
MANIFEST_NAME = "manifest.csv"
# Documentation that sits beside the articles is not an article (README.md, LICENSE.txt, …).
NOT_ARTICLES = re.compile(r"^(readme|license|licence|copying|notice|changelog)(\.[a-z]+)?$", re.IGNORECASE)
METADATA_FIELDS = ("title", "url", "published", "source")
METADATA_MAX_CHARS = 1_000  # a longer title, url, date or source is cut (YAML alias bombs, pasted bodies)
RECORD_ID_MAX_CHARS = 200
FRONT_MATTER_MAX_CHARS = 20_000
PREFERRED_LEGACY_ENCODING = "cp1252"  # a longer front matter block is cut without being parsed
# What happened to the input a ledger row names.
ACTIONS = {
    "rejected": "nothing was stored from this file, record or manifest",
    "ignored": "this part was left out (a manifest row, a date, an earlier record); the rest was read",
    "flagged": "stored, with the reason in raw.articles.flags (or a manifest read despite it)",
    "retired": "the input is gone: its articles are no longer current (`retired_reason`)",
}
LEDGER_REASONS = {
    "empty": "rejected",
    "binary": "rejected",
    "undecodable": "rejected",
    "too_large": "rejected",
    "unsupported": "rejected",
    "malformed_json": "rejected",
    "missing_text": "rejected",
    "duplicate_content": "rejected",
    "read_error": "rejected",
    "duplicate_id": "ignored",
    "malformed_manifest_row": "ignored",
    "invalid_date": "flagged",
    "invalid_utf8": "flagged",
    "front_matter_invalid": "flagged",
    "metadata_invalid": "flagged",
    "text_without_structure": "flagged",
    "manifest_not_utf8": "flagged",
    "source_removed": "retired",
}

# One row per file to read: its number in reading order, path relative to the raw directory and the
# metadata its folder's manifest.csv gives it (null where the manifest has no row for it).
FILE_SCHEMA: dict[str, pl.DataType] = {
    "file_no": pl.Int64(),
    "path": pl.String(),
    **{f"manifest_{name}": pl.String() for name in METADATA_FIELDS},
}

DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "file_no": pl.Int64(),
    "record_no": pl.Int32(),
    "article_id": pl.String(),
    "source_path": pl.String(),
    "source_format": pl.String(),
    "title": pl.String(),
    "url": pl.String(),
    "published_date": pl.Date(),
    "published_precision": pl.String(),
    "source": pl.String(),
    "metadata_origin": pl.String(),
    "encoding": pl.String(),
    "original_text": pl.String(),
    "is_extracted_html": pl.Boolean(),
    "content_sha256": pl.String(),
    "flags": pl.List(pl.String()),
}

LEDGER_SCHEMA: dict[str, pl.DataType] = {
    "path": pl.String(),
    "reason": pl.String(),
    "action": pl.String(),
    "detail": pl.String(),
    "sha256": pl.String(),
    "seen_at": pl.Datetime("us", "UTC"),
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


class Issue(NamedTuple):
    """A problem found inside an input that is read anyway: a ledger reason and its detail."""

    reason: str
    detail: str


class Decoded(NamedTuple):
    """Decoded text, the encoding used, and how many invalid UTF-8 sequences became U+FFFD."""

    text: str
    encoding: str
    replaced: int


@dataclass
class ReadResult:
    """Documents and ledger rows found in one batch of files."""

    documents: list[dict] = field(default_factory=list)
    ledger: list[dict] = field(default_factory=list)

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        return (
            pl.DataFrame(self.documents, schema=DOCUMENT_SCHEMA),
            pl.DataFrame(self.ledger, schema=LEDGER_SCHEMA),
        )


@dataclass
class Manifests:
    """Metadata of every manifest.csv row, keyed by the relative path of the file it describes, and the
    ledger rows of manifests and rows that could not be read whole."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    ledger: list[dict] = field(default_factory=list)


def article_id_for(text: str) -> str:
    """The stable article id: first 16 hex digits of SHA-256 of the decoded text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def discover_files(raw_dir: Path) -> list[Path]:
    """Every regular file below `raw_dir`, sorted, skipping hidden files/folders, manifests, READMEs."""
    return sorted(
        path
        for path in raw_dir.rglob("*")
        if path.is_file()
        and path.name != MANIFEST_NAME
        and not NOT_ARTICLES.match(path.name)
        and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts)
    )


def read_manifests(raw_dir: Path, now: datetime | None = None) -> Manifests:
    """Metadata from every `manifest.csv` (header `file,title,url,published,source`, one row per line).

    A manifest that is not UTF-8 is decoded like an article (ledger `manifest_not_utf8`); a row that is
    not valid CSV (an unterminated quote …) or has more fields than the header is left out
    (`malformed_manifest_row`, path `manifest.csv#L<line>`) without touching the next row; a `published`
    value that is no date is dropped (`invalid_date`), the rest of its row kept.
    """
    seen_at = now or datetime.now(UTC)
    result = Manifests()
    for manifest in sorted(raw_dir.rglob(MANIFEST_NAME)):
        relative = manifest.relative_to(raw_dir).as_posix()
        data = manifest.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        entries, problems = _read_manifest(data, relative)
        result.entries.update(
            {(manifest.parent / name).relative_to(raw_dir).as_posix(): meta for name, meta in entries.items()}
        )
        result.ledger += [
            _ledger(where, reason, detail, sha, seen_at, action) for where, reason, detail, action in problems
        ]
    return result


def _read_manifest(
    data: bytes, relative: str
) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, str, str]]]:
    """(file name → metadata, problems as (path, reason, detail, action)) of one manifest's bytes."""
    decoded = decode(data)
    if decoded is None:
        return {}, [
            (relative, "undecodable", "manifest is not UTF-8 and no charset fits: not read", "rejected")
        ]
    problems = []
    if decoded.encoding != "utf-8" or decoded.replaced:
        problems.append((relative, "manifest_not_utf8", _decoding_detail(decoded), "flagged"))
    lines = decoded.text.splitlines() or [""]
    header = [name.strip() for name in _csv_fields(lines[0]) or []]
    if "file" not in header:
        detail = f"header {lines[0][:80]!r} has no 'file' column: manifest not read"
        return {}, [*problems, (relative, "malformed_manifest_row", detail, "rejected")]
    entries: dict[str, dict[str, str]] = {}
    for line_no, line in enumerate(lines[1:], start=2):
        where = f"{relative}#L{line_no}"
        fields = _csv_fields(line)
        if fields is None or len(fields) > len(header):
            problem = (
                "not valid CSV (unterminated quote?)"
                if fields is None
                else f"{len(fields)} fields, header has {len(header)}"
            )
            problems.append((where, "malformed_manifest_row", f"{problem}: row ignored", "ignored"))
            continue
        row = dict(zip(header, fields, strict=False))
        name = (row.get("file") or "").strip()
        if not name:
            continue
        meta, issues = bounded_metadata(row)
        published = meta.get("published")
        if published and parse_published(published)[0] is None:
            issues.append(Issue("invalid_date", f"published {published[:40]!r} is not a date: ignored"))
            del meta["published"]
        problems += [(where, issue.reason, issue.detail, "ignored") for issue in issues]
        entries[name] = meta
    return entries, problems


def _csv_fields(line: str) -> list[str] | None:
    """The fields of one CSV line, or None when it is not valid CSV on its own."""
    try:
        return next(csv.reader([line], strict=True), [])
    except csv.Error:
        return None


def decode(data: bytes) -> Decoded | None:
    """Decode bytes; None if nothing fits.

    Valid UTF-8 first, then a declared charset (HTML meta). Text that is mostly UTF-8 (at least as many
    valid non-ASCII characters as invalid sequences) stays UTF-8, each invalid sequence replaced by
    U+FFFD (`replaced`): good text is never re-read in another encoding. Otherwise a legacy encoding is
    detected: Windows-1252 (Latin-1) whenever it is among the candidates (French and English news; the
    detector's first guess on a short text is often another code page), else the detector's best.
    """
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8", 0)
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return Decoded(data.decode(name), name, 0)
        except (LookupError, UnicodeDecodeError):
            pass
    replaced = data.decode("utf-8-sig", errors="replace")
    kept = data.decode("utf-8-sig", errors="ignore")
    invalid = len(replaced) - len(kept)
    non_ascii = len(kept) - len(kept.encode("ascii", errors="ignore"))
    if non_ascii >= invalid:
        return Decoded(replaced, "utf-8", invalid)
    matches = charset_normalizer.from_bytes(data)
    best = next((m for m in matches if m.encoding == PREFERRED_LEGACY_ENCODING), None) or matches.best()
    if best is None or best.encoding is None:
        return None
    return Decoded(str(best), best.encoding, 0)


def _decoding_detail(decoded: Decoded) -> str:
    if decoded.replaced:
        return f"{decoded.replaced} invalid UTF-8 byte sequence(s) replaced by U+FFFD"
    return f"not UTF-8: decoded as {decoded.encoding}"


def looks_binary(data: bytes) -> bool:
    """True for NUL bytes or more than 10% control bytes in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
    return controls > 0.1 * max(len(head), 1)


def split_front_matter(text: str) -> tuple[dict[str, str], str, list[Issue]]:
    """YAML front matter (title, url, published, source), the text after it, and problems found.

    Every scalar is read as text (YAML's BaseLoader: no date or number is constructed, so
    `published: 2015-13-45` is a string, and aliases are never copied). A block that is not valid YAML,
    is longer than FRONT_MATTER_MAX_CHARS or is not a mapping is cut from the text all the same and
    reported (`front_matter_invalid`); a block that is plain text (horizontal rules around a line) is
    kept as text.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, []
    block, rest = match.group(1), text[match.end() :]
    if len(block) > FRONT_MATTER_MAX_CHARS:
        detail = f"front matter of {len(block):,} characters > {FRONT_MATTER_MAX_CHARS:,}: cut, not read"
        return {}, rest, [Issue("front_matter_invalid", detail)]
    try:
        loaded = yaml.load(block, Loader=yaml.BaseLoader)  # BaseLoader builds only str, list and dict
    except (yaml.YAMLError, RecursionError) as error:
        first_line = str(error).strip().splitlines()[0][:160]
        return {}, rest, [Issue("front_matter_invalid", f"not valid YAML ({first_line}): cut from the body")]
    if loaded is None or isinstance(loaded, str):
        return {}, text, []
    if not isinstance(loaded, dict):
        return (
            {},
            rest,
            [Issue("front_matter_invalid", f"front matter is a {type(loaded).__name__}, not a mapping: cut")],
        )
    meta, issues = bounded_metadata(loaded)
    return meta, rest, issues


def bounded_metadata(record: dict) -> tuple[dict[str, str], list[Issue]]:
    """Text of the METADATA_FIELDS of `record`: scalars only, each at most METADATA_MAX_CHARS.

    A list or mapping (a YAML alias bomb, a JSON object) is dropped, a longer value is cut; both are
    reported (`metadata_invalid`).
    """
    meta: dict[str, str] = {}
    issues: list[Issue] = []
    for key in METADATA_FIELDS:
        value = record.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, dict | list | tuple):
            issues.append(Issue("metadata_invalid", f"{key} is a {type(value).__name__}, not text: ignored"))
            continue
        text = _as_text(value)
        if len(text) > METADATA_MAX_CHARS:
            issues.append(
                Issue(
                    "metadata_invalid", f"{key} has {len(text):,} characters: cut to {METADATA_MAX_CHARS:,}"
                )
            )
            text = text[:METADATA_MAX_CHARS]
        if text:
            meta[key] = text
    return meta, issues


def extract_html(html: str) -> tuple[dict[str, str], str]:
    """Main text and metadata of an HTML page, via trafilatura (comments and chrome dropped)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    if doc is None:
        return {}, ""
    meta = {
        "title": getattr(doc, "title", None),
        "url": getattr(doc, "url", None),
        "published": getattr(doc, "date", None),
        "source": getattr(doc, "sitename", None),
    }
    return meta, getattr(doc, "text", None) or ""


def read_raw_dir(raw_dir: Path, max_file_bytes: int, now: datetime | None = None) -> ReadResult:
    """Read every file below `raw_dir` into documents and ledger rows (see module docstring; duplicate
    texts are not told apart here)."""
    manifests = read_manifests(raw_dir, now)
    files = files_to_read(raw_dir, discover_files(raw_dir), manifests.entries)
    result = read_files(raw_dir, files, max_file_bytes, now)
    result.ledger += manifests.ledger
    return result


def files_to_read(raw_dir: Path, paths: list[Path], manifests: dict[str, dict[str, str]]) -> pl.DataFrame:
    """FILE_SCHEMA rows for `paths` (files below `raw_dir`), numbered in the given order."""
    rows = []
    for file_no, path in enumerate(paths):
        relative = path.relative_to(raw_dir).as_posix()
        manifest = manifests.get(relative, {})
        rows.append(
            {
                "file_no": file_no,
                "path": relative,
                **{f"manifest_{name}": manifest.get(name) for name in METADATA_FIELDS},
            }
        )
    return pl.DataFrame(rows, schema=FILE_SCHEMA)


def read_files(raw_dir: Path, files: pl.DataFrame, max_file_bytes: int, now: datetime | None = None) -> ReadResult:
    """Read the FILE_SCHEMA rows of `files` (paths relative to `raw_dir`): documents and ledger rows.
    A file whose reading fails in a way not foreseen is a `read_error` ledger row; the others go on."""
    seen_at = now or datetime.now(UTC)
    result = ReadResult()
    for row in files.iter_rows(named=True):
        relative = row["path"]
        manifest = {name: row[f"manifest_{name}"] for name in METADATA_FIELDS if row[f"manifest_{name}"] is not None}
        try:
            documents, ledger = _read_file(raw_dir / relative, relative, max_file_bytes, manifest)
        except Exception as error:  # noqa: BLE001 - one file's failure never stops the others
            documents = []
            ledger = [_ledger(relative, "read_error", f"{type(error).__name__}: {error}"[:500], None)]
        result.ledger += [{**entry, "seen_at": seen_at} for entry in ledger]
        result.documents += [
            {**document, "file_no": row["file_no"], "record_no": record_no}
            for record_no, document in enumerate(documents)
        ]
    return result


def file_fingerprints(raw_dir: Path, paths: list[Path]) -> pl.DataFrame:
    """One row per file: path (relative) and a fingerprint of its content and its folder's manifest.

    The fingerprint is the SHA-256 of the bytes (an edit that keeps size and modification time, as
    `cp -p` or `rsync -a` make, is seen) plus that of the manifest beside it. A file whose fingerprint
    is unchanged since the last ingest need not be read again.
    """
    manifest_stamp: dict[Path, str] = {}
    rows = []
    for path in paths:
        folder = path.parent
        if folder not in manifest_stamp:
            manifest = folder / MANIFEST_NAME
            manifest_stamp[folder] = _file_sha256(manifest)[:16] if manifest.exists() else "-"
        rows.append(
            {
                "path": path.relative_to(raw_dir).as_posix(),
                "fingerprint": f"{_file_sha256(path)}:{manifest_stamp[folder]}",
            }
        )
    return pl.DataFrame(rows, schema={"path": pl.String(), "fingerprint": pl.String()})


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _read_file(
    path: Path, relative: str, max_file_bytes: int, manifest: dict[str, str]
) -> tuple[list[dict], list[dict]]:
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    size = path.stat().st_size
    if fmt is None:
        return [], [_ledger(relative, "unsupported", f"suffix {path.suffix or '(none)'!r} is not read", None)]
    if size > max_file_bytes:
        return [], [_ledger(relative, "too_large", f"{size} bytes > limit {max_file_bytes}", None)]
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return [], [_ledger(relative, "empty", "file has no content", sha)]
    if looks_binary(data):
        return [], [_ledger(relative, "binary", "NUL or control bytes: not a text file", sha)]
    decoded = decode(data)
    if decoded is None:
        return [], [
            _ledger(relative, "undecodable", "not UTF-8, no usable declared or detected charset", sha)
        ]
    issues = [Issue("invalid_utf8", _decoding_detail(decoded))] if decoded.replaced else []
    if fmt in ("jsonl", "json"):
        return _read_json(decoded, relative, fmt, sha, manifest, issues)
    meta: dict = {}
    body = decoded.text
    if fmt in ("txt", "md"):
        meta, body, found = split_front_matter(body)
        issues += found
    elif fmt == "html":
        found_meta, body = extract_html(body)
        meta, found = bounded_metadata(found_meta)
        issues += found
    if not body.strip():
        return [], [_ledger(relative, "empty", "no text after front matter or HTML extraction", sha)]
    document, issues = _document(relative, fmt, body, decoded.encoding, meta, manifest, fmt == "html", issues)
    return [document], [_ledger(relative, i.reason, i.detail, sha) for i in issues]


def _read_json(
    decoded: Decoded, relative: str, fmt: str, sha: str, manifest: dict, file_issues: list[Issue]
) -> tuple[list[dict], list[dict]]:
    """Documents of a JSON file (one record or an array of them) or a JSON Lines file.

    A record's path is `file#<id>` when it has an `id`, else `file#R<n>` / `file#L<line>`. When several
    records share a path, the last one is read and the earlier ones are ledger rows (`duplicate_id`).
    """
    ledger: list[dict] = []
    if fmt == "json":
        try:
            loaded = json.loads(decoded.text)
        except json.JSONDecodeError as error:
            return [], [_ledger(relative, "malformed_json", f"line {error.lineno}: {error.msg}", sha)]
        except RecursionError:
            return [], [_ledger(relative, "malformed_json", "nested too deeply to read", sha)]
        records = loaded if isinstance(loaded, list) else [loaded]
        numbered = [(f"#R{i + 1}", record) for i, record in enumerate(records)]
    else:
        numbered = []
        for line_no, line in enumerate(decoded.text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((f"#L{line_no}", json.loads(line)))
            except json.JSONDecodeError as error:
                ledger.append(_ledger(f"{relative}#L{line_no}", "malformed_json", error.msg, sha))
            except RecursionError:
                ledger.append(
                    _ledger(f"{relative}#L{line_no}", "malformed_json", "nested too deeply to read", sha)
                )
    by_path: dict[str, tuple[str, dict]] = {}
    for position, record in numbered:
        where = f"{relative}{position}"
        body = record.get("text") if isinstance(record, dict) else None
        if not isinstance(body, str) or not body.strip():
            ledger.append(_ledger(where, "missing_text", "record has no non-empty 'text' field", sha))
            continue
        record_id = record.get("id")
        if isinstance(record_id, str | int) and not isinstance(record_id, bool) and str(record_id).strip():
            record_id = str(record_id).strip()
            if len(record_id) <= RECORD_ID_MAX_CHARS:
                where = f"{relative}#{record_id}"
        if where in by_path:
            earlier = by_path[where][0]
            detail = f"{where.removeprefix(relative)} appears again at {position}: the later record is read"
            ledger.append(_ledger(f"{relative}{earlier}", "duplicate_id", detail, sha))
        by_path[where] = (position, record)
    documents = []
    for where, (_, record) in by_path.items():
        meta, issues = bounded_metadata(record)
        document, issues = _document(
            where, fmt, record["text"], decoded.encoding, meta, manifest, False, file_issues + issues
        )
        documents.append(document)
        ledger += [_ledger(where, i.reason, i.detail, sha) for i in issues if i not in file_issues]
    ledger += [_ledger(relative, i.reason, i.detail, sha) for i in file_issues]
    return documents, ledger


def _document(
    source_path: str,
    fmt: str,
    text: str,
    encoding: str,
    meta: dict[str, str],
    manifest: dict[str, str],
    extracted: bool,
    issues: list[Issue],
) -> tuple[dict, list[Issue]]:
    """One document row; the file's metadata wins over its manifest row, field by field. Returns the
    document and its issues (an unusable `published` adds `invalid_date`)."""
    issues = list(issues)
    published: tuple[date | None, str] = (None, "unknown")
    for origin, value in (("file", meta.get("published")), ("manifest", manifest.get("published"))):
        if not value:
            continue
        published = parse_published(value)
        if published[0] is not None:
            break
        issues.append(Issue("invalid_date", f"published {value[:40]!r} ({origin}) is not a date: ignored"))
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    document = {
        "article_id": article_id_for(text),
        "source_path": source_path,
        "source_format": fmt,
        **{k: meta.get(k) or manifest.get(k) or None for k in ("title", "url", "source")},
        "published_date": published[0],
        "published_precision": published[1],
        "metadata_origin": "file" if meta else ("manifest" if manifest else "none"),
        "encoding": encoding,
        "original_text": text,
        "is_extracted_html": extracted,
        "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "flags": sorted({issue.reason for issue in issues}),
    }
    return document, issues


def _ledger(
    path: str,
    reason: str,
    detail: str,
    sha: str | None,
    seen_at: datetime | None = None,
    action: str | None = None,
) -> dict:
    row = {
        "path": path,
        "reason": reason,
        "action": action or LEDGER_REASONS[reason],
        "detail": detail,
        "sha256": sha,
    }
    return row if seen_at is None else {**row, "seen_at": seen_at}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()
