"""The HTML report: rendered through the real console script, parsed, and driven in a real
headless Chromium (sorting, filtering, no console errors, a screenshot to look at)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest

from flake8_async_route.reports import html as html_report
from flake8_async_route.results import AuditResult, Finding

REPO_ROOT = Path(__file__).resolve().parents[1]
CHATAPP = REPO_ROOT / "tests" / "projects" / "chatapp"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
SCREENSHOT = ARTIFACTS / "html-report.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PAYLOAD = "<script>alert(1)</script>"
BREAKOUT = "</script><script>alert(2)</script><!-- & &amp;"
CLI_TIMEOUT_SECONDS = 300


def _console_script() -> str:
    """The installed `flake8-async-route` entry point of this interpreter's environment."""
    name = "flake8-async-route.exe" if os.name == "nt" else "flake8-async-route"
    script = Path(sys.executable).parent / name
    found = str(script) if script.exists() else shutil.which("flake8-async-route")
    assert found, "the flake8-async-route console script is not installed"
    return found


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([_console_script(), *args, "--no-cache", "--quiet", "--jobs", "1"],
                          cwd=project, capture_output=True, text=True, encoding="utf-8",
                          timeout=CLI_TIMEOUT_SECONDS)


def render_html(project: Path, output: Path, command: str = "audit") -> str:
    completed = run_cli(project, command, ".", "--format", "html", "--output", str(output))
    assert completed.returncode in (0, 1), completed.stderr
    assert output.exists(), completed.stderr
    return output.read_text(encoding="utf-8")


def audit_json(project: Path) -> dict:
    completed = run_cli(project, "audit", ".", "--format", "json")
    assert completed.returncode in (0, 1), completed.stderr
    return json.loads(completed.stdout)


