"""Deterministic synthetic corpus of peacekeeping news, with the facts each article states (gold).

Contract: `generate_corpus(raw_dir, n, seed)` writes articles 0..n-1 and a gold manifest; the same
(seed, index) always gives the same bytes, so a 1k corpus is the prefix of the 10k corpus of the
same seed. Each article draws from its own `random.Random(f"{seed}:{index}")`: no global state.

Articles (3-6 KB) look like scraped news pages: a site header and navigation, byline and dateline,
share line with a short link (unique per article), body paragraphs with planted facts (attacks with
killed/wounded counts, often hedged; deployments of contingents at towns; national contributions of
troops, police and aircraft; aggregate figures), filler context, a photo caption with a credit, a
subscribe prompt, a related-articles list and an author biography naming places outside the story.

Vocabulary comes from the seeds in `dbt_project/seeds/` (places.csv towns in Mali, countries.csv
names, actors.csv armed groups, number_words.csv, figure_hedges.csv, cue_terms.csv weapons,
unit_types.csv); a kind whose seed is missing falls back to `orchestration/bench/vocabulary.csv`,
and `Vocabulary.sources` says which was used.

Raw directory layout (what a scraper plus a feed export leave behind): half of the articles in
JSON-lines batches of `jsonl_batch` records (`feeds/feed_<first>_<n>.jsonl`, 500 records ~ 2.3 MB,
well under the default 5 MB input limit), the rest one file per article sharded by site/year/month
(`<site>/<yyyy>/<mm>/article-<index>.txt|md|html`), so no folder holds more than a few hundred
files. Why not 100k single files in one folder: every file costs a directory entry, an inode, a
stat/open/read/close in ingest and a 4 KB block for a ~4.6 KB text; big flat folders slow down
listing and `rglob`. Why not only a few huge files: scrapers deliver pages one by one, and ingest
must cope with both shapes. Gold: one JSON document per line in `gold_path`, in the schema of
`../shared/corpus/README.md` (`article` is the path relative to the raw directory,
`<file>.jsonl#<id>` for a record, as ingest names records); `write_gold_files` explodes it into the
one file per article that `orchestration.evaluation` reads.
"""

import csv
import html
import json
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from orchestration.settings import SEEDS_DIR

BENCH_DIR = Path(__file__).resolve().parent
FALLBACK_VOCABULARY = BENCH_DIR / "vocabulary.csv"
DEFAULT_FORMAT_SHARES = (("jsonl", 0.50), ("txt", 0.25), ("md", 0.15), ("html", 0.10))
FIRST_DAY = date(2013, 7, 1)
DAYS = 3650
MISSION = "MINUSMA"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SITES = (
    ("Sahel Monitor", "sahel-monitor.example", "sahel-monitor"),
    ("Blue Helmet Weekly", "bluehelmet-weekly.example", "bluehelmet-weekly"),
    ("West Africa Desk", "westafrica-desk.example", "westafrica-desk"),
    ("The Peace Operations Review", "peaceops-review.example", "peaceops-review"),
)
AUTHORS = (
    "Amina Diallo",
    "Jonas Weber",
    "Claire Martin",
    "Ibrahim Touré",
    "Sofia Ortega",
    "Daniel Okafor",
    "Marie Lefèvre",
    "Hannah Brooks",
    "Moussa Keita",
    "Elena Petrova",
)
PHOTOGRAPHERS = ("Marco Dormino", "Harandane Dicko", "Sylvain Liechti", "Gema Cortes", "Blagoje Grujic")
ASSETS = ("attack helicopters", "utility helicopters", "transport aircraft", "armoured vehicles")
TARGETS = ("convoy", "patrol", "camp", "base", "checkpoint")
HEDGE_QUALIFIERS = ("approx", "at_least", "more_than", "at_most")


