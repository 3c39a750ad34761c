"""Candidate detection measured on the labelled corpus (tests/data/candidates/): it must not get worse.

The recorded figures live in docs/candidates.md (printed by bench/candidates.py); this test fails when
F1 falls more than 0.05 below the recorded F1, when the targets of issue 17 are missed, or when any
candidate touches template text.
"""

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_candidates", ROOT / "bench" / "candidates.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def recorded_f1() -> float:
    match = re.search(r"Recorded F1: ([0-9.]+)", (ROOT / "docs" / "candidates.md").read_text(encoding="utf-8"))
    assert match, "docs/candidates.md must hold the line 'Recorded F1: <figure>'"
    return float(match.group(1))


def test_the_corpus_has_25_texts_with_source_licence_and_labels():
    manifest = json.loads((ROOT / "tests/data/candidates/manifest.json").read_text(encoding="utf-8"))

    assert len(manifest["texts"]) >= 25
    for entry in manifest["texts"]:
        text = (ROOT / "tests/data/candidates" / entry["file"]).read_text(encoding="utf-8")
        assert entry["source"] and entry["licence"] and entry["checkworthy"]
        for label in entry["checkworthy"] + entry["boilerplate"]:
            assert text[label["start"] : label["end"]] == label["text"]


def test_f1_does_not_drop_below_the_recorded_figure():
    result = load_bench().evaluate()

    assert result["f1"] >= recorded_f1() - 0.05, result


@pytest.mark.parametrize("k", [3, 5, 8])
def test_the_targets_hold_for_the_top_k_candidates_of_each_text(k):
    # Every row of the table in docs/candidates.md, down to the three best candidates of each text.
    result = load_bench().evaluate(k)

    assert result["recall"] >= 0.85, result
    assert result["precision"] >= 0.7, result
    assert result["boilerplate_candidates"] == 0, [o.boilerplate for o in result["outcomes"] if o.boilerplate]
