"""Lighthouse on the built site (make lighthouse): every score >= 95 on six pages.

Serves site/ on 127.0.0.1, runs the pinned npm `lighthouse` (package.json) with its
default mobile preset against Debian's chromium, prints a table of the four category
scores, and exits non-zero if any score is below the bar, naming the page, the
category and the audits that cost the most points.

Each page runs RUNS times (LIGHTHOUSE_RUNS, default 3) and the table shows the median
of each category, with the lowest run beside it. The median, not the worst: the
performance score follows the host's load (Lighthouse simulates a phone by scaling the
CPU time it measures, so another process on a shared machine lowers it), and one
disturbed run out of three should not fail the build; a regression of the site moves
every run, so it moves the median too. The load average is printed with each page.

Lighthouse's 4x CPU slowdown assumes a host with a benchmark index near 1500. On a
slower or busy host it simulates a far slower phone than intended, and Lighthouse
itself warns about it. Like Lighthouse's throttling guide (docs/throttling.md and
its CPU-throttling calculator), a first run measures this host's benchmark index and
the audits use the slowdown the calculator gives for it, never more than 4x. Set
LIGHTHOUSE_CPU_SLOWDOWN to fix the multiplier instead.
"""

from __future__ import annotations

import functools
import gzip
import io
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
BAR = 95
PAGES = {
    "home": "",
    "scheme": "schemes/he/",
    "pitfall": "pitfalls/wrong-fan/",
    "notebook": "notebooks/gradients/",
    "API": "reference/api/experiments/",  # the largest of the API reference's pages
    "explorer": "explorer/",
}


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped as a real host (GitHub Pages) serves them."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".py", ".ipynb")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.suffix in self.TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        if self.path.split("?")[0].endswith("/") is False and (Path(self.translate_path(self.path))).is_dir():
            return super().send_head()  # redirect to the trailing slash
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def cpu_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown that makes this host act like Lighthouse's reference phone.

    Piecewise linear, from Lighthouse's CPU-throttling calculator: 1300 -> 3x,
    800 -> 2x, 150 -> 1x; capped at Lighthouse's default of 4x.
    """
    if benchmark_index >= 1300:
        factor = 3 + (benchmark_index - 1300) / 233
    elif benchmark_index >= 800:
        factor = 2 + (benchmark_index - 800) / 500
    else:
        factor = 1 + (benchmark_index - 150) / 650
    return round(min(4.0, max(1.0, factor)), 2)


def audit(url: str, out: Path, slowdown: float | None = None) -> dict:
    """One Lighthouse run; returns the parsed report."""
    extra = [] if slowdown is None else [f"--throttling.cpuSlowdownMultiplier={slowdown}"]
    run = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            *extra,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
    )
    if run.returncode != 0 or not out.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{run.stderr[-3000:]}")
    return json.loads(out.read_text())


RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))


def scores_of(report: dict) -> dict[str, int]:
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def costly_audits(report: dict, category: str, top: int = 4) -> list[str]:
    """The audits that cost the category most points, with their measured values."""
    refs = report["categories"][category]["auditRefs"]
    total = sum(r.get("weight", 0) for r in refs) or 1
    lost = []
    for ref in refs:
        result = report["audits"][ref["id"]]
        score = result["score"]
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            points = 100 * ref["weight"] * (1 - score) / total
            value = f" {result['displayValue']}" if result.get("displayValue") else ""
            lost.append((points, f"{ref['id']}{value} (-{points:.0f})"))
    return [text for _, text in sorted(lost, reverse=True)[:top]]


def median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main() -> int:
    if not (SITE / "index.html").is_file():
        raise SystemExit("site/ is not built: run `make lighthouse`, which builds it first")
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is missing: run `npm ci` (make lighthouse does)")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Gzip, directory=str(SITE)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    failures = []
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Lighthouse {version}, mobile preset, {RUNS} runs a page: median (lowest run)")
    only = [a for a in sys.argv[1:] if a in PAGES] or list(PAGES)
    with tempfile.TemporaryDirectory() as tmp:
        # LIGHTHOUSE_REPORTS=dir keeps the JSON reports for a closer look.
        keep = Path(os.environ.get("LIGHTHOUSE_REPORTS", tmp))
        keep.mkdir(parents=True, exist_ok=True)
        if os.environ.get("LIGHTHOUSE_CPU_SLOWDOWN"):
            slowdown = float(os.environ["LIGHTHOUSE_CPU_SLOWDOWN"])
        else:
            index = audit(base, keep / "calibration.json")["environment"]["benchmarkIndex"]
            slowdown = cpu_slowdown(index)
            print(f"host benchmark index {index:.0f}: CPU slowdown {slowdown}x (Lighthouse's default is 4x)")
        wide = max(len(p) for p in PAGES.values()) + 1
        print(f"{'page':<9} {'path':<{wide}} " + " ".join(f"{c:>15}" for c in CATEGORIES) + "   load (1 min)")
        for name in only:
            path = PAGES[name]
            loads, reports = [], []
            for run in range(RUNS):
                loads.append(os.getloadavg()[0])
                reports.append(audit(base + path, keep / f"{name}-{run + 1}.json", slowdown))
            runs = [scores_of(r) for r in reports]
            middle = {c: median([s[c] for s in runs]) for c in CATEGORIES}
            lowest = {c: min(s[c] for s in runs) for c in CATEGORIES}
            cells = " ".join(f"{f'{middle[c]} ({lowest[c]})':>15}" for c in CATEGORIES)
            print(f"{name:<9} {'/' + path:<{wide}} {cells}   " + " ".join(f"{x:.1f}" for x in loads), flush=True)
            for category in CATEGORIES:
                if middle[category] < BAR:
                    # The run that scored the median tells what cost the points.
                    report = next(r for r, s in zip(reports, runs) if s[category] == middle[category])
                    failures.append(
                        f"{name} (/{path}) {category} {middle[category]} < {BAR}: "
                        + ", ".join(costly_audits(report, category))
                    )
    httpd.shutdown()
    if failures:
        print(f"\nbelow {BAR} (median of {RUNS} runs):")
        for line in failures:
            print(f"  {line}")
        return 1
    print(f"\nevery median score >= {BAR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