@dataclass(frozen=True)
class Vocabulary:
    """Names the generator draws from, and where each kind came from (seed file or fallback)."""

    towns: tuple[str, ...]
    hot_towns: tuple[str, ...]  # towns in the news most often (fallback list found in the seed)
    contributors: tuple[tuple[str, str], ...]  # (country name, demonym)
    groups: tuple[str, ...]
    chrome_places: tuple[str, ...]
    number_words: dict[int, str]
    hedges: tuple[tuple[str, str], ...]  # (hedge phrase, qualifier)
    explosive_weapons: tuple[tuple[str, str], ...]  # (singular surface, weapon id)
    fire_weapons: tuple[tuple[str, str], ...]  # (mass or plural surface, weapon id)
    unit_types: tuple[tuple[str, str], ...]  # (surface, unit_type id)
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Article:
    """One generated article: metadata, full page text, file format and the gold facts it states."""

    index: int
    title: str
    url: str
    published: date
    source: str
    site_slug: str
    text: str
    fmt: str
    gold: dict


@dataclass
class CorpusSummary:
    """What `generate_corpus` wrote."""

    articles: int = 0
    files: int = 0
    bytes: int = 0
    text_bytes: int = 0
    by_format: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    vocabulary_sources: dict[str, str] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _first_column(row: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if (row.get(name) or "").strip():
            return row[name].strip()
    return ""


def load_vocabulary(seeds_dir: Path = SEEDS_DIR, fallback: Path = FALLBACK_VOCABULARY) -> Vocabulary:
    """Vocabulary from the seeds, each missing kind from the fallback CSV (sorted, deterministic)."""
    rows = _read_csv(fallback)
    by_kind: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    sources: dict[str, str] = {}

    towns: list[str] = []
    places = seeds_dir / "places.csv"
    if places.exists():
        mali = [r for r in _read_csv(places) if (r.get("country_iso3") or "") == "MLI"]
        main = [r for r in mali if (r.get("place_type") or "") in ("city", "town")] or mali
        towns = sorted({_first_column(r, ("canonical_name", "name", "name_en")) for r in main} - {""})
        sources["towns"] = "seed:places.csv"
    if not towns:
        towns = [r["name"] for r in by_kind["town"]]
        sources["towns"] = f"fallback:{fallback.name}"

    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    countries = seeds_dir / "countries.csv"
    if countries.exists():
        for r in _read_csv(countries):
            iso3 = _first_column(r, ("iso3", "country_iso3", "alpha_3"))
            names[iso3] = _first_column(r, ("common_name", "name", "country_name"))
            demonyms[iso3] = _first_column(r, ("demonym",))
        sources["contributors"] = "seed:countries.csv (contributor list from fallback)"
    else:
        sources["contributors"] = f"fallback:{fallback.name}"
    contributors = tuple(
        (names.get(r["iso3"]) or r["name"], demonyms.get(r["iso3"]) or r["demonym"])
        for r in by_kind["contributor"]
    )

    groups: list[str] = []
    actors = seeds_dir / "actors.csv"
    if actors.exists():
        groups = sorted(
            {
                _first_column(r, ("name", "canonical_name"))
                for r in _read_csv(actors)
                if r.get("actor_type") == "armed_group" and (r.get("country_iso3") or "MLI") == "MLI"
            }
            - {""}
        )
        sources["groups"] = "seed:actors.csv"
    if not groups:
        groups = [r["name"] for r in by_kind["group"]]
        sources["groups"] = f"fallback:{fallback.name}"

    number_words = {
        int(r["value_best"]): r["phrase"]
        for r in _read_csv(seeds_dir / "number_words.csv")
        if r["kind"] == "cardinal" and 2 <= int(float(r["value_best"])) <= 12
    }
    hedges = tuple(
        (r["hedge"], r["qualifier"])
        for r in _read_csv(seeds_dir / "figure_hedges.csv")
        if r["qualifier"] in HEDGE_QUALIFIERS
    )
    weapons = [
        (r["term"], r["cue_value"])
        for r in _read_csv(seeds_dir / "cue_terms.csv")
        if r["cue_type"] == "weapon"
    ]
    explosive = tuple(
        (t, w)
        for t, w in weapons
        if w in ("ied", "landmine", "vehicle_bomb") and not t.endswith("s") and t.islower()
    )
    fire = tuple(
        (t, w) for t, w in weapons if w in ("rocket", "mortar") and t.endswith(("fire", "shells", "rockets"))
    )
    unit_types = tuple(
        (r["unit_type"].replace("_", " "), r["unit_type"])
        for r in _read_csv(seeds_dir / "unit_types.csv")
        if r["unit_type"] in ("battalion", "infantry_company", "company", "detachment", "platoon")
    )
    sources.update(
        numbers="seed:number_words.csv",
        hedges="seed:figure_hedges.csv",
        weapons="seed:cue_terms.csv",
        unit_types="seed:unit_types.csv",
        chrome_places=f"fallback:{fallback.name}",
    )
    well_known = {r["name"] for r in by_kind["town"]}
    return Vocabulary(
        towns=tuple(towns),
        hot_towns=tuple(t for t in towns if t in well_known) or tuple(towns),
        contributors=contributors,
        groups=tuple(groups),
        chrome_places=tuple(r["name"] for r in by_kind["chrome_place"]),
        number_words=number_words,
        hedges=hedges,
        explosive_weapons=explosive,
        fire_weapons=fire,
        unit_types=unit_types or (("battalion", "battalion"),),
        sources=sources,
    )


def _town(rng: random.Random, vocab: Vocabulary) -> str:
    """A town in Mali: mostly the well-known conflict towns, sometimes any town of the seed."""
    return rng.choice(vocab.hot_towns if rng.random() < 0.7 else vocab.towns)


def _long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _count(rng: random.Random, vocab: Vocabulary, value: int, hedged: bool) -> tuple[str, str | None]:
    """A count as written (number word or digits, maybe hedged) and its gold qualifier."""
    word = vocab.number_words.get(value) if rng.random() < 0.6 else None
    written = word or f"{value:,}"
    if not hedged:
        return written, None
    hedge, qualifier = rng.choice(vocab.hedges)
    return f"{hedge} {written}", qualifier


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _event_day(rng: random.Random, published: date) -> tuple[date, str]:
    """The day of an event before publication and how the text names it (weekday or full date)."""
    if rng.random() < 0.6:
        back = rng.randint(1, 6)
        day = published - timedelta(days=back)
        return day, f"on {WEEKDAYS[day.weekday()]}"
    day = published - timedelta(days=rng.randint(1, 25))
    return day, f"on {MONTHS[day.month - 1]} {day.day}"


def _attack(rng: random.Random, vocab: Vocabulary, published: date) -> tuple[list[str], dict]:
    town = _town(rng, vocab)
    country, demonym = rng.choice(vocab.contributors)
    day, when = _event_day(rng, published)
    killed = rng.randint(2, 15)
    wounded = rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 20))
    k_text, k_qual = _count(rng, vocab, killed, rng.random() < 0.35)
    w_text, w_qual = _count(rng, vocab, wounded, rng.random() < 0.2) if wounded else ("", None)
    group = rng.choice(vocab.groups) if rng.random() < 0.6 else None
    assailants = f"suspected {group} fighters" if group else rng.choice(("gunmen", "unidentified assailants"))
    target = rng.choice(TARGETS)
    weapons: list[str] = []
    shape = rng.randrange(4)
    wounded_part = f" and {w_text} wounded" if wounded else ""
    if shape == 0:
        quote = (
            f"{_cap(k_text)} {demonym} peacekeepers were killed{wounded_part} {when} when {assailants} "
            f"attacked their {target} near {town}, the UN mission said."
        )
    elif shape == 1:
        wounding = f" and wounding {w_text} others" if wounded else ""
        quote = (
            f"{_cap(assailants)} ambushed a {MISSION} {target} near {town} {when}, killing {k_text} "
            f"{demonym} peacekeepers{wounding}, according to a statement from the mission."
        )
    elif shape == 2:
        surface, weapon = rng.choice(vocab.explosive_weapons)
        weapons = [weapon]
        group, target = None, "convoy"
        quote = (
            f"{_cap(k_text)} {demonym} peacekeepers died{wounded_part} {when} when their vehicle struck "
            f"{'an' if surface[0] in 'aeiou' else 'a'} {surface} outside {town}."
        )
    else:
        surface, weapon = rng.choice(vocab.fire_weapons)
        weapons = [weapon]
        group, target = None, "camp"
        injured = f" and {w_text} injured" if wounded else ""
        quote = (
            f"The {MISSION} camp in {town} came under {surface} {when}; {k_text} peacekeepers from "
            f"{country} were killed{injured}."
        )
    follow = rng.choice(
        (
            "The mission condemned the attack and said reinforcements had been sent to the area.",
            "A spokesperson said the wounded were evacuated by helicopter to the mission hospital in Gao.",
            "No group immediately claimed responsibility.",
            "The Secretary-General called on the Malian authorities to identify the perpetrators swiftly.",
        )
    )
    fact = {
        "date": day.isoformat(),
        "place": town,
        "country": "Mali",
        "perpetrator": group,
        "target": target,
        "victim_nationality": [country],
        "killed": killed,
        "killed_qualifier": k_qual,
        "wounded": wounded if wounded else None,
        "wounded_qualifier": w_qual,
        "weapons": weapons,
        "quote": quote,
    }
    return [f"{quote} {follow}"], fact


