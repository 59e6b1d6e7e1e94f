"""What the browser tests do as a person does it, in one place: the screens' sizes, one wait for
the live app, one wait for a tap's rerun, walking the self-check, axe, screenshots.

No fixed sleeps: a tap waits for the run it started to finish (the server's "script finished"
message on the page's WebSocket, as Streamlit's own frontend learns it), a page waits for the
live app to have replaced its copy.
"""
from __future__ import annotations

import contextlib
import json
import re
import weakref
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from trialguide.check.answers import widget_of
from trialguide.check.eligibility import default

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
KIOSK = {"width": 1080, "height": 1920}
DESKTOP = {"width": 1366, "height": 768}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TEL = "tel:+862087343383"
# How long a wait may take on a busy machine before it fails (a test does not sleep this long:
# it goes on as soon as what it waits for is there).
PATIENCE_MS = int(__import__("os").environ.get("TG_PATIENCE_MS", "60000"))

CHECK = default()
CHECK_BY_ID = {c.id: c for c in CHECK.criteria}

# Each page's WebSocket to the app: every script run, a fragment's too, ends with the server's
# "script finished" message on it. (A run can start and end between two paints, so the page's
# own script-state attribute may never show it.)
_SOCKETS: "weakref.WeakKeyDictionary[Page, WebSocket]" = weakref.WeakKeyDictionary()


def watch_runs(page: Page) -> None:
    """Follow the page's WebSocket (a reconnect opens a new one); call before it navigates."""
    page.on("websocket", lambda ws: _SOCKETS.__setitem__(page, ws) if "/_stcore/stream" in ws.url else None)


def _finished(payload) -> bool:
    if isinstance(payload, str):
        return False
    try:
        return ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished"
    except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg is not the end of a run
        return False


@contextlib.contextmanager
def a_run(page: Page):
    """What is done inside starts a script run; leaves once it has finished and been drawn."""
    with _SOCKETS[page].expect_event("framereceived", predicate=_finished, timeout=PATIENCE_MS):
        yield
    page.wait_for_function(DRAWN, timeout=PATIENCE_MS)

LIVE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testConnectionState === 'CONNECTED'
        && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-testid="stSkeleton"]')
        && !document.getElementById('tg-prerender')
        && document.querySelector('[data-testid="stMain"] h1');
}"""

DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testScriptState === 'notRunning' && !document.querySelector('[data-testid="stSkeleton"]');
}"""


