"""The package as it would be published: `python -m build` makes an sdist and a wheel whose
long description renders (`twine check`), and the wheel installed into a fresh virtual
environment runs as the console script and as flake8's plugin."""
from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import flake8_async_route
from helpers import REPO_ROOT

BUILD_TIMEOUT_SECONDS = 600


def run(*command, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT_SECONDS)


def test_built_distributions_install_and_run(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = run(sys.executable, "-m", "build", "--outdir", dist, REPO_ROOT)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    version = flake8_async_route.__version__
    wheel = dist / f"flake8_async_route-{version}-py3-none-any.whl"
    sdist = dist / f"flake8_async_route-{version}.tar.gz"
    assert wheel.is_file() and sdist.is_file(), sorted(p.name for p in dist.iterdir())
    checked = run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with tarfile.open(sdist) as archive:
        names = {Path(name).relative_to(f"flake8_async_route-{version}").as_posix()
                 for name in archive.getnames() if "/" in name}
    assert {"CHANGELOG.md", "LICENSE", "docs/rules/ASR101.md",
            "flake8_async_route/reports/assets/report.js"} <= names

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "-q", wheel)
    assert installed.returncode == 0, installed.stderr[-3000:]
    app = tmp_path / "app.py"
    app.write_text("import time\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
                   "@app.get('/')\nasync def home():\n    time.sleep(1)\n", encoding="utf-8")
    script = run(environment / "bin" / "flake8-async-route", "check", "--no-cache",
                 "--format", "html", "-o", tmp_path / "report.html", app, cwd=tmp_path)
    assert script.returncode == 1, script.stderr
    assert "ASR101" in (tmp_path / "report.html").read_text(encoding="utf-8")
    plugin = run(environment / "bin" / "flake8", "--isolated", "--select", "ASR",
                 "--async-route-no-cache", app, cwd=tmp_path)
    assert re.search(r"app\.py:9:5: ASR101 ", plugin.stdout), plugin.stdout + plugin.stderr
    versions = run(environment / "bin" / "flake8", "--version").stdout
    assert f"flake8-async-route: {version}" in versions


def test_the_version_is_released_in_the_changelog() -> None:
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(flake8_async_route.__version__)}\] - \d{{4}}-\d\d-\d\d$",
                     changelog, re.M), "no section for the package's version in CHANGELOG.md"
