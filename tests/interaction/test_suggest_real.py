"""The FAQ suggester on real material (issue 14 item 2): the published letters and official replies
of a provincial 问政 message board as the FAQ base, other citizens' letters about the same subjects
as questions (``bench/data/wenzheng_*``, sources and labelling rule in the TSV header).

Only the tuning part is used here; the held-out part is for the benchmark's figure alone."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from gongkai.interaction import suggest
from gongkai.search import dictionary

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
FAQ = DATA / "wenzheng_faq.jsonl.gz"
QUESTIONS = DATA / "wenzheng_questions.tsv"
SOURCE_REPO = "github.com/Rollbear-bot/HelloNLP-TopicC-in-TipDMCup2020"


def _base() -> list[dict]:
    with gzip.open(FAQ, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _questions() -> tuple[list[str], list[tuple[int, str, set[int], str, str]]]:
    header, rows = [], []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line)
        elif line.strip():
            letter, text, targets, split, sheet = line.split("\t")
            rows.append((int(letter), text, {int(t) for t in targets.split(";")}, split, sheet))
    return header, rows


@pytest.fixture(scope="module")
def real():
    base = _base()
    index = suggest.BM25Index(
        [(e["id"], e["question"], "", e["answer"]) for e in base],
        dictionary.Dictionary([(a, b) for a, b, _s in dictionary.shipped_pairs()]),
    )
    _header, rows = _questions()
    return base, index, rows


def test_real_set_parses_with_its_sources_and_a_fixed_split():
    header, rows = _questions()
    text = "\n".join(header)
    # the sources are named: the competition data, the repository, its commit and the sheets used
    assert "tipdm.org" in text and SOURCE_REPO in text and "505edf120966fe65039395e3a7f5fa9848359274" in text
    for sheet in ("附件2", "附件3", "附件4"):
        assert sheet in text
    base = {e["id"]: e for e in _base()}
    assert len(base) == 2816 and all(e["question"] and e["answer"] for e in base.values())
    assert len(rows) >= 100
    assert len({r[0] for r in rows}) == len(rows) and len({r[1] for r in rows}) == len(rows)
    for letter, question, targets, split, sheet in rows:
        assert split in {"tune", "heldout"} and sheet in {"附件2", "附件3"}
        assert letter not in base and targets <= base.keys()
        # an identical title in the base would make the question trivial: left out by rule
        assert all(base[t]["question"] != question for t in targets)
    tune = {min(r[2]) for r in rows if r[3] == "tune"}
    held = {min(r[2]) for r in rows if r[3] == "heldout"}
    assert len(tune) >= 20 and len(held) >= 20 and not tune & held  # one subject, one side


def test_real_letters_find_their_answer_in_the_top_five(real):
    """At least 90 % of the tuning letters show an answering entry among the five suggestions
    (measured 51 of 53 when written; the benchmark prints the held-out figure)."""
    _base_rows, index, rows = real
    tune = [r for r in rows if r[3] == "tune"]
    found = [r for r in tune if {h.entry_id for h in index.search(r[1], limit=5)} & r[2]]
    assert len(found) >= 0.9 * len(tune), [r[1] for r in tune if r not in found]


def test_the_threshold_marks_but_never_hides_real_answers(real):
    """Answers below the close-match threshold are still shown: with the old behaviour (hidden
    below 0.35) fewer tuning letters would find their answer."""
    _base_rows, index, rows = real
    tune = [r for r in rows if r[3] == "tune"]
    shown = [r for r in tune if {h.entry_id for h in index.search(r[1], limit=5)} & r[2]]
    unmarked = [r for r in shown if not any(h.close for h in index.search(r[1], limit=5) if h.entry_id in r[2])]
    assert unmarked, "some real answers are shown without being marked as close matches"
    hidden = [
        r
        for r in tune
        if {h.entry_id for h in index.search(r[1], limit=5, min_similarity=suggest.DEFAULT_THRESHOLD)} & r[2]
    ]
    assert len(hidden) < len(shown)
