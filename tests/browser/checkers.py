"""axe-core and the Nu Html Checker on every page state the browser tests reach.

Every page of every browser context is watched: each page load marks the page, and the next call the
test makes on any page, locator, keyboard or mouse (or the closing of its context) first checks the
marked pages, so the state checked is the one the test saw, before it changed anything. States that
appear without a page load (feedback shown by JavaScript, a flipped card, a live screen updated by its
event stream) are checked where the test says so: `checked(page, "flashcard back")`.

Each check
- runs axe-core in the page (WCAG 2.0/2.1/2.2 A and AA, plus best practices) and fails the test at
  once with each rule's id, help text and the selectors of its targets;
- asserts that the document does not scroll sideways at the page's viewport;
- keeps the page's HTML (`page.content()`, and after a page load also the HTML as served), which the
  Nu Html Checker validates in ONE Java run at the end of the session (a JVM start costs seconds);
  its errors and warnings fail the session with the state's name, line and message.

axe is injected with `page.evaluate` (the DevTools protocol is not subject to the app's strict CSP),
so the contexts keep enforcing the CSP: a test would still see a script the CSP blocks.

Both tools come from npm (tests/browser/package.json and its lock file), installed on first use with
`npm ci`; vnu needs Java. With QUIZAPP_CHECKERS=report nothing fails: the counts per rule are written
to test-artifacts/checkers.txt (used to measure the pages before fixing them).
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# The one place where Nu Html Checker messages are ignored, each with its reason.
VNU_NOISE = [
    # page.content() serialises the DOM, which always writes <meta charset> first but has no way to
    # carry the HTTP header the app sends; the files on disk are UTF-8 either way.
    re.compile(r"^The character encoding was not declared"),
]

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    targets: v.nodes.map((n) => n.target.join(' ')),
    summary: v.nodes.length ? v.nodes[0].failureSummary : '',
  }));
}"""
SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def install() -> None:
    """npm ci the pinned axe-core and vnu-jar once; in CI a missing tool fails, elsewhere it skips."""
    missing = [tool for tool in ("npm", "java") if not shutil.which(tool)]
    message = f"{' and '.join(missing)} missing: apt-get install -y nodejs npm default-jre-headless (as .ci/run does)"
    if not missing and not (AXE.exists() and VNU.exists()):
        print(f"\nInstalling the page checkers (axe-core, vnu-jar) with npm ci into {NODE_MODULES} ...")
        command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", str(HERE)]
        if subprocess.run(command).returncode != 0:
            missing, message = ["npm ci"], f"`{' '.join(command)}` failed: the page checkers are not installed"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(message)  # CI runs the checkers, never skips them
        pytest.skip(message)