def _wounded_only(rng: random.Random, vocab: Vocabulary, published: date) -> tuple[list[str], dict]:
    town = _town(rng, vocab)
    country, demonym = rng.choice(vocab.contributors)
    day, when = _event_day(rng, published)
    wounded = rng.randint(2, 12)
    w_text, w_qual = _count(rng, vocab, wounded, rng.random() < 0.2)
    surface, weapon = rng.choice(vocab.fire_weapons)
    quote = f"{_cap(w_text)} {demonym} peacekeepers were wounded {when} when {surface} hit the {MISSION} camp in {town}."
    fact = {
        "date": day.isoformat(),
        "place": town,
        "country": "Mali",
        "perpetrator": None,
        "target": "camp",
        "victim_nationality": [country],
        "killed": 0,
        "killed_qualifier": None,
        "wounded": wounded,
        "wounded_qualifier": w_qual,
        "weapons": [weapon],
        "quote": quote,
    }
    return [f"{quote} None of the injuries were life-threatening, the mission said."], fact


def _deployment(rng: random.Random, vocab: Vocabulary) -> tuple[str, dict]:
    town = _town(rng, vocab)
    country, demonym = rng.choice(vocab.contributors)
    unit_surface, unit = rng.choice(vocab.unit_types)
    count = rng.choice((120, 140, 150, 200, 250, 300, 450, 650, 700, 850, 1000, 1200))
    shape = rng.randrange(3)
    if shape == 0:
        quote = f"A {demonym} {unit_surface} of {count:,} soldiers is deployed in {town}."
    elif shape == 1:
        quote = f"{country} keeps a {unit_surface} of about {count:,} troops at the {MISSION} camp in {town}."
    else:
        quote, count = f"{MISSION} has stationed a {unit_surface} from {country} in {town}.", None
    fact = {
        "contributor": country,
        "mission": MISSION,
        "unit": unit,
        "place": town,
        "count": count,
        "quote": quote,
    }
    return quote, fact


