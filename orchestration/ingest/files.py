"""Read article files from the raw directory into one frame of documents and one of rejections.

Contract: `read_files(raw_dir, files, max_file_bytes)` never raises on bad input and reads only the
files it is given (a FILE_SCHEMA frame: so any partition of the files gives the same rows). Every file
ends up either as one or more documents (one per JSON record) or as rejections with a reason from
`REJECT_REASONS`. Texts already read under another path (`duplicate_content`) are told apart later, on
the warehouse side (`ingest.run`), which sees every batch and the stored articles.

Documents: one row per article text with DOCUMENT_SCHEMA columns. `article_id` is the first 16 hex
digits of the SHA-256 of the decoded text, with line ends unified and Unicode in NFC form (stable across
runs and machines); `file_no` and `record_no` give the reading order (the first path of a text wins).
"""

import csv
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import charset_normalizer
import polars as pl
import yaml

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
REJECT_REASONS = (
    "empty",
    "binary",
    "undecodable",
    "too_large",
    "malformed_json",
    "missing_text",
    "duplicate_content",
    "unsupported",
)

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
    "published": pl.String(),
    "source": pl.String(),
    "metadata_origin": pl.String(),
    "encoding": pl.String(),
    "original_text": pl.String(),
    "is_extracted_html": pl.Boolean(),
    "content_sha256": pl.String(),
}