# Every page a test opens counts the Content-Security-Policy's refusals from its first byte
# (tests/browser/conftest.py's open_visit): a page, a walk or a tap that needs one fails.
WATCH_POLICY = ("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


def font_files(requests: list[str]) -> set[str]:
    """The font files among a visit's requests, by name (``MaterialSymbols-Rounded``). The pages
    use the phone's own fonts: a font fetched is bytes a phone on a slow network pays for nothing."""
    return {re.sub(r"\..*", "", url.rsplit("/", 1)[-1]) for url in requests if re.search(r"\.(woff2?|ttf|otf)(\?|$)", url)}


def policy_violations(page: Page) -> list[str]:
    return page.evaluate("window.__csp")


# What a page records from its first byte (an init script): every layout shift (Chromium's
# layout-shift entries without recent input), when the server's copy gave way to the live app,
# and what the copy showed before then (its words, where its header and title were, its headings).
RECORD_ARRIVAL = """(() => {
  const rec = window.__tgArrival = { shifts: [], swapAt: null, copy: null };
  // Every block of words a reader sees (its first words, and where its words stand on the page:
  // left, top, height): the copy's at its first paint, the live app's after the swap, to be set
  // side by side.
  const BLOCK = 'h1, h2, h3, p, li, dt, dd, summary, th, td, a.tg-button';
  window.__tgBlocks = (within, scrolled, skip) => [...within.querySelectorAll(BLOCK)]
    .filter(e => !e.querySelector(BLOCK) && e.getClientRects().length && e.innerText.trim() && !(skip && e.closest(skip)))
    .map(e => { const r = { x: Infinity, y: Infinity, bottom: -Infinity }, walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
      for (let t = walk.nextNode(); t; t = walk.nextNode()) {
        const range = document.createRange(); range.selectNodeContents(t);
        for (const b of range.getClientRects()) if (b.width) { r.x = Math.min(r.x, b.x); r.y = Math.min(r.y, b.y); r.bottom = Math.max(r.bottom, b.bottom); }
      }
      return [e.innerText.replace(/\\s+/g, '').slice(0, 24), Math.round(r.x), Math.round(r.y + scrolled), Math.round(r.bottom - r.y)]; });
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) rec.shifts.push({ value: e.value, at: Math.round(e.startTime),
      sources: (e.sources || []).map(s => s.node ? s.node.nodeName + '.' + String(s.node.className || '').slice(0, 60) : '?') });
  }).observe({ type: 'layout-shift', buffered: true });
  document.addEventListener('DOMContentLoaded', () => {
    const copy = document.getElementById('tg-prerender');
    if (!copy) return;
    const box = css => { const e = copy.querySelector(css); if (!e) return null;
      const r = e.getBoundingClientRect(); return [Math.round(r.x), Math.round(r.y), Math.round(r.width)]; };
    rec.copy = {
      text: copy.querySelector('.tg-header').innerText + '\\n' + copy.querySelector('#tg-main').innerText,
      boxes: { home: box('.tg-header > a:first-child'), lang: box('.tg-lang'), title: box('h1') },
      headings: [...copy.querySelectorAll('h1, h2, h3')].map(h => h.tagName + ' ' + h.textContent.trim()),
      blocks: window.__tgBlocks(copy.querySelector('#tg-main'), window.scrollY),
    };
    new MutationObserver(() => { if (!copy.isConnected && rec.swapAt === null) rec.swapAt = performance.now(); })
      .observe(document.body, { childList: true, subtree: true });
  });
})();"""

# Where the live app draws what a reader sees first (the copy's twins: .tg-header a, .tg-lang, h1).
LIVE_BOXES = {
    "home": '.st-key-tg_header [data-testid="stPageLink-NavLink"]',
    "lang": ".st-key-lang_switches button",
    "title": '[data-testid="stMain"] h1',
}


def live_boxes(page: Page) -> dict[str, list[int]]:
    def box(css: str) -> list[int]:
        b = page.locator(css).first.bounding_box()
        return [round(b["x"]), round(b["y"]), round(b["width"])]

    return {name: box(css) for name, css in LIVE_BOXES.items()}


def live(page: Page) -> None:
    """The live app has drawn the page and replaced the server's copy."""
    page.wait_for_function(LIVE, timeout=PATIENCE_MS)


def axe_violations(page: Page) -> str:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return "" if results.violations_count == 0 else results.generate_report()


def screenshot(page: Page, name: str, container: str = '[data-testid="stMainBlockContainer"]', full: bool = True) -> None:
    """A picture for a person to look at: full length (Streamlit scrolls inside the page), or
    the screen as it is (``full=False``). JPEG: a tall kiosk page's PNG cost the suite more than
    a second of CPU each, and the pictures are for eyes, not for comparing pixels."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = str(SCREENSHOTS / f"{name}.jpg")
    if not full:
        page.screenshot(path=path, type="jpeg", quality=85)
        return
    size = page.viewport_size
    height = page.evaluate(f"document.querySelector({json.dumps(container)}).scrollHeight + 120")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.screenshot(path=path, type="jpeg", quality=85)
    page.set_viewport_size(size)


# ---- The self-check, as a person walks it ----


def visible_widget_keys(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[class*="st-key-w_"]')]
                 .map(e => [...e.classList].find(c => c.startsWith('st-key-w_')).slice(7))"""  # st-key- + widget_key
    )