def _contribution(rng: random.Random, vocab: Vocabulary) -> tuple[str, dict]:
    country, _ = rng.choice(vocab.contributors)
    personnel = rng.choice((150, 240, 300, 450, 600, 850, 1000, 1100, 1400, 1700))
    approx = rng.random() < 0.5
    about = "about " if approx else ""
    assets: list[str] = []
    if rng.random() < 0.5:
        quote = f"{country} contributes {about}{personnel:,} troops to {MISSION}."
        kind = "troops"
    elif rng.random() < 0.5:
        quote = f"{country} has {about}{personnel:,} police officers in {MISSION}, one of its largest police deployments."
        kind = "police"
    else:
        number = rng.randint(2, 8)
        asset = rng.choice(ASSETS)
        assets = [f"{number} {asset}"]
        quote = f"{country} provides {about}{personnel:,} troops to {MISSION}, as well as {number} {asset}."
        kind = "troops"
    fact = {
        "contributor": country,
        "mission": MISSION,
        "personnel": personnel,
        "personnel_type": kind,
        "approx": approx,
        "assets": assets,
        "quote": quote,
    }
    return quote, fact


def _aggregate(rng: random.Random, vocab: Vocabulary, published: date) -> tuple[str, dict]:
    if rng.random() < 0.5:
        value = rng.randint(40, 300)
        hedge, qualifier = rng.choice(vocab.hedges)
        quote = (
            f"Since 2013, {hedge} {value} peacekeepers have been killed in Mali, making {MISSION} "
            f"the deadliest UN peacekeeping operation."
        )
        what = "peacekeepers killed in Mali since 2013"
        return quote, {"what": what, "value": value, "approx": True, "qualifier": qualifier, "quote": quote}
    value = rng.choice((11200, 12640, 13289, 15209))
    quote = f"The mission has an authorized strength of {value:,} military and police personnel."
    return quote, {"what": f"{MISSION} authorized personnel", "value": value, "approx": False, "quote": quote}