REJECT_SCHEMA: dict[str, pl.DataType] = {
    "path": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
    "sha256": pl.String(),
    "seen_at": pl.Datetime("us", "UTC"),
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_DECLARED_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


@dataclass
class ReadResult:
    """Documents and rejections found in one raw directory."""

    documents: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        return (
            pl.DataFrame(self.documents, schema=DOCUMENT_SCHEMA),
            pl.DataFrame(self.rejects, schema=REJECT_SCHEMA),
        )


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


def read_manifests(raw_dir: Path) -> dict[str, dict[str, str]]:
    """Metadata from every `manifest.csv` (file,title,url,published,source), keyed by relative path."""
    entries: dict[str, dict[str, str]] = {}
    for manifest in sorted(raw_dir.rglob(MANIFEST_NAME)):
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                name = (row.get("file") or "").strip()
                if name:
                    key = (manifest.parent / name).relative_to(raw_dir).as_posix()
                    entries[key] = {k: (row.get(k) or "").strip() for k in METADATA_FIELDS}
    return entries


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode bytes: UTF-8 first, then a declared charset, then detection. None if nothing fits."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    return str(best), best.encoding


def looks_binary(data: bytes) -> bool:
    """True for NUL bytes or more than 10% control bytes in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
    return controls > 0.1 * max(len(head), 1)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML front matter (title, url, published, source) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        loaded = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(loaded, dict):
        return {}, text
    meta = {k: _as_text(loaded.get(k)) for k in METADATA_FIELDS if loaded.get(k) not in (None, "")}
    return meta, text[match.end() :]


def extract_html(html: str) -> tuple[dict[str, str], str]:
    """Main text and metadata of an HTML page, via trafilatura (comments and chrome dropped)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    if doc is None:
        return {}, ""
    meta = {
        "title": _as_text(getattr(doc, "title", None)),
        "url": _as_text(getattr(doc, "url", None)),
        "published": _as_text(getattr(doc, "date", None)),
        "source": _as_text(getattr(doc, "sitename", None)),
    }
    return {k: v for k, v in meta.items() if v}, getattr(doc, "text", None) or ""


def read_raw_dir(raw_dir: Path, max_file_bytes: int, now: datetime | None = None) -> ReadResult:
    """Read every file below `raw_dir` into documents and rejections (see module docstring)."""
    files = files_to_read(raw_dir, discover_files(raw_dir), read_manifests(raw_dir))
    return read_files(raw_dir, files, max_file_bytes, now)


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
    """Read the FILE_SCHEMA rows of `files` (paths relative to `raw_dir`): documents and rejections."""
    seen_at = now or datetime.now(UTC)
    result = ReadResult()
    for row in files.iter_rows(named=True):
        manifest = {name: row[f"manifest_{name}"] for name in METADATA_FIELDS if row[f"manifest_{name}"] is not None}
        items = _read_file(raw_dir / row["path"], row["path"], max_file_bytes, manifest)
        for record_no, item in enumerate(items):
            if "reason" in item:
                result.rejects.append({**item, "seen_at": seen_at})
            else:
                result.documents.append({**item, "file_no": row["file_no"], "record_no": record_no})
    return result


def file_fingerprints(raw_dir: Path, paths: list[Path]) -> pl.DataFrame:
    """One row per file: path (relative) and a fingerprint of its size, mtime and its folder's manifest.

    A file whose fingerprint is unchanged since the last ingest need not be read again.
    """
    manifest_stamp: dict[Path, str] = {}
    rows = []
    for path in paths:
        folder = path.parent
        if folder not in manifest_stamp:
            manifest = folder / MANIFEST_NAME
            stat = manifest.stat() if manifest.exists() else None
            manifest_stamp[folder] = f"{stat.st_size}:{stat.st_mtime_ns}" if stat else "-"
        stat = path.stat()
        rows.append(
            {
                "path": path.relative_to(raw_dir).as_posix(),
                "fingerprint": f"{stat.st_size}:{stat.st_mtime_ns}:{manifest_stamp[folder]}",
            }
        )
    return pl.DataFrame(rows, schema={"path": pl.String(), "fingerprint": pl.String()})


def _read_file(path: Path, relative: str, max_file_bytes: int, manifest: dict[str, str]) -> list[dict]:
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    size = path.stat().st_size
    if fmt is None:
        return [_reject(relative, "unsupported", f"suffix {path.suffix or '(none)'!r} is not read", None)]
    if size > max_file_bytes:
        return [_reject(relative, "too_large", f"{size} bytes > limit {max_file_bytes}", None)]
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return [_reject(relative, "empty", "file has no content", sha)]
    if looks_binary(data):
        return [_reject(relative, "binary", "NUL or control bytes: not a text file", sha)]
    decoded = decode(data)
    if decoded is None:
        return [_reject(relative, "undecodable", "not UTF-8, no usable declared or detected charset", sha)]
    text, encoding = decoded
    if fmt in ("jsonl", "json"):
        return _read_json(text, relative, fmt, encoding, sha, manifest)
    meta, body, extracted = {}, text, False
    if fmt in ("txt", "md"):
        meta, body = split_front_matter(text)
    elif fmt == "html":
        meta, body = extract_html(text)
        extracted = True
    if not body.strip():
        return [_reject(relative, "empty", "no text after front matter or HTML extraction", sha)]
    return [_document(relative, fmt, body, encoding, meta, manifest, extracted)]


def _read_json(text: str, relative: str, fmt: str, encoding: str, sha: str, manifest: dict) -> list[dict]:
    items: list[dict] = []
    if fmt == "json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            return [_reject(relative, "malformed_json", f"line {error.lineno}: {error.msg}", sha)]
        records = loaded if isinstance(loaded, list) else [loaded]
        numbered = [(i + 1, record) for i, record in enumerate(records)]
        suffix = "#R"
    else:
        numbered = []
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((line_no, json.loads(line)))
            except json.JSONDecodeError as error:
                items.append(_reject(f"{relative}#L{line_no}", "malformed_json", error.msg, sha))
        suffix = "#L"
    for number, record in numbered:
        where = f"{relative}{suffix}{number}"
        body = record.get("text") if isinstance(record, dict) else None
        if not isinstance(body, str) or not body.strip():
            items.append(_reject(where, "missing_text", "record has no non-empty 'text' field", sha))
            continue
        meta = {k: _as_text(record.get(k)) for k in METADATA_FIELDS if record.get(k) not in (None, "")}
        if record.get("id") not in (None, ""):
            where = f"{relative}#{_as_text(record['id'])}"
        items.append(_document(where, fmt, body, encoding, meta, manifest, False))
    return items


def _document(
    source_path: str, fmt: str, text: str, encoding: str, meta: dict, manifest: dict, extracted: bool
) -> dict:
    merged = {k: meta.get(k) or manifest.get(k) or None for k in METADATA_FIELDS}
    origin = "file" if meta else ("manifest" if manifest else "none")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return {
        "article_id": article_id_for(text),
        "source_path": source_path,
        "source_format": fmt,
        **merged,
        "metadata_origin": origin,
        "encoding": encoding,
        "original_text": text,
        "is_extracted_html": extracted,
        "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def _reject(path: str, reason: str, detail: str, sha: str | None) -> dict:
    return {"path": path, "reason": reason, "detail": detail, "sha256": sha}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()
