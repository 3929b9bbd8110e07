"""RecordedDependencies.files_for keeps the closure of every project module once a model
searched the project, and brings it up to date as look-ups grow. Checked here against a
plain walk of the recorded edges, on random graphs that grow between questions."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Optional

import pytest

from flake8_async_route.project.dependencies import RecordedDependencies

MODULES = [f"m{i}" for i in range(30)]


def _walked(recorded: RecordedDependencies, start: str, paths: dict[str, Optional[Path]],
            project: frozenset[str]) -> list[str]:
    """Every file reached from `start` through the recorded look-ups, by a plain walk; a
    model that searched the project looks up every project module."""
    seen, found, queue = {start}, set(), [start, ""]
    for origin in queue:
        searched = project if origin in recorded.searched_by else set()
        for module in {*recorded.uses.get(origin, ()), *searched}:
            found.update(map(str, recorded.probed.get(module, ())))
            target = paths.get(module)
            if target is not None:
                found.add(str(target))
                if str(target) not in seen:
                    seen.add(str(target))
                    queue.append(str(target))
    found.discard(start)
    return sorted(found)


@pytest.mark.parametrize("seed", range(20))
def test_the_kept_closure_agrees_with_a_walk(tmp_path: Path, seed: int):
    rng = random.Random(seed)
    root = tmp_path.resolve()
    # A third of the modules are missing: their look-up probed two files and found none.
    paths: dict[str, Optional[Path]] = {
        name: None if rng.random() < 0.3 else root / f"{name}.py" for name in MODULES}
    recorded = RecordedDependencies(None, (root,))
    for name in MODULES:
        recorded.probed[name] = (root / name / "__init__.py", root / f"{name}.py")
    files = [str(path) for path in paths.values() if path is not None]
    # The modules of another search root are not the project's: reached through look-ups only.
    project = frozenset(name for name, path in paths.items()
                        if path is not None and rng.random() < 0.7)
    for _ in range(200):
        step = rng.random()
        if step < 0.6:
            recorded.use(rng.choice(files + [""]), rng.choice(MODULES))
        elif step < 0.65:
            recorded.record_search(rng.choice(files), project)
        else:
            start = rng.choice(files)
            assert recorded.files_for(Path(start), paths) == \
                _walked(recorded, start, paths, project)
    assert recorded.searched_by  # the runs did exercise the kept closure