FILLER = (
    (
        "The 2015 peace agreement signed in Algiers has been slow to take effect, and many of its provisions on "
        "disarmament remain unimplemented."
    ),
    (
        "Humanitarian agencies say access to rural areas has become harder as armed groups lay mines on the few "
        "paved roads that cross the region."
    ),
    (
        "Diplomats in the Security Council are divided over how long the mission should stay and what it can "
        "realistically achieve."
    ),
    (
        "Local officials complain that the state is largely absent outside the main towns, leaving schools and "
        "health centres closed for months at a time."
    ),
    (
        "The mission's mandate asks it to protect civilians, support the political process and help restore state "
        "authority in the north and centre of the country."
    ),
    (
        "Analysts note that the violence has spread from the desert north into the more densely populated centre, "
        "where communal tensions run high."
    ),
    (
        "Fuel and food convoys now travel with armed escorts, which makes every supply run a slow and dangerous "
        "operation."
    ),
    (
        "Several contributing countries have asked for better intelligence, more helicopters and armoured vehicles "
        "before committing additional personnel."
    ),
    "Residents interviewed by telephone described nights of gunfire and mornings spent counting damaged houses.",
    "The transitional authorities have promised elections, but the timetable has slipped more than once.",
    (
        "Aid workers say that the lean season, when food stocks run out before the harvest, is the hardest time "
        "for displaced families."
    ),
    "A senior official said the mission had adapted its tactics, travelling less by road and more by air.",
    "Critics argue that the mission is stretched too thin across a territory twice the size of France.",
    "Tensions between the government and the former rebel coalition have complicated joint patrols.",
    "The European Union has trained several thousand Malian soldiers since 2013, with mixed results.",
    "Women's groups have called for a larger role in the peace talks and in local reconciliation committees.",
    "Observers expect the issue to return to the agenda when the mandate comes up for renewal in June.",
    "The mission's radio station broadcasts news in French and several local languages across the country.",
    "Engineers from the mission have repaired bridges and airstrips that the rainy season had washed out.",
    "Human rights investigators documented abuses by all sides, including arbitrary arrests and killings.",
    "Markets reopened on Monday in several towns after weeks of restrictions on the movement of motorbikes.",
    "The government has rejected criticism of its security partners and accused foreign media of bias.",
    (
        "Peacekeepers spend much of their time protecting their own bases, a situation commanders say is not "
        "sustainable."
    ),
    "Regional leaders meeting last month called for a stronger response to the spread of armed groups.",
)


def _filler(rng: random.Random) -> str:
    return " ".join(rng.sample(FILLER, rng.randint(2, 3)))


def _implied_contributions(attacks: list[dict], deployments: list[dict], stated: list[dict]) -> list[dict]:
    """Optional contributions implied by victims' nationality or a deployed contingent (neither
    rewarded nor penalised by the scorer): the text says the country serves in the mission."""
    known = {fact["contributor"] for fact in stated}
    implied: list[dict] = []
    sources = [(c, a["quote"]) for a in attacks for c in a["victim_nationality"]]
    sources += [(d["contributor"], d["quote"]) for d in deployments]
    for contributor, quote in sources:
        if contributor not in known:
            known.add(contributor)
            implied.append(
                {
                    "optional": True,
                    "contributor": contributor,
                    "mission": MISSION,
                    "personnel": None,
                    "personnel_type": "troops",
                    "approx": False,
                    "assets": [],
                    "quote": quote,
                }
            )
    return implied


