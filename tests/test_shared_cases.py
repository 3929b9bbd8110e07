"""Score the plugin on the labelled cases in ../shared/cases with ../shared/tools/score.py."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
SCORE_SCRIPT = SHARED_DIR / "tools" / "score.py"
CASES_DIR = SHARED_DIR / "cases"
SCORE_TIMEOUT_SECONDS = 600


@pytest.mark.skipif(
    not (SCORE_SCRIPT.is_file() and CASES_DIR.is_dir()),
    reason=f"shared cases not found: expected {SCORE_SCRIPT} and {CASES_DIR} beside the repo",
)
def test_shared_cases_score_perfectly() -> None:
    result = subprocess.run(
        [sys.executable, str(SCORE_SCRIPT), sys.executable, str(CASES_DIR), "--json"],
        capture_output=True,
        text=True,
        timeout=SCORE_TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    score = json.loads(result.stdout)

    assert not score["crashed"], "flake8 crashed while scoring the shared cases"
    assert (score["precision"], score["recall"]) == (1.0, 1.0), (
        f"precision={score['precision']} recall={score['recall']}\n"
        + "\n".join(f"missed:         {item}" for item in score["false_negatives"])
        + "\n"
        + "\n".join(f"false positive: {item}" for item in score["false_positives"])
    )
