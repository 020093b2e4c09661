"""Benchmark: synthetic corpus generator and a tiny end-to-end `bluehelm bench` run."""

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.bench import assess_targets, main
from orchestration.bench.corpus import generate_corpus, load_vocabulary, write_gold_files
from orchestration.bench.memory import tree_rss_bytes


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _generate(tmp_path: Path, name: str, n: int, seed: int) -> Path:
    root = tmp_path / name
    generate_corpus(root / "raw", n, seed, gold_path=root / "gold.jsonl")
    return root


def _gold(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines()]


def _document_text(raw_dir: Path, reference: str) -> str:
    """The article text as a reader of the file would see it (HTML unescaped, JSONL record text)."""
    if "#" in reference:
        name, record_id = reference.split("#", 1)
        for line in (raw_dir / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["id"] == record_id:
                return record["text"]
        raise AssertionError(f"record {reference} not found")
    text = (raw_dir / reference).read_text(encoding="utf-8")
    return html.unescape(text) if reference.endswith(".html") else text


def test_corpus_same_seed_gives_identical_bytes(tmp_path):
    first = _generate(tmp_path, "a", 40, seed=3)
    second = _generate(tmp_path, "b", 40, seed=3)
    assert _files(first) == _files(second)


def test_corpus_different_seed_gives_different_articles(tmp_path):
    first = _generate(tmp_path, "a", 40, seed=3)
    second = _generate(tmp_path, "b", 40, seed=4)
    assert [g["title"] for g in _gold(first)] != [g["title"] for g in _gold(second)]


def test_corpus_smaller_size_is_a_prefix_of_larger(tmp_path):
    small = _gold(_generate(tmp_path, "a", 15, seed=3))
    large = _gold(_generate(tmp_path, "b", 30, seed=3))
    assert large[:15] == small


def test_corpus_planted_facts_appear_verbatim(tmp_path):
    root = _generate(tmp_path, "a", 80, seed=11)
    checked = 0
    for gold in _gold(root):
        text = _document_text(root / "raw", gold["article"])
        for kind in ("attacks", "deployments", "contributions", "aggregate_figures"):
            for fact in gold[kind]:
                assert fact["quote"] in text, (gold["article"], fact["quote"])
                if "place" in fact:
                    assert fact["place"] in fact["quote"]
                checked += 1
        for place in gold["boilerplate_places"]:
            assert place in text
    assert checked > 80


def test_corpus_attack_counts_are_written_in_the_quote(tmp_path):
    vocab = load_vocabulary()
    words = {value: word for value, word in vocab.number_words.items()}
    root = _generate(tmp_path, "a", 80, seed=5)
    attacks = [fact for gold in _gold(root) for fact in gold["attacks"]]
    assert attacks
    for fact in attacks:
        count = fact["killed"] or fact["wounded"]
        quote = fact["quote"].lower()
        assert f"{count:,}" in quote or words.get(count, "\0") in quote, fact["quote"]


def test_corpus_mixes_all_formats(tmp_path):
    root = tmp_path / "mix"
    summary = generate_corpus(root / "raw", 120, seed=1, gold_path=root / "gold.jsonl")
    suffixes = {path.suffix for path in (root / "raw").rglob("*") if path.is_file()}
    assert set(summary.by_format) == {"txt", "md", "html", "jsonl"}
    assert suffixes == {".txt", ".md", ".html", ".jsonl"}
    assert (root / "raw" / "feeds").is_dir()


def test_corpus_articles_are_unique_and_news_sized(tmp_path):
    root = _generate(tmp_path, "a", 60, seed=2)
    texts = [_document_text(root / "raw", gold["article"]) for gold in _gold(root)]
    assert len(set(texts)) == len(texts)
    sizes = [len(text.encode("utf-8")) for text in texts]
    assert 2800 <= min(sizes) and max(sizes) <= 7000


def test_corpus_txt_files_carry_front_matter_with_publication_date(tmp_path):
    root = _generate(tmp_path, "a", 60, seed=2)
    for gold in _gold(root):
        if gold["article"].endswith(".txt"):
            head = (root / "raw" / gold["article"]).read_text(encoding="utf-8").split("---\n")[1]
            assert f'published: "{gold["published"]}"' in head


def test_write_gold_files_writes_one_document_per_article(tmp_path):
    root = _generate(tmp_path, "a", 12, seed=2)
    assert write_gold_files(root / "gold.jsonl", root / "gold", limit=5) == 5
    documents = [json.loads(p.read_text()) for p in sorted((root / "gold").glob("*.json"))]
    assert [d["article"] for d in documents] == [g["article"] for g in _gold(root)[:5]]


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_tree_rss_adds_the_memory_of_child_processes():
    """A child holding 200 MiB of touched memory raises the tree's RSS by at least that much."""
    held = 200 * 1024 * 1024
    child = subprocess.Popen(
        [sys.executable, "-c", f"import sys; b = bytearray({held}); print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        alone, tree = _rss(os.getpid()), tree_rss_bytes(os.getpid())
        assert tree >= alone + held
        assert tree == pytest.approx(alone + _rss(child.pid), rel=0.05)
    finally:
        child.communicate("")


def test_assess_targets_flags_a_missed_target():
    result = {
        "articles": 10_000,
        "extractors": {"by_extractor": {"entity_mentions": {"mb_per_s": 12.0}}},
        "mention_comparison": {"ratio": 15.0},
        "whole_run": {"status": "ok", "seconds": 75.0},
    }
    verdicts = {t["target"]: t["met"] for t in assess_targets([result])}
    assert verdicts["mention extraction MB/s (n=10000)"] is False
    assert verdicts["mention MB/s ratio to spaCy (n=10000)"] is True
    assert verdicts["whole pipeline seconds at 10k"] is False


@pytest.mark.slow
def test_bench_tiny_run_writes_json_with_every_measure(tmp_path):
    out = tmp_path / "bench.json"
    code = main(
        [
            "--sizes",
            "20",
            "--workdir",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--skip-spacy",
            "--incremental-at",
            "0",
            "--gold-sample",
            "5",
        ]
    )
    report = json.loads(out.read_text())
    assert code == 0
    assert {"started_at", "machine", "seed", "sizes", "results", "targets"} <= set(report)
    result = report["results"][0]
    assert result["status"] == "ok"
    assert {"corpus", "stages", "whole_run", "warehouse_bytes", "memory"} <= set(result)
    assert set(result["stages"]) == {"ingest", "extraction", "dbt_build", "quality_gate", "publish"}
    for stage in result["stages"].values():
        assert stage["status"] in {"ok", "failed", "unavailable"}
        if stage["status"] == "ok":
            assert stage["seconds"] > 0 and stage["articles_per_s"] > 0 and stage["mb_per_s"] > 0
    assert result["stages"]["ingest"]["new"] == 20
    assert result["memory"]["peak_pipeline_tree_mib"] > 0
    assert result["corpus"]["gold_files"] == 5
