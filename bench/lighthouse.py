"""Lighthouse on every page in every language, beside a bare Streamlit app, in one run.

    .venv/bin/python -m bench.lighthouse [--pages home,check] [--langs en,zh]

A benchmark, not a test (about 30 s a page on 2 cores). It installs Lighthouse 12.2.3 with npm
into bench/.lighthouse/ (pinned exactly: newer releases need Node 22), starts the app as the
README does and a bare one-widget Streamlit app, and runs Lighthouse's default mobile preset
(simulated slow 4G, 4x CPU slowdown) with CHROME_PATH set to the Chromium the tests use. It
prints performance, CLS, TBT, LCP, accessibility, best practices and SEO per page, and the
issue's targets. Scores move a few points between runs: compare rows of the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.firstload import BARE_APP, ROOT, serving

HERE = Path(__file__).resolve().parent / ".lighthouse"
VERSION = "12.2.3"
PAGES = ["", "about", "taking-part", "who-can-join", "check", "results", "questions", "contact", "glossary", "doctors"]
LANGS = ["en", "zh", "zh-Hant"]
TARGETS = {"cls": 0.05, "lcp_s": 2.5}


def lighthouse() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        HERE.mkdir(exist_ok=True)
        subprocess.run(["npm", "i", "--silent", "--no-audit", "--no-fund", "-E", f"lighthouse@{VERSION}"], cwd=HERE, check=True)
    return binary


def run(binary: Path, chromium: str, url: str, out: Path, tries: int = 3) -> dict:
    """One Lighthouse run of ``url``. Lighthouse now and then fails to record its trace (it says
    "NO_NAVSTART ... Please run Lighthouse again"): such a run is made again, up to ``tries`` times."""
    for attempt in range(1, tries + 1):
        done = subprocess.run(
            [str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"],
            env={**os.environ, "CHROME_PATH": chromium}, timeout=300,
        )
        if done.returncode == 0:
            break
        if attempt == tries:
            raise SystemExit(f"Lighthouse failed {tries} times on {url}")
        print(f"Lighthouse failed on {url} (attempt {attempt}); running it again", file=sys.stderr)
    report = json.loads(out.read_text())
    cat, audits = report["categories"], report["audits"]
    score = lambda name: round((cat[name]["score"] or 0) * 100)  # noqa: E731
    return {
        "perf": score("performance"), "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"], "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "a11y": score("accessibility"), "bp": score("best-practices"), "seo": score("seo"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default=",".join(p or "home" for p in PAGES))
    parser.add_argument("--langs", default=",".join(LANGS))
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("no Chromium: install Debian's chromium or set CHROMIUM_PATH")
    binary = lighthouse()
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    (work / "bare").mkdir()
    (work / "bare" / "bare.py").write_text(BARE_APP)
    rows = []
    with serving("app.py", ROOT, work / "app.log") as app, serving("bare.py", work / "bare", work / "bare.log") as bare:
        rows.append(("bare app", "/", run(binary, chromium, bare + "/", work / "bare.json")))
        for page in args.pages.split(","):
            path = "/" + ("" if page == "home" else page)
            for lang in args.langs.split(","):
                rows.append(("app", f"{path}?lang={lang}", run(binary, chromium, f"{app}{path}?lang={lang}", work / "page.json")))
    print(f"Lighthouse {VERSION}, mobile preset (simulated slow 4G, 4x CPU), Chromium {chromium}")
    print(f"{'server':8} {'page':26} {'perf':>4} {'CLS':>6} {'TBT ms':>7} {'LCP s':>6} {'a11y':>4} {'bp':>4} {'seo':>4}")
    for name, page, r in rows:
        print(f"{name:8} {page:26} {r['perf']:4} {r['cls']:6.3f} {r['tbt_ms']:7.0f} {r['lcp_s']:6.2f} {r['a11y']:4} {r['bp']:4} {r['seo']:4}")
    app_rows = [(page, r) for name, page, r in rows if name == "app"]
    worst = {key: max(r[key] for _, r in app_rows) for key in TARGETS}
    print("targets (worst page):", ", ".join(f"{k} {worst[k]:.3f} (≤ {t}) {'ok' if worst[k] <= t else 'MISSED'}" for k, t in TARGETS.items()))
    low = [page for page, r in app_rows if r["perf"] < (80 if page.startswith("/check") else 85)]
    print("performance targets (≥ 85 prose, ≥ 80 /check):", "ok" if not low else "MISSED on " + ", ".join(low))
    print("accessibility, best practices, SEO 100:", "ok" if all(r[k] == 100 for _, r in app_rows for k in ("a11y", "bp", "seo")) else "MISSED")


if __name__ == "__main__":
    main()
