"""No QR code that leads nowhere: without a public address, a link made on a loopback or private
address works only on that network; the server says so in its log, and the page beside the code
(trialguide/web/share.py: ``local_only``)."""
from __future__ import annotations

import logging

import pytest

from trialguide.web import share
LOCAL = [
    "http://127.0.0.1:8501", "http://127.8.9.1", "http://[::1]:8501", "http://localhost:8501", "http://LOCALHOST.:8501",
    "http://app.localhost", "http://0.0.0.0:8501",
    "http://10.2.3.4:8501", "http://172.16.0.1", "http://172.31.255.254", "http://192.168.1.20:8501",  # private
    "http://169.254.10.1", "http://[fe80::1]:8501", "http://[fd12:3456::1]",  # link-local, unique local
    "http://100.64.1.1",  # shared (carrier-grade NAT, VPN overlays)
    "http://[::ffff:192.168.0.7]:8501",  # a private IPv4 address written as IPv6
    "http://clinic-pc:8501", "http://kiosk.local", "http://trial.lan", "http://ward3.home.arpa", "http://app.internal",
]
PUBLIC = ["https://trial.example.org", "https://trial.sysucc.org.cn:8443", "http://8.8.8.8", "http://[2001:4860::8888]", "http://172.32.0.1",
          "http://192.169.0.1", "https://local.example.org", "https://lan.example.com"]


@pytest.mark.parametrize("base", LOCAL)
def test_a_loopback_private_or_local_name_works_only_on_this_network(base):
    assert share.is_local_address(base)


@pytest.mark.parametrize("base", PUBLIC)
def test_a_public_name_or_address_works_everywhere(base):
    assert not share.is_local_address(base)


@pytest.mark.parametrize("base", ["", "not an address", "mailto:someone@example.org"])
def test_no_host_is_not_called_local(base):
    assert not share.is_local_address(base)


def test_local_only_without_a_public_address(monkeypatch):
    monkeypatch.delenv(share.PUBLIC_URL_ENV, raising=False)
    assert share.local_only("http://192.168.1.20:8501")
    assert not share.local_only("https://trial.example.org")


def test_with_a_public_address_set_nothing_is_flagged_not_even_a_private_one(monkeypatch):
    """An intranet-only site may choose a private public address on purpose: links carry it."""
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "http://10.1.2.3:8501")
    assert not share.local_only("http://10.1.2.3:8501")
    assert not share.local_only("http://127.0.0.1:8501")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.levelname} {record.getMessage()}")


@pytest.fixture
def records():
    handler = _Records()
    log = share.logger()
    log.addHandler(handler)
    yield handler.lines
    log.removeHandler(handler)


def test_the_server_warns_at_start_without_a_public_address(monkeypatch, records):
    monkeypatch.delenv(share.PUBLIC_URL_ENV, raising=False)
    assert share.warn_without_public_url()
    assert len(records) == 1 and records[0].startswith("WARNING TRIALGUIDE_PUBLIC_URL is not set")
    assert "only on this network" in records[0]
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "https://trial.example.org")
    assert not share.warn_without_public_url()
    assert len(records) == 1


def test_a_local_only_qr_code_is_logged_once_per_address(monkeypatch, records):
    monkeypatch.delenv(share.PUBLIC_URL_ENV, raising=False)
    monkeypatch.setattr(share, "_warned_local", set())
    assert share.warn_if_local_only("http://192.168.1.20:8501")
    assert not share.warn_if_local_only("http://192.168.1.20:8501")
    assert not share.warn_if_local_only("https://trial.example.org")
    assert records == ["WARNING A QR code was made for http://192.168.1.20:8501, which works only on this network: set TRIALGUIDE_PUBLIC_URL."]