def plan(key: str, profile: dict, check=CHECK):
    """What a visitor does with one widget: ("option", index) or ("type", text)."""
    qid, field = widget_of(key)
    question, answer = check.questions[qid], profile[qid]
    if question.type == "choice":
        return "option", question.options.index(answer)
    if field == "mode":
        modes = ["value"] + (["normal"] if question.normal else []) + (["unsure"] if question.unsure else [])
        return "option", modes.index(answer if isinstance(answer, str) else answer[0])
    return "type", answer[2] if field == "uln" else answer[1]


def tap(page: Page, key: str, profile: dict, check=CHECK) -> None:
    """Answer one widget with a finger, and wait for the rerun it starts."""
    action, value = plan(key, profile, check)
    if action == "option":
        with a_run(page):
            page.locator(f".st-key-{key} [data-testid=stRadioOption]").nth(value).click()
    else:
        field = page.locator(f".st-key-{key} input")
        field.click()
        field.fill(value)
        with a_run(page):
            field.press("Enter")


def tab_to(page: Page, css: str, limit: int = 400) -> None:
    for _ in range(limit):
        if page.evaluate("css => !!document.activeElement && document.activeElement.matches(css)", css):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {css}")


def by_keyboard(page: Page, key: str, profile: dict) -> None:
    """Answer one widget with the keyboard alone, and wait for the reruns it starts."""
    action, value = plan(key, profile)
    if action == "option":
        # A radio group is one Tab stop; Space selects, each arrow key moves and selects.
        tab_to(page, f".st-key-{key} input[type=radio]")
        with a_run(page):
            page.keyboard.press("Space")
        for _ in range(value):
            with a_run(page):
                page.keyboard.press("ArrowDown")
        expect(page.locator(f".st-key-{key} input[type=radio][value='{value}']")).to_be_checked()
    else:
        tab_to(page, f".st-key-{key} input")
        page.keyboard.type(value)
        with a_run(page):
            page.keyboard.press("Enter")


def any_answer(page: Page, key: str, _profile=None) -> None:
    """What any visitor might do with a widget, whatever the questions are: a choice's first
    option, a number's last way to answer ("I'm not sure" where offered), a plausible number."""
    qid, field = widget_of(key)
    question = CHECK.questions[qid]
    if field in (None, "mode"):
        options = page.locator(f".st-key-{key} [data-testid=stRadioOption]")
        with a_run(page):
            options.nth(options.count() - 1 if field == "mode" else 0).click()
    else:
        low = max(question.min, question.suspect_below or question.min)
        high = min(question.max, question.suspect_above or question.max, low + 100)
        typed = page.locator(f".st-key-{key} input")
        typed.fill("40" if field == "uln" else "%g" % round((low + high) / 2))
        with a_run(page):
            typed.press("Enter")


# The self-check's mark of its screen (components/check.py): every button that changes the
# screen counts one more visit, so a press waits for its own new screen, drawn.
VISIT = "() => { const m = document.querySelector('[data-testid=\"stMain\"] .tg-step'); return m ? m.dataset.visit : null; }"
NEXT_VISIT = """before => {
    const m = document.querySelector('[data-testid="stMain"] .tg-step');
    const a = document.querySelector('[data-testid="stApp"]');
    return m && m.dataset.visit !== before && a.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-testid="stSkeleton"]'); }"""


def press(page: Page, key: str, keyboard: bool = False) -> None:
    """A button of the self-check (Start, Continue, Back, Change...), and the new screen it draws."""
    before = page.evaluate(VISIT)
    if keyboard:
        tab_to(page, f".st-key-{key} button")
        page.keyboard.press("Enter")
    else:
        page.locator(f".st-key-{key} button").click()
    page.wait_for_function(NEXT_VISIT, arg=before, timeout=PATIENCE_MS)


def answer_screen(page: Page, profile: dict | None, act=tap, answered: tuple[str, ...] = ()) -> None:
    """Every widget on the screen answered (but those already ``answered``), those that appear on
    the way too (HBV DNA)."""
    done: set[str] = set(answered)
    while todo := [k for k in visible_widget_keys(page) if k not in done]:
        for key in todo:
            done.add(key)
            act(page, key, profile)


