"""Hostile links: query strings and paths a scanner, a prankster or a broken link sends.

Shared by the HTTP tests (tests/test_hostile.py: the pre-rendered routes, Streamlit's own, and
the same through the proxy), the live script (AppTest) and the browser. Each is written as it
goes on the wire (percent-escapes as sent). None of them names a valid language, so every page
that answers must be in the default language (English, as no Accept-Language is sent).
"""
from urllib.parse import parse_qsl

ECHO_MARKERS = ("alert(1)", "onerror", "onmouseover", "<b>bold", "zzzzzzzzzz", "X-Injected")
LEAK_MARKERS = ("Traceback", 'File "/', "root:x:", "import streamlit", "[server]", "cookieSecret", "[core]")

QUERIES = [
    "lang=%3Cscript%3Ealert(1)%3C/script%3E",
    "lang=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
    "lang=%27%3E%3Csvg%20onload=alert(1)%3E",
    "lang=" + "z" * 5000,
    "lang=" + "z" * 60000,
    "lang=zh%00",
    "lang=zh%0d%0aSet-Cookie:%20x=1",
    "lang=%0d%0aX-Injected:%201",
    "lang=%E2%80%AEzh",
    "lang=%E2%80%8Bzh",
    "lang=%ff%fe",
    "lang=%C0%AF",
    "lang=%ED%A0%80",
    "lang=%",
    "lang=%zz",
    "lang=%u003cscript%u003ealert(1)",
    "lang=xx&lang=%3Cscript%3Ealert(1)%3C/script%3E&lang=yy",
    "lang[]=zh",
    "lang=zh-Hans-CN-x-private",
    "lang=..%2F..%2Fetc%2Fpasswd",
    "lang=%F0%9F%92%A9",
    "lang=%EF%BC%9Czh%EF%BC%9E",
    "lang=%09%0a%0d%7f",
    "kiosk=%3Cscript%3Ealert(1)%3C/script%3E",
    "kiosk=1%00",
    "=%3Cscript%3Ealert(1)%3C/script%3E",
    "&&&=&&",
    "lang",
    "page=%3Cb%3Ebold%3C/b%3E",
    "utm_source=%E2%80%AE%3Cb%3Ebold",
    "&".join(f"k{i}=v" for i in range(500)),
]

PATHS = [
    "/%3Cscript%3Ealert(1)%3C",
    "/no-such-page",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/app.py",
    "/static/..%2f..%2f..%2fapp.py",
    "/component/..%2f..%2fapp.py",
    "/media/../../etc/passwd",
    "/%00",
    "/%ff%fe",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/%22onmouseover=alert(1)",
    "/" + "z" * 5000,
    "/" + "z" * 60000,
    "/.git/config",
    "/.env",
    "/app.py",
    "/components/main.py",
    "/content/trial.toml",
    "/.streamlit/config.toml",
    "//etc/passwd",
    "/%5c..%5c..%5cwindows%5cwin.ini",
    "/check%0d%0aX-Injected:%201",
    "/_stcore/../app.py",
    "/_stcore/%2e%2e/app.py",
    "/%EF%BD%83%EF%BD%88%EF%BD%85%EF%BD%83%EF%BD%8B",
    "/a/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/static/js/../../index.html",
    "/favicon.png/..%2f..%2fapp.py",
    "/%E2%80%AE",
]

# For the live app, a query string as Streamlit's st.query_params holds it.
def as_params(query: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params.setdefault(key, []).append(value)
    return params