def make_article(seed: int, index: int, vocab: Vocabulary, formats=DEFAULT_FORMAT_SHARES) -> Article:
    """Article `index` of the corpus of `seed` (independent of every other article)."""
    rng = random.Random(f"{seed}:{index}")
    fmt = rng.choices([f for f, _ in formats], weights=[w for _, w in formats])[0]
    site, domain, site_slug = rng.choice(SITES)
    published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    author = rng.choice(AUTHORS)
    attacks, deployments, contributions, aggregates, facts_text = [], [], [], [], []
    for _ in range(rng.choice((0, 1, 1, 1, 2))):
        paragraphs, fact = (
            _attack(rng, vocab, published) if rng.random() < 0.8 else _wounded_only(rng, vocab, published)
        )
        attacks.append(fact)
        facts_text.extend(paragraphs)
    for _ in range(rng.choice((0, 1, 2))):
        sentence, fact = _deployment(rng, vocab)
        deployments.append(fact)
        facts_text.append(sentence)
    for _ in range(rng.choice((0, 1, 1, 2))):
        sentence, fact = _contribution(rng, vocab)
        contributions.append(fact)
        facts_text.append(sentence)
    if rng.random() < 0.5:
        sentence, fact = _aggregate(rng, vocab, published)
        aggregates.append(fact)
        facts_text.append(sentence)
    contributions += _implied_contributions(attacks, deployments, contributions)
    if attacks:
        first = attacks[0]
        title = f"{first['killed'] or first['wounded']} peacekeepers hit in attack near {first['place']}"
    elif deployments:
        title = f"Inside the {MISSION} camp at {deployments[0]['place']}"
    else:
        title = f"What next for {MISSION}? {_town(rng, vocab)} and the limits of peacekeeping"
    chrome_a, chrome_b, chrome_c = rng.sample(vocab.chrome_places, 3)
    caption_town = attacks[0]["place"] if attacks else _town(rng, vocab)
    short = f"https://{domain}/s/{seed:x}-{index:x}"
    url = f"https://{domain}/{published.year}/{published.month:02d}/article-{index:06d}"
    body: list[str] = list(facts_text)
    target = rng.randint(3000, 5600)
    size = sum(len(p) for p in body) + 900
    fillers: list[str] = []
    while size < target:
        paragraph = _filler(rng)
        fillers.append(paragraph)
        size += len(paragraph) + 2
    for paragraph in fillers:
        body.insert(rng.randint(1 if body else 0, len(body)), paragraph)
    caption = f"Peacekeepers on patrol in {caption_town}. (Photo: UN Photo/{rng.choice(PHOTOGRAPHERS)})"
    body.insert(min(2, len(body)), caption)
    header = [
        site,
        "Home | Africa | Peacekeeping | Analysis | Subscribe",
        title,
        f"By {author}",
        _long_date(published),
        f"Share this article: Facebook | X | Email | {short}",
    ]
    footer = [
        "Subscribe to our newsletter to get the latest news on peacekeeping in your inbox every week.",
        "Related articles",
        f"Talks in {chrome_a} end without agreement on Sahel funding",
        f"Letter from {chrome_b}: the diplomats who keep the missions running",
        f"Why {chrome_c} matters for the next peacekeeping budget",
        (
            f"{author} is a journalist based in {chrome_a}. Previously, {author.split()[0]} reported from "
            f"{chrome_b} and {chrome_c} on migration and conflict."
        ),
        f"© {published.year} {site}. All rights reserved.",
    ]
    text = "\n\n".join(header + body + footer) + "\n"
    gold = {
        "published": published.isoformat(),
        "title": title,
        "url": url,
        "synthetic": True,
        "attacks": attacks,
        "deployments": deployments,
        "contributions": contributions,
        "aggregate_figures": aggregates,
        "boilerplate_places": sorted({chrome_a, chrome_b, chrome_c}),
    }
    return Article(index, title, url, published, site, site_slug, text, fmt, gold)