class Page(HTMLParser):
    """Elements, attributes, text and script bodies of a page as a browser would parse it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list = []  # (tag, attrs dict)
        self.scripts: list = []  # (attrs dict, body)
        self.text: list = []
        self._script: Optional[dict] = None
        self._body: list = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script, self._body = attributes, []

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._body)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._body.append(data)
        else:
            self.text.append(data)

    def all_text(self) -> str:
        return "".join(self.text)

    def find(self, tag: str, **attrs) -> list:
        return [a for t, a in self.tags if t == tag
                and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]


def assert_self_contained(page: Page) -> None:
    """Nothing is fetched: no external script, style, font, image or frame; no handlers."""
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                assert value.startswith(("#", "data:")), (tag, name, value)
    assert not page.find("link", rel="stylesheet")
    assert not [t for t, _ in page.tags if t in ("iframe", "img", "object", "embed", "base")]


def script_data(page: Page) -> dict:
    blocks = [body for attrs, body in page.scripts if attrs.get("type") == "application/json"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture(scope="module")
def chatapp_report(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("chatapp-report") / "report.html"
    render_html(CHATAPP, output)
    return output


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    """A route path, a string literal and a file name with markup in them."""
    project = tmp_path_factory.mktemp("hostile")
    source = textwrap.dedent(f"""\
        import time

        from fastapi import FastAPI

        app = FastAPI()


        @app.get({PAYLOAD!r})
        async def handler():
            time.sleep(1)
            return {BREAKOUT!r}
        """)
    (project / "x_<b>.py").write_text(source, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_report(hostile_project: Path, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("hostile-report") / "report.html"
    render_html(hostile_project, output)
    return output


@pytest.fixture(scope="module")
def numbers_project(tmp_path_factory) -> Path:
    """Handlers at one- and two-digit lines with 0 to 12 findings, for numeric sorting."""
    project = tmp_path_factory.mktemp("numbers")
    lines = ["import time", "from fastapi import FastAPI", "app = FastAPI()"]
    for index, sleeps in enumerate((2, 12, 0, 1, 10, 3)):
        lines += ["", f'@app.get("/r{index}")', f"async def route_{index}():"]
        lines += ["    time.sleep(1)"] * sleeps + ["    return 1"]
    (project / "app.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


# --- the page as text -------------------------------------------------------------------------


def test_chatapp_report_is_one_self_contained_page(chatapp_report: Path) -> None:
    text = chatapp_report.read_text(encoding="utf-8")
    page = Page(text)
    data = audit_json(CHATAPP)
    assert text.startswith("<!DOCTYPE html>")
    assert_self_contained(page)
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
    policy = page.find("meta", http_equiv="Content-Security-Policy")
    assert policy and "default-src 'none'" in policy[0]["content"]

    rows = [a for t, a in page.tags if t == "tr" and "data-index" in a]
    assert len(rows) == len(data["handlers"]) == len(script_data(page)["handlers"])
    assert [r["data-verdict"] for r in rows] == [h["verdict"] for h in data["handlers"]]
    words = page.all_text()
    for label in ("Files checked", "Findings per rule", "Handlers per verdict", "Inventory"):
        assert label in words
    summary = data["summary"]
    assert f"{summary['async_routes_blocking']} of {summary['async_routes']} async routes" in words
    for code in summary["per_rule"]:
        assert code in words

    findings = data["findings"] + data["errors"]
    assert len(page.find("li", class_="finding")) == len(findings)
    assert len(page.find("section", class_="file")) == len({f["path"] for f in findings})
    # Each excerpt highlights the offending line, read from the file, with its number.
    hits = page.find("span", class_="ln hit")
    assert len(hits) == len(findings)
    first = findings[0]
    source = (CHATAPP / first["path"]).read_text(encoding="utf-8").splitlines()
    assert source[first["line"] - 1].strip() in words


def test_hostile_names_and_strings_are_escaped(hostile_report: Path) -> None:
    text = hostile_report.read_text(encoding="utf-8")
    page = Page(text)
    assert_self_contained(page)
    # Only the report's own two scripts exist, and no <b> element came from the file name.
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
    assert text.count("<script") == 2
    assert not [t for t, _ in page.tags if t == "b"]
    # The payloads are there, as text: in the route, the messages, the path and the excerpt.
    words = page.all_text()
    assert f"GET {PAYLOAD}" in words
    assert "x_<b>.py" in words
    assert repr(BREAKOUT) in words  # the string literal, in the excerpt
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "x_&lt;b&gt;.py" in text
    assert any(a.get("aria-label") == "x_<b>.py" for _, a in page.tags)
    # The JSON block holds the raw strings, yet its source has no `<`, `>` or `&`.
    body = next(b for a, b in page.scripts if a.get("type") == "application/json")
    assert not {"<", ">", "&"} & set(body)
    handler = script_data(page)["handlers"][0]
    assert handler["route"] == PAYLOAD and handler["path"] == "x_<b>.py"


def test_check_report_has_summary_findings_and_rules_only(tmp_path: Path) -> None:
    text = render_html(CHATAPP, tmp_path / "check.html", command="check")
    page = Page(text)
    assert_self_contained(page)
    assert [attrs for attrs, _ in page.scripts] == [{}]  # the filter's; no inventory data
    assert not page.find("table") and not page.find("section", id="inventory-section")
    assert page.find("section", id="summary") and page.find("section", id="findings")
    assert "Handlers per verdict" not in page.all_text()
    assert page.find("li", class_="finding")


def test_every_rule_link_has_its_page_in_the_report(tmp_path: Path) -> None:
    page = Page(render_html(CHATAPP, tmp_path / "audit.html"))
    targets = {a["href"][1:] for a in page.find("a", class_="code")}
    pages = {s["id"] for s in page.find("section", class_="rule-page")}
    codes = {item["data-code"] for item in page.find("li", class_="finding")}
    assert targets == pages == {f"rule-{code}" for code in codes if code != "ASR001"}
    assert "Why is this bad?" in page.all_text()


def test_no_excerpt_when_the_file_cannot_be_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "short.py").write_text("x = 1\n", encoding="utf-8")
    result = AuditResult(files=["gone.py", "short.py"], findings=[
        Finding("gone.py", 3, 0, "ASR101", "`time.sleep()` <gone>"),
        Finding("short.py", 40, 0, "ASR101", "past the end"),
        Finding("short.py", 1, 0, "ASR101", "here"),
    ])
    page = Page(html_report.render(result, audit=False))
    assert len(page.find("li", class_="finding")) == 3
    assert len(page.find("pre", class_="excerpt")) == 1
    assert "`time.sleep()` <gone>".replace("`", "") in page.all_text()


def test_json_for_script_cannot_close_the_element() -> None:
    data = {"a": "</script><!--<script>&\u2028"}
    text = html_report._json_for_script(data)
    assert not {"<", ">", "&", "\u2028"} & set(text)
    assert json.loads(text) == data


# --- the page in a browser --------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = None
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        reason = (f"headless Chromium needs {CHROMIUM} and {CHROMEDRIVER} "
                  "(apt-get install chromium chromium-driver)")
    else:
        try:
            import selenium  # noqa: F401
        except ImportError:
            reason = "selenium is not installed (pip install -e '.[test]')"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, and {reason}")
        pytest.skip(reason)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1800"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def load(driver, report: Path) -> None:
    driver.get_log("browser")  # reading the log empties it: keep only this page's entries
    driver.get(report.resolve().as_uri())


def console_errors(driver) -> list:
    return [entry for entry in driver.get_log("browser")
            if entry["level"] in ("SEVERE", "WARNING") or entry.get("source") == "security"]


def column(driver, name: str, visible_only: bool = True) -> list:
    """The data-sort values of one column, in row order."""
    return driver.execute_script("""
        var headers = Array.prototype.slice.call(document.querySelectorAll('#inventory th'));
        var name = arguments[0], visibleOnly = arguments[1];
        var index = headers.findIndex(function (th) {
            return th.getAttribute('data-col') === name;
        });
        return Array.prototype.slice.call(document.querySelectorAll('#inventory tbody tr'))
            .filter(function (row) { return !visibleOnly || !row.hidden; })
            .map(function (row) { return row.cells[index].getAttribute('data-sort'); });
        """, name, visible_only)


def click_header(driver, name: str) -> None:
    driver.find_element("css selector", f'#inventory th[data-col="{name}"] button').click()


def aria_sort(driver, name: str) -> Optional[str]:
    return driver.find_element("css selector", f'#inventory th[data-col="{name}"]') \
        .get_attribute("aria-sort")


def matching(handlers: list, text: str) -> list:
    """Names of the handlers the filter should keep: the text is in any of their fields."""
    def fields(h: dict) -> str:
        return " ".join([h["path"], str(h["route"]), h["name"], h["verdict"], h["kind"]]
                        + [f["code"] + " " + f["message"] for f in h["findings"]]).lower()
    return sorted(h["name"] for h in handlers if text.lower() in fields(h))


def test_browser_sorts_filters_and_logs_no_errors(browser, chatapp_report: Path) -> None:
    from selenium.webdriver.support.ui import Select

    load(browser, chatapp_report)
    data = audit_json(CHATAPP)
    total = len(data["handlers"])
    assert browser.find_element("id", "inventory-controls").is_displayed()
    assert column(browser, "name") == [h["name"] for h in data["handlers"]]

    click_header(browser, "name")
    names = column(browser, "name")
    assert names == sorted(names, key=str.lower) and names != [h["name"] for h in data["handlers"]]
    assert aria_sort(browser, "name") == "ascending" and aria_sort(browser, "verdict") is None
    click_header(browser, "name")
    assert column(browser, "name") == sorted(names, key=str.lower, reverse=True)
    assert aria_sort(browser, "name") == "descending"

    click_header(browser, "findings")
    click_header(browser, "findings")
    counts = [int(n) for n in column(browser, "findings")]
    assert counts == sorted(counts, reverse=True) and counts[0] == max(
        len(h["findings"]) for h in data["handlers"])
    click_header(browser, "verdict")  # worst first
    ranks = [int(n) for n in column(browser, "verdict")]
    assert ranks == sorted(ranks) and ranks[0] == 0
    browser.save_screenshot(str(_screenshot_path()))

    search = browser.find_element("id", "filter")
    search.send_keys("routers/sessions.py")
    expected = matching(data["handlers"], "routers/sessions.py")
    assert expected and sorted(column(browser, "name")) == expected
    assert len(column(browser, "name", visible_only=False)) == total
    shown = browser.find_element("id", "shown").text
    assert shown == f"{len(expected)} of {total} handlers shown"

    search.clear()
    search.send_keys("asr109")  # a rule code: matched through the embedded data
    expected = matching(data["handlers"], "asr109")
    assert expected == sorted(h["name"] for h in data["handlers"]
                              if any(f["code"] == "ASR109" for f in h["findings"]))
    assert expected and sorted(column(browser, "name")) == expected

    search.clear()
    search.send_keys("no-such-handler")
    assert column(browser, "name") == []
    assert browser.find_element("id", "no-match").is_displayed()

    search.clear()
    search.send_keys(" ")  # `clear()` may fire no input event; a blank filter matches all
    Select(browser.find_element("id", "verdict-filter")).select_by_value("could be def")
    expected = sorted(h["name"] for h in data["handlers"] if h["verdict"] == "could be def")
    assert expected and sorted(column(browser, "name")) == expected
    assert console_errors(browser) == []


def test_browser_check_page_filters_findings_and_links_rules(browser, tmp_path: Path):
    from selenium.webdriver.support.ui import Select

    report = tmp_path / "check.html"
    render_html(CHATAPP, report, command="check")
    load(browser, report)
    data = json.loads(run_cli(CHATAPP, "check", ".", "--format", "json").stdout)
    findings = data["findings"] + data["errors"]  # files not checked are listed too

    def shown() -> list:
        return [(item.get_attribute("data-code"), item.find_element("css selector", ".where")
                 .text) for item in browser.find_elements("css selector", "li.finding")
                if item.is_displayed()]

    assert browser.find_element("id", "findings-controls").is_displayed()
    assert len(shown()) == len(findings)
    Select(browser.find_element("id", "rule-filter")).select_by_value("ASR109")
    expected = [f for f in findings if f["code"] == "ASR109"]
    assert expected and len(shown()) == len(expected)
    assert {code for code, _ in shown()} == {"ASR109"}
    assert browser.find_element("id", "findings-shown").text == \
        f"{len(expected)} of {len(findings)} findings shown"
    files = [s for s in browser.find_elements("css selector", "#findings section.file")
             if s.is_displayed()]
    assert len(files) == len({f["path"] for f in expected})

    Select(browser.find_element("id", "rule-filter")).select_by_value("")
    search = browser.find_element("id", "findings-filter")
    search.send_keys("routers/sessions.py")
    assert shown() and all("routers/sessions.py" in where for _, where in shown())
    search.send_keys(" no-such-text")
    assert shown() == [] and browser.find_element("id", "no-finding").is_displayed()
    search.clear()
    search.send_keys(" ")  # `clear()` may fire no input event; a blank filter matches all
    assert len(shown()) == len(findings)

    link = browser.find_element("css selector", "li.finding a.code")
    code = link.text
    link.click()
    assert browser.execute_script("return location.hash") == f"#rule-{code}"
    rule_page = browser.find_element("id", f"rule-{code}")
    assert rule_page.is_displayed() and "What it does" in rule_page.text
    assert console_errors(browser) == []


def test_summary_cards_do_not_stretch(browser, chatapp_report: Path) -> None:
    """A short card next to a long one (per rule) keeps its own height."""
    load(browser, chatapp_report)
    gaps = browser.execute_script("""
        return Array.from(document.querySelectorAll('#summary .card')).map(card => {
            const last = card.lastElementChild.getBoundingClientRect();
            return card.getBoundingClientRect().bottom - last.bottom;
        });""")
    assert len(gaps) >= 4
    assert max(gaps) <= 24, gaps  # the bottom padding and border, no empty space


def test_browser_sorts_numbers_as_numbers(browser, numbers_project: Path, tmp_path) -> None:
    report = tmp_path / "numbers.html"
    render_html(numbers_project, report)
    load(browser, report)
    counts = sorted(len(h["findings"]) for h in audit_json(numbers_project)["handlers"])
    assert len(counts) == 6 and counts[0] < 10 <= counts[-1]
    assert sorted(map(str, counts)) != list(map(str, counts))  # text order would differ
    click_header(browser, "findings")
    assert [int(n) for n in column(browser, "findings")] == counts
    click_header(browser, "location")
    lines = [int(loc.rsplit(":", 1)[1]) for loc in column(browser, "location")]
    assert lines == sorted(lines) and lines[0] < 10 <= lines[-1]
    click_header(browser, "location")
    assert [int(loc.rsplit(":", 1)[1]) for loc in column(browser, "location")] == \
        sorted(lines, reverse=True)
    assert console_errors(browser) == []


def test_browser_runs_no_injected_script(browser, hostile_report: Path) -> None:
    load(browser, hostile_report)
    assert browser.execute_script("return document.scripts.length") == 2
    assert browser.execute_script("return document.getElementsByTagName('b').length") == 0
    assert PAYLOAD in browser.find_element("id", "inventory").text
    assert console_errors(browser) == []


def _screenshot_path() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT
