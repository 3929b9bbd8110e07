"""Score the plugin on the labelled cases with their scoring script, both vendored in
tests/labelled_cases (a copy of the project's shared labelled set: a clone has nothing
beside it)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LABELLED_DIR = Path(__file__).resolve().parent / "labelled_cases"
SCORE_SCRIPT = LABELLED_DIR / "score.py"
CASES_DIR = LABELLED_DIR / "cases"
SCORE_TIMEOUT_SECONDS = 600


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
