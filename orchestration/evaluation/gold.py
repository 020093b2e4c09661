"""Gold annotations and the name keys used to compare them with the marts.

A gold file is one JSON document per article in the schema of `../shared/corpus/README.md`; its
`article` field names the raw file relative to the raw directory, or `<file>.jsonl#<id>` for one record
of a JSON-lines file. Places and contributors are compared through keys: accent-, case- and
punctuation-insensitive names, mapped through the seeds `place_aliases.csv` / `countries.csv` when
present, and countries additionally through pycountry.
"""

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pycountry

ISO3_COLUMNS = ("iso3", "country_iso3", "alpha_3", "iso_alpha3", "contributor_iso3")
PLACE_ID_COLUMNS = ("place_id", "entity_id", "id")
ALIAS_COLUMNS = ("alias", "surface", "variant", "name_variant")
CANONICAL_COLUMNS = ("canonical_name", "name", "name_en", "place_name")


@dataclass(frozen=True)
class GoldArticle:
    """One gold file: the article reference and its facts (dicts as written in the JSON)."""

    path: Path
    article: str
    published: str | None
    title: str | None
    url: str | None
    attacks: list[dict]
    deployments: list[dict]
    contributions: list[dict]


def load_gold(gold_dir: Path) -> list[GoldArticle]:
    """Every `*.json` under `gold_dir` (recursively) that has an `article` field, sorted by path."""
    articles = []
    for path in sorted(Path(gold_dir).rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or "article" not in document:
            continue
        articles.append(
            GoldArticle(
                path=path,
                article=document["article"],
                published=document.get("published"),
                title=document.get("title"),
                url=document.get("url"),
                attacks=list(document.get("attacks") or []),
                deployments=list(document.get("deployments") or []),
                contributions=list(document.get("contributions") or []),
            )
        )
    return articles


def fold(text: str | None) -> str | None:
    """Lowercase, accents stripped, punctuation to single spaces; None for empty input."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[^0-9a-z]+", " ", plain).strip()
    return plain or None


def _read_seed(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _first_column(row: dict, candidates: tuple[str, ...]) -> str | None:
    for column in candidates:
        if row.get(column):
            return row[column]
    return None


class NameKeys:
    """Canonical keys for places, countries and missions, built once from the seeds directory."""

    def __init__(self, seeds_dir: Path | None):
        self._place_alias: dict[str, str] = {}
        self._country_iso3: dict[str, str] = {}
        if seeds_dir is not None:
            self._load_places(Path(seeds_dir))
            self._load_countries(Path(seeds_dir))

    def _load_places(self, seeds_dir: Path) -> None:
        names_by_id = {}
        for row in _read_seed(seeds_dir / "places.csv"):
            place_id = _first_column(row, PLACE_ID_COLUMNS)
            name = _first_column(row, CANONICAL_COLUMNS)
            if place_id and name:
                names_by_id[place_id] = fold(name)
        for row in _read_seed(seeds_dir / "place_aliases.csv"):
            alias = fold(_first_column(row, ALIAS_COLUMNS))
            canonical = fold(_first_column(row, CANONICAL_COLUMNS))
            place_id = _first_column(row, PLACE_ID_COLUMNS)
            target = names_by_id.get(place_id) or canonical or (fold(place_id) if place_id else None)
            if alias and target:
                self._place_alias.setdefault(alias, target)

    def _load_countries(self, seeds_dir: Path) -> None:
        for row in _read_seed(seeds_dir / "countries.csv"):
            iso3 = _first_column(row, ISO3_COLUMNS)
            if not iso3:
                continue
            for column, value in row.items():
                if value and column and any(word in column for word in ("name", "alias", "demonym")):
                    self._country_iso3.setdefault(fold(value), iso3.upper())

    def place(self, name: str | None) -> str | None:
        """Canonical place key: folded name, through the alias seed when it knows the name."""
        folded = fold(name)
        if folded is None:
            return None
        return self._place_alias.get(folded, folded)

    def country(self, name: str | None, iso3: str | None = None) -> str | None:
        """ISO3 for a country given by ISO3 or by name (seed first, then pycountry); else folded name."""
        if iso3:
            return str(iso3).upper()
        folded = fold(name)
        if folded is None:
            return None
        if folded in self._country_iso3:
            return self._country_iso3[folded]
        try:
            return pycountry.countries.lookup(str(name).strip()).alpha_3
        except LookupError:
            return folded

    @staticmethod
    def mission(name: str | None) -> str | None:
        """Mission key: folded name without a leading 'operation' ('Operation Barkhane' = 'Barkhane')."""
        folded = fold(name)
        if folded is None:
            return None
        return re.sub(r"^operation ", "", folded)
