"""The list of screens: id, URL path, title (a catalog message) and the function that draws it.

Deep links are Streamlit page paths plus the language: ``/contact?lang=zh``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from components import check, contact, doctors, glossary, home, prose
from trialguide.i18n import N_


@dataclass(frozen=True)
class Screen:
    id: str
    path: str
    title: str
    render: Callable[[], None]


PAGES = (
    Screen("home", "", N_("Anlotinib for soft tissue sarcoma: a study explained"), home.render),
    Screen("about", "about", N_("What the study tests, and why"), prose.screen("about")),
    Screen("taking-part", "taking-part", N_("What taking part involves"), prose.screen("taking-part")),
    Screen("who-can-join", "who-can-join", N_("Who can join"), prose.screen("who-can-join")),
    Screen("check", "check", N_("Check if this study might fit you"), check.render),
    Screen("results", "results", N_("What the study found"), prose.screen("results")),
    Screen("questions", "questions", N_("Questions to ask your doctor"), prose.screen("questions")),
    Screen("contact", "contact", N_("Contact the study team"), contact.render),
    Screen("glossary", "glossary", N_("Words explained"), glossary.render),
    Screen("doctors", "doctors", N_("For doctors: the registry record"), doctors.render),
)