def walk(page: Page, profile: dict, keyboard: bool = False, check=CHECK) -> None:
    """From the start screen to the result, every screen answered as ``profile`` says
    (``check``: the questions the app asks, the trial's own unless the test runs another)."""
    act = by_keyboard if keyboard else (lambda page, key, profile: tap(page, key, profile, check))
    press(page, "start", keyboard)
    for _ in range(len(check.topics) + 1):
        if not page.locator(".st-key-continue").count():
            break
        answer_screen(page, profile, act)
        press(page, "continue", keyboard)
        expect(page.locator('[data-testid="stAlert"], .tg-error-summary')).to_have_count(0)
    press(page, "see_result", keyboard)


def walk_to_review(page: Page, profile: dict) -> None:
    press(page, "start")
    while page.locator(".st-key-continue").count():
        answer_screen(page, profile)
        press(page, "continue")
    expect(page.locator(".st-key-see_result button")).to_be_visible()


def walk_anyhow(page: Page, on_screen=lambda page: None) -> None:
    """Start (unless started), then answer every screen anyhow and Continue, to the
    check-your-answers screen. ``on_screen`` looks at each screen once it has been answered."""
    if page.locator(".st-key-start").count():
        press(page, "start")
    for _ in range(len(CHECK.topics) + 1):
        if not page.locator(".st-key-continue").count():
            break
        answer_screen(page, None, any_answer)
        on_screen(page)
        press(page, "continue")
    expect(page.locator(".st-key-see_result button")).to_be_visible()


def first_heading(page: Page):
    """The screen's own heading: the first h2 on the page (the h1 is the page's title)."""
    return page.locator('[data-testid="stMain"] h2').first


def expect_landed_on_the_heading(page: Page) -> None:
    heading = first_heading(page)
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport(ratio=1)


def step_counts(page: Page) -> tuple[int, int]:
    n, total = map(int, re.findall(r"\d+", page.locator(".tg-step-count").inner_text()))
    return n, total


# Every target at least 44 px. A glossary term linked inside a sentence is set as the sentence is
# (test_pages): WCAG 2.5.8's inline exception; it still gets a line a finger can find (24 px).
SMALL_TARGETS = """() => {
    const inSentence = e => e.matches('a[href]') && getComputedStyle(e).display === 'inline'
        && e.parentElement.closest('p, li') !== null
        && e.parentElement.textContent.trim().length > 2 * e.textContent.trim().length;
    return [...document.querySelectorAll(
        '[data-testid="stMain"] button, [data-testid="stMain"] a[href], [data-testid="stMain"] summary,'
        + ' [data-testid="stMain"] [data-testid="stRadio"] label, [data-testid="stMain"] input[type="text"]')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .map(e => [e.textContent.trim().slice(0, 30) || e.tagName, e.getBoundingClientRect(), inSentence(e)])
    .filter(([_, r, inline]) => r.bottom > 0 && (inline ? r.height < 24 : r.width < 44 || r.height < 44))
    .map(([name, r]) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`);
}"""


def small_targets(page: Page) -> list[str]:
    return page.evaluate(SMALL_TARGETS)


def lines_holding(box, words: str) -> int:
    """On how many lines of the screen these words are drawn, where they are shown in ``box``:
    the most of any place they appear (0: nowhere)."""
    return box.evaluate("""(box, words) => {
        const holds = e => e.textContent.includes(words);
        const places = [...box.querySelectorAll("*")].filter(e => holds(e) && e.getClientRects().length
                                                              && ![...e.children].some(holds));
        return Math.max(0, ...places.map(el => {
            const range = document.createRange(), texts = [];
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let t = walker.nextNode(); t; t = walker.nextNode()) texts.push(t);
            let skip = el.textContent.indexOf(words), rest = skip + words.length;
            for (const t of texts) {  // the words' own start and end, across the element's text nodes
                const n = t.textContent.length;
                if (skip >= 0 && skip < n) { range.setStart(t, skip); skip = -1; } else if (skip >= 0) skip -= n;
                if (rest <= n) { range.setEnd(t, rest); break; }
                rest -= n;
            }
            return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
        }));
    }""", words)