class Checker:
    def __init__(self, snapshots: Path, report_only: bool):
        self.snapshots = snapshots
        self.report_only = report_only
        self.pending: dict = {}  # page -> True, in load order
        self.busy = False
        self.states: list[tuple[Path, str]] = []
        self.axe_counts: Counter = Counter()
        self.details: list[str] = []
        self.documents: dict = {}  # page -> its last navigation's response
        self.axe_source = AXE.read_text(encoding="utf-8")

    # -- watching -------------------------------------------------------------------------------
    def watch_context(self, context) -> None:
        context.on("page", self.watch_page)
        for page in context.pages:
            self.watch_page(page)

    def watch_page(self, page) -> None:
        page.on("load", lambda *_: self.pending.__setitem__(page, True))
        page.on("response", lambda response: self._document(page, response))

    def _document(self, page, response) -> None:
        """Keep the page's last HTML document as the server sent it: the parser repairs what the DOM shows
        (a <form> inside a <p> closes the <p>), so only the served text shows such mistakes to vnu."""
        if response.request.is_navigation_request() and response.frame.parent_frame is None:
            self.documents[page] = response

    def flush(self) -> None:
        if self.busy or not self.pending:
            return
        for page in list(self.pending):
            self.pending.pop(page, None)
            if not page.is_closed():
                self.check(page, None)

    # -- checking -------------------------------------------------------------------------------
    def check(self, page, name: str | None, keep: bool = True) -> None:
        """axe and the sideways test now; the HTML kept for vnu unless `keep` is false (the checkers' own tests)."""
        self.busy = True
        try:
            for attempt in range(3):
                try:
                    page.wait_for_load_state("load")
                    if page.evaluate("() => typeof window.axe") == "undefined":
                        page.evaluate(self.axe_source)
                    violations = page.evaluate(AXE_RUN, AXE_TAGS)
                    width, viewport = page.evaluate(SIDEWAYS)
                    html = page.content()
                    url = page.url
                    served = self._served(page) if name is None else None
                    break
                except Exception as error:  # the page navigated while being checked: check the new one
                    if page.is_closed():
                        return
                    if attempt == 2 or "context was destroyed" not in str(error) and "navigat" not in str(error):
                        raise
        finally:
            self.busy = False
        path = url.split("//", 1)[-1].split("/", 1)[-1]
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0].split("::")[-1]
        label = f"{test} · {name or '/' + path}"
        snapshot = self.snapshots / f"{len(self.states):04d}.html"
        snapshot.write_text(html, encoding="utf-8")
        if keep:
            self.states.append((snapshot, label))
        if served and keep:
            snapshot = self.snapshots / f"{len(self.states):04d}-served.html"
            snapshot.write_text(served, encoding="utf-8")
            self.states.append((snapshot, f"{label} (as served)"))
        problems = []
        for v in violations:
            if keep:  # the checkers' own tests are not counted
                self.axe_counts[v["id"]] += 1
            targets = ", ".join(v["targets"][:5]) + (" …" if len(v["targets"]) > 5 else "")
            problems.append(f"axe {v['id']} ({v['impact']}): {v['help']} at {targets}\n    {v['url']}")
        if width > viewport:
            if keep:
                self.axe_counts["(scrolls sideways)"] += 1
            problems.append(f"scrolls sideways: the document is {width}px wide in a {viewport}px viewport")
        self.details += [f"{label}: {problem}" for problem in problems]
        if problems and not self.report_only:
            raise AssertionError(f"{label}: {len(problems)} accessibility problems\n  " + "\n  ".join(problems))

    def _served(self, page) -> str | None:
        response = self.documents.pop(page, None)
        if response is None or 300 <= response.status < 400:  # a redirect has no page of its own
            return None
        if "text/html" not in response.headers.get("content-type", ""):
            return None
        try:
            return response.text()
        except Exception:  # the body is gone (the page navigated on): the DOM snapshot still counts
            return None

    def validate_html(self, states: list[tuple[Path, str]] | None = None) -> list[str]:
        """One vnu run over every kept state; returns 'state: line N: message' for each problem."""
        states = self.states if states is None else states
        if not states:
            return []
        run = subprocess.run(
            ["java", "-Xss1m", "-jar", str(VNU), "--format", "json", "--exit-zero-always"]
            + [str(path) for path, _ in states],
            capture_output=True,
            text=True,
        )
        messages = json.loads(run.stderr or '{"messages": []}')["messages"]
        labels = {path.name: label for path, label in states}
        self.vnu_counts: Counter = Counter()
        problems = []
        for m in messages:
            text = m.get("message", "")
            if any(noise.search(text) for noise in VNU_NOISE):
                continue
            kind = m.get("subType", m.get("type"))
            if kind not in ("error", "fatal", "warning"):
                continue  # plain information, such as "the first occurrence of ID x was here"
            self.vnu_counts[f"{kind}: {text[:110]}"] += 1
            label = labels.get(Path(m.get("url", "")).name, m.get("url", ""))
            problems.append(f"{label}: line {m.get('lastLine', '?')}: {kind}: {text}")
        return problems

    def report(self, path: Path, vnu_problems: list[str]) -> None:
        lines = [f"{len(self.states)} page states checked", "", "axe-core violations (page states per rule):"]
        lines += [f"  {n:4d}  {rule}" for rule, n in self.axe_counts.most_common()]
        lines += ["", f"Nu Html Checker: {len(vnu_problems)} messages, by message:"]
        lines += [f"  {n:4d}  {text}" for text, n in getattr(self, "vnu_counts", Counter()).most_common()]
        lines += ["", "Each problem:"] + self.details + vnu_problems
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CHECKER: Checker | None = None


def checked(page, name: str) -> None:
    """Check a state reached without a page load (shown by JavaScript), under a name for the report."""
    assert CHECKER is not None, "the page checkers are not running (the `checker` fixture)"
    CHECKER.flush()
    CHECKER.check(page, name)


def _around(method):
    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        if CHECKER is not None:
            CHECKER.flush()
        result = method(*args, **kwargs)
        if CHECKER is not None:
            CHECKER.flush()
        return result

    return wrapped


def _closing(method):
    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            if CHECKER is not None:
                CHECKER.flush()  # the last state of each page before it goes away
        finally:
            method(self, *args, **kwargs)

    return wrapped


def _watching(method):
    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        context = method(*args, **kwargs)
        if CHECKER is not None:
            CHECKER.watch_context(context)
        return context

    return wrapped


LISTENERS = {"on", "once", "remove_listener", "is_closed", "close"}


def patch_playwright(monkeypatch) -> None:
    """Route every Playwright action through `_around`, so page loads are checked before the next step."""
    from playwright.sync_api import Browser, BrowserContext, Keyboard, Locator, Mouse, Page

    for cls in (Page, Locator, Keyboard, Mouse):
        for name, value in list(vars(cls).items()):
            if inspect.isfunction(value) and not name.startswith("_") and name not in LISTENERS:
                monkeypatch.setattr(cls, name, _around(value))
    monkeypatch.setattr(Page, "close", _closing(Page.close))
    monkeypatch.setattr(BrowserContext, "close", _closing(BrowserContext.close))
    monkeypatch.setattr(Browser, "new_context", _watching(Browser.new_context))
    monkeypatch.setattr(Browser, "new_page", _watching_page(Browser.new_page))


def _watching_page(method):
    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        page = method(*args, **kwargs)
        if CHECKER is not None:
            CHECKER.watch_context(page.context)
        return page

    return wrapped
