"""What the server sends before any script runs: each page already written out, in its language,
with its real title and preview, compressed when the browser asks (the real server, over HTTP)."""
from __future__ import annotations

import gzip
import re
from urllib.parse import parse_qs, urlsplit

import brotli
import html5lib
import httpx
import pytest

from tests.conftest import PUBLIC_URL
from trialguide.domain import locales
from trialguide.pages import registry as pages
from trialguide.web import prerender
from trialguide.web import static
from trialguide.web import share
from trialguide.pages import views
NS = {"h": "http://www.w3.org/1999/xhtml"}
STATUS_WORDS = {"en": "most likely", "zh": "很可能", "zh-Hant": "很可能"}
TEL = "tel:+862087343383"


def get(base: str, path: str, **headers) -> httpx.Response:
    return httpx.get(base + path, headers={"accept-encoding": "identity", **headers}, timeout=30)


def parse(text: str):
    return html5lib.parse(text, namespaceHTMLElements=False)


def text_of(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def meta(doc, attr: str, name: str) -> str | None:
    found = doc.find(f".//meta[@{attr}='{name}']")
    return None if found is None else found.get("content")


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page", pages.pages(), ids=lambda p: p.id)
def test_every_page_arrives_written_out_with_its_title_and_preview(server, page, lang):
    response = get(server, pages.url(page.id, lang))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    doc = parse(response.text)
    view = views.view(page.id, lang)
    title = views.document_title(view.title, lang)
    assert doc.get("lang") == locales.HTML_LANG[lang]
    assert text_of(doc.find(".//title")) == title
    assert view.description and meta(doc, "name", "description") == view.description
    assert meta(doc, "property", "og:title") == title
    assert meta(doc, "property", "og:description") == view.description
    assert meta(doc, "property", "og:locale") == locales.OG_LOCALE[lang]
    assert meta(doc, "property", "og:type") == "website"
    assert meta(doc, "property", "og:url") == PUBLIC_URL + pages.url(page.id, lang)
    assert "Streamlit" not in text_of(doc.find(".//title"))

    copy = doc.find(".//div[@id='tg-prerender']")
    main = copy.find(".//main")
    assert text_of(main.find(".//h1")) == view.title
    # The status comes first: before the page's own words.
    assert STATUS_WORDS[lang] in text_of(main)[:200].lower()
    assert copy.find(f".//a[@href='{TEL}']") is not None
    # The live app still loads: Streamlit's own root and script are there, the script inert until
    # the copy is painted (later.js starts it), so the words never wait for it.
    assert doc.find(".//div[@id='root']") is not None
    assert doc.find(".//script[@type='module']") is None
    assert doc.find(".//script[@type='tg-module']").get("data-src").startswith("./static/js/index.")


@pytest.mark.parametrize("lang", locales.LANGS)
@pytest.mark.parametrize("page", pages.pages(), ids=lambda p: p.id)
def test_links_work_without_javascript_and_keep_the_language(server, page, lang):
    doc = parse(get(server, pages.url(page.id, lang)).text)
    copy = doc.find(".//div[@id='tg-prerender']")
    internal = [a.get("href") for a in copy.iter("a") if a.get("href", "").startswith("/")]
    switch = [href for href in internal if not href.endswith(f"lang={lang}") and "/handout" not in href]
    assert switch == [pages.url(page.id, other) for other in views.other_langs(lang)]  # this page, other languages
    for href in set(internal) - set(switch):
        url = urlsplit(href)
        assert parse_qs(url.query) == {"lang": [lang]}, href
        assert pages.by_path(url.path.lstrip("/")) is not None or url.path == "/handout", href
    # every other page is one tap away (the footer), as in the live app
    assert {urlsplit(h).path for h in internal} >= {"/" + p.path for p in pages.pages() if p.id != page.id}


def test_the_self_check_says_the_questions_are_loading_and_what_if_they_cannot(server):
    copy = parse(get(server, "/check?lang=en").text).find(".//div[@id='tg-prerender']")
    words = text_of(copy)
    assert "Your answers go only to this site's server" in words
    assert "The questions are loading" in words
    assert "You can call the study team instead" in words


@pytest.mark.parametrize(
    "accept_language, lang", [("zh-CN,zh;q=0.9,en;q=0.5", "zh"), ("en-GB", "en"), ("fr-FR", "en"), (None, "en")]
)
def test_without_lang_in_the_link_the_browser_language_decides(server, accept_language, lang):
    headers = {"accept-language": accept_language} if accept_language else {}
    response = get(server, "/results", **headers)
    assert parse(response.text).get("lang") == locales.HTML_LANG[lang]
    assert "Accept-Language" in response.headers["vary"]
    assert response.headers["content-language"] == locales.HTML_LANG[lang]


def test_a_link_with_its_language_does_not_vary_by_browser_language(server):
    response = get(server, "/results?lang=zh", **{"accept-language": "en"})
    assert parse(response.text).get("lang") == "zh-Hans"
    assert "Accept-Language" not in response.headers["vary"]


HOSTILE = [
    "/?lang=%3Cscript%3Ealert(1)%3C/script%3E",
    "/%3Cscript%3Ealert(1)%3C",
    "/no-such-page?lang=zh",
    "/?lang=zh&lang=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
    "/?lang=" + "z" * 5000,
    "/?lang=zh%00%0d%0aSet-Cookie:%20x=1",
    "/?lang=%E2%80%AEzh",
    "/?lang=%ff%fe",
    "/contact?page=%3Cb%3Ebold%3C/b%3E",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_odd_links_get_a_page_never_an_error_and_nothing_echoed(server, path):
    response = httpx.get(server + path, headers={"accept-encoding": "identity", "accept-language": "zh-CN"}, timeout=30,
                         follow_redirects=True)
    assert response.status_code == 200
    # an address that is no page is sent home once, in the visitor's language, and keeps nothing else
    assert [(r.status_code, r.headers["location"]) for r in response.history] in ([], [(302, "/?lang=zh")])
    assert "x=1" not in response.headers.get("set-cookie", "")
    for echoed in ("alert(1)", "onerror", "<b>bold", "zzzzzzzzzz"):
        assert echoed not in response.text
    doc = parse(response.text)
    expected = "contact" if path.startswith("/contact") else "home"
    # a valid lang, or none: the browser's language (Chinese here) decides
    assert doc.get("lang") == "zh-Hans"
    assert text_of(doc.find(".//main/h1")) == views.view(expected, "zh").title


def test_a_deeper_unknown_path_is_sent_home_and_echoes_nothing(server):
    """No Streamlit "Page not found" dialog (in English) over a page: the server sends the
    visitor home, in their language, before any app is loaded."""
    response = get(server, "/a/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert (response.status_code, response.headers["location"]) == (302, "/?lang=en")
    assert response.headers["cache-control"] == "no-store"
    assert "alert(1)" not in response.text
    kiosk = get(server, "/no-such-page?lang=zh-Hant&kiosk=1")
    assert (kiosk.status_code, kiosk.headers["location"]) == (302, "/?lang=zh-Hant&kiosk=1")


def test_streamlit_own_files_are_still_its_own(server):
    assert get(server, "/favicon.png").headers["content-type"] == "image/png"
    assert get(server, "/manifest.json").headers["content-type"].startswith("application/json")
    assert get(server, "/_stcore/health").text == "ok"


@pytest.mark.parametrize("coding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_pages_and_scripts_come_compressed_when_asked(server, coding, decode):
    def fetch(path: str) -> tuple[bytes, httpx.Headers]:
        with httpx.stream("GET", server + path, headers={"accept-encoding": coding}) as response:
            return b"".join(response.iter_raw()), response.headers

    plain_page = get(server, "/who-can-join?lang=zh")
    body, headers = fetch("/who-can-join?lang=zh")
    assert "content-encoding" not in plain_page.headers
    assert headers["content-encoding"] == coding
    assert decode(body) == plain_page.content
    assert int(headers["content-length"]) == len(body) < len(plain_page.content) / 2

    script = "/" + re.search(r'<script type="tg-module" data-src="\./(static/js/[^"]+)"', plain_page.text).group(1)
    plain_js = get(server, script)
    body, headers = fetch(script)
    assert "content-encoding" not in plain_js.headers
    assert headers["content-encoding"] == coding
    assert decode(body) == plain_js.content
    assert int(headers["content-length"]) == len(body) < len(plain_js.content) / 3
    # Streamlit's long-lived cache header stays: a second visit does not fetch it again.
    assert headers["cache-control"] == plain_js.headers["cache-control"] == "public, immutable, max-age=31536000"
    assert "Accept-Encoding" in headers["vary"]


def test_a_second_visit_revalidates_the_page_without_downloading_it_again(server):
    first = get(server, "/about?lang=en")
    again = get(server, "/about?lang=en", **{"if-none-match": first.headers["etag"]})
    assert first.headers["cache-control"] == "no-cache"
    assert again.status_code == 304 and again.content == b""
    other = get(server, "/about?lang=zh", **{"if-none-match": first.headers["etag"]})
    assert other.status_code == 200


@pytest.mark.parametrize("coding, decode", [(None, bytes), ("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_the_icon_font_is_declared_only_for_icon_names_so_no_first_visit_fetches_it(server, coding, decode):
    """Streamlit's start-up asks for its icon font (366 KB) whatever the page draws; declared for
    the characters of icon names only, it comes when an icon is drawn (none is, here), and not for
    that request (a space). Everything else in the stylesheet is Streamlit's, byte for byte."""
    index = get(server, "/").text
    path = "/" + re.search(r'href="\./(static/css/index\.[^"]+\.css)"', index).group(1)
    original = (static.streamlit_static_dir() / path.lstrip("/")).read_bytes()
    with httpx.stream("GET", server + path, headers={"accept-encoding": coding or "identity", "range": "bytes=0-99"}) as response:
        raw = b"".join(response.iter_raw())
    assert response.status_code == 200  # the whole new file, never a range of Streamlit's
    assert response.headers.get("content-encoding") == coding and int(response.headers["content-length"]) == len(raw)
    assert "etag" not in response.headers  # Streamlit's validator is for Streamlit's bytes
    assert response.headers["cache-control"] == "public, immutable, max-age=31536000"
    css = decode(raw)
    faces = re.findall(rb"@font-face\{font-family:Material Symbols Rounded;[^}]*\}", css)
    assert len(faces) == 1 and faces[0].endswith(b";unicode-range:U+0030-0039,U+0041-005A,U+005F,U+0061-007A}")
    assert css.replace(b";unicode-range:" + static.ICON_NAME_CHARS, b"", 1) == original
    assert static.icon_font_on_demand(css) == css  # said once


def test_a_range_request_for_a_script_is_left_to_streamlit(server):
    index = get(server, "/").text
    script = "/" + re.search(r'src="\./(static/js/[^"]+)"', index).group(1)
    response = httpx.get(server + script, headers={"accept-encoding": "br", "range": "bytes=0-99"})
    assert response.status_code == 206 and "content-encoding" not in response.headers


# ---- The pre-render on its own (no server) ----


def test_without_a_public_address_there_is_no_og_url():
    shell = prerender.Shell.parse(static.streamlit_static_dir().joinpath("index.html").read_text(encoding="utf-8"))
    doc = parse(prerender.render(shell, "home", "en", None).html)
    assert meta(doc, "property", "og:url") is None
    assert doc.find(".//link[@rel='canonical']") is None


def test_a_public_address_must_be_an_address(monkeypatch):
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "javascript:alert(1)")
    with pytest.raises(ValueError, match=share.PUBLIC_URL_ENV):
        share.public_url()
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "https://trial.example.org/")
    assert share.public_url() == "https://trial.example.org"


def test_a_changed_streamlit_index_stops_the_server_with_a_clear_message():
    with pytest.raises(prerender.ShellError, match="<title>Streamlit</title>"):
        prerender.Shell.parse('<html lang="en"><head></head><body><div id="root"></div></body></html>')


@pytest.mark.parametrize(
    "header, coding",
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None), (None, None), ("*", "br"), ("gzip;q=0", None)],
)
def test_the_best_compression_the_browser_accepts(header, coding):
    assert static.accepted_encoding(header) == coding


def later_hints(page: str) -> str:
    """What the page asks for once its copy is painted: the hints in its template (later.js)."""
    return re.search(r'<template id="tg-later">(.*?)</template>', page, re.S).group(1)


def test_every_script_the_page_asks_for_early_exists(server):
    """The pre-render fetches the app's later parts at once; an upgrade that renamed them must be noticed."""
    static_dir = static.streamlit_static_dir()
    assert len(static.lazy_chunks(static_dir)) == len(prerender.LAZY_CHUNKS)
    page = get(server, "/contact?lang=en").text
    later = later_hints(page)
    early = re.findall(r'<link rel="modulepreload" crossorigin href="\./(static/js/[^"]+)"', later)
    assert {f"static/js/{name}" for name in static.lazy_chunks(static_dir)} <= set(early)
    # All of them, Streamlit's entry script too, and only once the copy is painted (later.js
    # takes them out of their template): the page's own bytes never share the link with them.
    assert len(early) == page.count('<link rel="modulepreload"') and any(path.startswith("static/js/index.") for path in early)
    for path in early:
        response = get(server, "/" + path)
        assert response.status_code == 200 and "javascript" in response.headers["content-type"], path
    # The theme uses the phone's own fonts: Streamlit's font is not fetched ahead of the words.
    assert 'as="font"' not in page


def test_what_streamlit_asks_the_server_at_start_comes_with_the_page(server):
    """Streamlit's script, once started, asks for these two before it connects: asked for with the
    page, their answers are already there (one round trip less on a slow network)."""
    page = get(server, "/check?lang=zh").text
    early = re.findall(r'<link rel="preload" as="fetch" crossorigin href="\./([^"]+)"', later_hints(page))
    assert early == list(prerender.START_FETCHES)
    for path in early:
        assert get(server, "/" + path).status_code == 200, path


@pytest.mark.parametrize("path", ["/results?lang=en", "/doctors?lang=zh"])
def test_a_link_to_another_site_opens_beside_the_page_not_instead_of_it(server, path):
    """As Streamlit's own Markdown does: the reader's page (a self-check in progress) stays."""
    copy = parse(get(server, path).text).find(".//div[@id='tg-prerender']")
    outside = [a for a in copy.iter("a") if a.get("href", "").startswith("https://")]
    assert outside, path
    for a in outside:
        assert (a.get("target"), a.get("rel")) == ("_blank", "noopener noreferrer"), a.get("href")
    inside = [a for a in copy.iter("a") if a.get("href", "").startswith(("/", "#"))]
    assert inside and all(a.get("target") in (None, "_self") for a in inside)


@pytest.mark.parametrize("lang, label", [("en", "How the self-check reads this:"), ("zh", "自查对这一条的理解：")])
def test_the_doctors_page_shows_how_the_self_check_reads_unclear_criteria(server, lang, label):
    doc = parse(get(server, f"/doctors?lang={lang}").text)
    for bullet in ("exc-3", "exc-6", "exc-7", "exc-12"):
        item = doc.find(f".//div[@id='tg-prerender']//li[@id='{bullet}']")
        reading = item.find(".//p[@class='tg-reading']")
        assert reading is not None and text_of(reading).startswith(label), bullet


@pytest.mark.parametrize("page", pages.pages(), ids=lambda p: p.id)
def test_a_kiosk_gets_a_first_copy_that_leads_nowhere_outside(server, page):
    doc = parse(get(server, pages.url(page.id, "en") + "&kiosk=1").text)
    copy = doc.find(".//div[@id='tg-prerender']")
    for a in copy.iter("a"):
        href = a.get("href", "")
        assert href.startswith(("/", "#")) and "/handout" not in href, href
        if href.startswith("/"):
            assert "kiosk=1" in href, href  # the next page is a kiosk page too
    assert copy.find(".//p[@class='tg-kiosk-phone']") is not None


def test_crawlers_get_a_real_robots_txt_and_sitemap(server):
    """Link checkers and search engines get what they ask for, never the app's HTML."""
    robots = get(server, "/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    assert "<html" not in robots.text.lower()
    assert "Sitemap: https://trial.example.org/sitemap.xml" in robots.text  # the public address configured in tests
    sitemap = get(server, "/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap.headers["content-type"].startswith("application/xml")
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.fromstring(sitemap.content).findall("s:url", ns)
    locs = {u.find("s:loc", ns).text for u in urls}
    for page in pages.pages():
        for lang in locales.LANGS:
            assert f"https://trial.example.org{pages.url(page.id, lang)}" in locs
    first = urls[0].findall("x:link", ns)
    assert {link.get("hreflang") for link in first} == {"en", "zh-Hans", "zh-Hant", "x-default"}


def test_the_qr_code_of_one_criterion_is_drawn_here_for_this_site_only(server):
    """The doctors' page asks this server, never another, for the code of the criterion a doctor
    picked (page.js). It carries the public link; any other page, language or anchor is no code."""
    answer = get(server, "/qr.svg?page=doctors&lang=zh&at=exc-7")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"
    assert answer.content == share.qr_svg_file(f"{PUBLIC_URL}/doctors?lang=zh#exc-7")
    assert get(server, "/qr.svg?page=doctors&lang=en").content == share.qr_svg_file(f"{PUBLIC_URL}/doctors?lang=en")
    for query in ("page=doctors&lang=en&at=exc-99", "page=nowhere&lang=en", "page=doctors&lang=fr", "page=doctors&lang=en&at=<b>",
                  "lang=en"):
        answer = get(server, "/qr.svg?" + query)
        assert answer.status_code == 404 and "<" not in answer.text, query


@pytest.mark.parametrize(
    "path", ["/static/js/index.0ldR3lease.js", "/static/css/gone.css", "/static/media/nothing.woff2", "/static/js/", "/static/",
             "/static/favicon.png", "/static/js/no-such-file.js/"],
)
def test_a_static_file_that_does_not_exist_is_a_plain_404_never_the_app(server, path):
    """Streamlit answers any path it has no file for with its index.html and a 200; under
    /static/ that would be HTML where a script was asked for, kept by a cache for 30 days."""
    for method in ("GET", "HEAD"):
        for encoding in ("identity", "br"):
            response = httpx.request(method, server + path, headers={"accept-encoding": encoding}, timeout=30)
            assert response.status_code == 404, (method, encoding)
            assert response.headers["cache-control"] == "no-store"
            assert response.headers["content-type"].startswith("text/plain")
            assert "content-encoding" not in response.headers
            assert response.headers["content-security-policy"]  # the security headers, as on every answer
            assert "<html" not in response.text.lower()


def test_every_file_streamlit_has_under_static_still_answers_200(server):
    folder = static.streamlit_static_dir() / "static"
    files = sorted(p.relative_to(folder.parent).as_posix() for p in folder.rglob("*") if p.is_file())
    assert len(files) > 50
    for path in files[:: max(1, len(files) // 40)]:  # a spread of them: scripts, styles, fonts, images
        response = get(server, "/" + path)
        assert response.status_code == 200, path
        assert not response.headers["content-type"].startswith("text/html"), path