def render_file(article: Article) -> str:
    """The file content of a txt, md or html article (jsonl records are written by `generate_corpus`)."""
    if article.fmt == "txt":
        meta = {
            "title": article.title,
            "url": article.url,
            "published": article.published.isoformat(),
            "source": article.source,
        }
        lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
        return f"---\n{lines}---\n{article.text}"
    if article.fmt == "md":
        return f"# {article.title}\n\n{article.text}"
    paragraphs = article.text.rstrip("\n").split("\n\n")
    head, body, tail = paragraphs[:6], paragraphs[6:-7], paragraphs[-7:]
    esc = lambda s: html.escape(s, quote=False)
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(article.title)}</title>",
        f'<meta property="og:title" content="{html.escape(article.title)}">',
        f'<meta property="article:published_time" content="{article.published.isoformat()}">',
        f'<meta property="og:site_name" content="{html.escape(article.source)}">',
        f'<link rel="canonical" href="{article.url}"></head><body>',
        f'<header><p class="site">{esc(head[0])}</p><nav>{esc(head[1])}</nav></header>',
        f'<article><h1>{esc(head[2])}</h1><p class="byline">{esc(head[3])}</p>',
        f'<time datetime="{article.published.isoformat()}">{esc(head[4])}</time>',
        f'<p class="share">{esc(head[5])}</p>',
    ]
    for paragraph in body:
        if paragraph.endswith(")") and "(Photo:" in paragraph:
            parts.append(
                f'<figure><img src="photo.jpg" alt=""><figcaption>{esc(paragraph)}</figcaption></figure>'
            )
        else:
            parts.append(f"<p>{esc(paragraph)}</p>")
    parts.append(f"</article><aside><p>{esc(tail[0])}</p><h2>{esc(tail[1])}</h2><ul>")
    parts.extend(f'<li><a href="#">{esc(item)}</a></li>' for item in tail[2:5])
    parts.append(f'</ul></aside><footer><p class="bio">{esc(tail[5])}</p><p>{esc(tail[6])}</p></footer>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


def relative_path(article: Article) -> str:
    """Where an individual-file article lives under the raw directory."""
    day = article.published
    return f"{article.site_slug}/{day.year}/{day.month:02d}/article-{article.index:06d}.{article.fmt}"


def generate_corpus(
    raw_dir: Path,
    n: int,
    seed: int = 7,
    gold_path: Path | None = None,
    jsonl_batch: int = 500,
    seeds_dir: Path = SEEDS_DIR,
    first_index: int = 0,
    formats=DEFAULT_FORMAT_SHARES,
) -> CorpusSummary:
    """Write articles first_index..first_index+n-1 of `seed` under `raw_dir`; gold lines to `gold_path`."""
    started = time.perf_counter()
    vocab = load_vocabulary(seeds_dir)
    summary = CorpusSummary(vocabulary_sources=dict(vocab.sources))
    raw_dir.mkdir(parents=True, exist_ok=True)
    made_dirs: set[Path] = set()
    gold_handle = gold_path.open("w", encoding="utf-8") if gold_path else None
    feed_handle, feed_name, feed_records, feed_no = None, "", 0, 0
    try:
        for index in range(first_index, first_index + n):
            article = make_article(seed, index, vocab, formats)
            if article.fmt == "jsonl":
                if feed_handle is None or feed_records >= jsonl_batch:
                    if feed_handle is not None:
                        feed_handle.close()
                    feed_name = f"feeds/feed_{first_index:06d}_{feed_no:05d}.jsonl"
                    (raw_dir / "feeds").mkdir(exist_ok=True)
                    feed_handle = (raw_dir / feed_name).open("w", encoding="utf-8")
                    feed_no, feed_records = feed_no + 1, 0
                    summary.files += 1
                record_id = f"syn-{seed}-{index:06d}"
                record = {
                    "id": record_id,
                    "title": article.title,
                    "url": article.url,
                    "published": article.published.isoformat(),
                    "source": article.source,
                    "text": article.text,
                }
                line = json.dumps(record, ensure_ascii=False) + "\n"
                feed_handle.write(line)
                feed_records += 1
                reference = f"{feed_name}#{record_id}"
                summary.bytes += len(line.encode("utf-8"))
            else:
                reference = relative_path(article)
                path = raw_dir / reference
                if path.parent not in made_dirs:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made_dirs.add(path.parent)
                content = render_file(article).encode("utf-8")
                path.write_bytes(content)
                summary.files += 1
                summary.bytes += len(content)
            summary.articles += 1
            summary.text_bytes += len(article.text.encode("utf-8"))
            summary.by_format[article.fmt] = summary.by_format.get(article.fmt, 0) + 1
            if gold_handle:
                gold_handle.write(
                    json.dumps({"article": reference, **article.gold}, ensure_ascii=False) + "\n"
                )
    finally:
        if feed_handle is not None:
            feed_handle.close()
        if gold_handle is not None:
            gold_handle.close()
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def write_gold_files(gold_path: Path, gold_dir: Path, limit: int | None = None) -> int:
    """One `<n>.json` per gold line (the layout `orchestration.evaluation` reads); returns files written."""
    gold_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    with gold_path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and written >= limit:
                break
            (gold_dir / f"{written:06d}.json").write_text(line, encoding="utf-8")
            written += 1
    return written
