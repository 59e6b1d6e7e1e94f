"""The eligibility self-check: start, one topic per screen, check your answers, result.

Each tap hands what the widgets hold to a pure transition of ``trialguide.check.flow`` and keeps
the new ``CheckSession`` it returns; drawing a screen only reads that session, never changes it.

Privacy: answers live only in this visitor's st.session_state["check"]. They are never put in
a cache, the URL, a log, a file or a request, and die with the session. The result never says
"eligible": only the study team can decide. The summary's PDF is built in memory when the
visitor taps "Save as PDF", from this session's answers, and handed to this visitor only.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st
from markupsafe import Markup

from components import chrome
from trialguide.check import answers as parse
from trialguide.check import flow, summary
from trialguide.check.eligibility import Outcome, Question, default, evaluate
from trialguide.check.flow import CheckSession
from trialguide.domain import content, registry_watch
from trialguide.domain.i18n import N_
from trialguide.pages import views
from trialguide.web import pdf
from trialguide.web import render as tpl

START, REVIEW, RESULT = flow.START, flow.REVIEW, flow.RESULT
KEY = "check"


def session() -> CheckSession:
    return st.session_state.get(KEY) or CheckSession()


def _keep(new: CheckSession) -> None:
    st.session_state[KEY] = new


def note_answers_lost() -> None:
    """The server no longer has this visitor's earlier session: say so on the start screen."""
    _keep(CheckSession(answers_lost=True))


# ---- What the widgets hold, and the taps that hand it to the flow ----


def _raw(question: Question) -> dict:
    ss = st.session_state
    if question.type == "choice":
        return {"choice": ss.get(parse.widget_key(question.id))}
    return {field: ss.get(parse.widget_key(question.id, field)) for field in parse.NUMBER_FIELDS}


def _raw_screen(topic: str) -> dict[str, dict]:
    return {q.id: _raw(q) for q in default().questions.values() if q.topic == topic}


def _start() -> None:
    _keep(flow.start(default(), session()))


def _continue(topic: str) -> None:
    _keep(flow.submit(default(), session(), topic, _raw_screen(topic)))


def _back(topic: str) -> None:
    _keep(flow.back(default(), session(), topic, _raw_screen(topic)))


def _go(step: str) -> None:
    _keep(flow.go(session(), step))


def _review_back() -> None:
    _keep(flow.review_to_back(default(), session()))


def _change(topic: str) -> None:
    _keep(flow.change(session(), topic))


def _ask_clear() -> None:
    _keep(flow.ask_clear(session()))


def _keep_answers() -> None:
    _keep(flow.keep(session()))


def _clear() -> None:
    for key in [k for k in st.session_state if parse.widget_of(str(k))]:
        del st.session_state[key]  # the widgets' own copies of the answers go too
    _keep(flow.clear(session()))


# ---- Screens ----


@st.fragment
def render() -> None:
    """The check is a fragment: a tap inside it reruns only the check, not the page around it
    (header, share panel, footer), so each answer costs the server only what it changes."""
    now, check, lang = session(), default(), chrome.lang()
    if lang != st.session_state.get("drawn_lang", lang):
        # A language button tapped as a typed number left its box: the same message reran
        # only the check. The header, title and footer must change language too.
        st.rerun()
    step = flow.screen_step(check, now)
    errors = flow.errors_now(check, now, step, _raw_screen(step)) if step not in (START, REVIEW, RESULT) else {}
    # A tap reruns only this fragment, never main.py's title: the title is set here, every run.
    # GOV.UK: while a screen shows errors, the page title starts with "Error:", so a screen
    # reader user hears it first.
    title = views.view(chrome.page_id(), lang, chrome.kiosk()).document_title
    _ = chrome.gettext()
    st.set_page_config(page_title=_("Error: {title}").format(title=title) if errors else title)
    if step == START:
        _start_screen(now)
    elif step == REVIEW:
        _review(now)
    elif step == RESULT:
        _result(now)
    else:
        _topic(now, step, errors)
    if step != START or now.answers:
        _clear_controls(now)
    # Streamlit keeps the scroll position when only the check reruns: the next screen would open
    # where the tapped button was. This hidden mark, last in the check, tells page.js that the
    # screen changed and where to land: its heading, or the error summary (GOV.UK).
    focus = now.focus if now.focus != flow.ERRORS or errors else flow.HEADING
    st.html(tpl.macro("check.html", "step_mark", now.visit, focus))


def _clear_controls(now: CheckSession) -> None:
    """Clearing takes two deliberate taps, well apart from Continue and Print: a slip of the
    finger must never wipe ten minutes of answers."""
    _ = chrome.gettext()
    with st.container(key="clear_area"):
        st.divider()
        if not now.confirm_clear:
            st.button(_("Clear my answers"), key="clear", on_click=_ask_clear)
            return
        with st.container(border=True, key="clear_confirm"):
            chrome.prose(tpl.macro("check.html", "clear_question", _("Clear all your answers? This cannot be undone.")))
            with st.container(horizontal=True, key="clear_buttons"):
                st.button(_("Yes, clear them"), key="clear_yes", on_click=_clear)
                st.button(_("Keep my answers"), key="clear_no", type="primary", on_click=_keep_answers)


def _start_screen(now: CheckSession) -> None:
    _ = chrome.gettext()
    if now.answers_lost:  # until the visitor starts again or clears
        st.warning(_("The connection to the study's server was lost, and your answers with it. Please start the check again."))
    if now.answers_cleared:
        st.success(_("Your answers were cleared. You can start again."))
    chrome.draw(views.view(chrome.page_id(), chrome.lang(), chrome.kiosk()).blocks)
    st.button(_("Start the check"), key="start", type="primary", on_click=_start)


def _topic(now: CheckSession, topic: str, errors: dict[str, dict]) -> None:
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    # Counted over every topic of the check, so the count never changes during a visit (a
    # woman's pregnancy topic is step 7 of 7 before she has said she is a woman).
    count = _("Step {n} of {total}").format(n=check.topics.index(topic) + 1, total=len(check.topics))
    chrome.prose(tpl.macro("check.html", "step_count", count))
    st.header(check.topic_titles[topic][lang]["title"], anchor=False)
    if errors:
        _error_summary(errors)
    drawn = _screen_state(topic)
    for shown in flow.screen(check, now.answers, topic, _raw_screen(topic)):
        question, answer = shown.question, now.answers.get(shown.question.id)
        if question.id in check.leads or errors:
            # An answer here changes the screen around it (the questions it brings, the problems
            # listed at the top): a tap on it reruns the whole screen.
            _question(question, answer, errors.get(question.id, {}))
        else:
            _question_alone(question, answer, drawn)
    with st.container(horizontal=True, key="step_buttons"):
        st.button(_("Back"), key="back", on_click=_back, args=(topic,))
        st.button(_("Continue"), key="continue", type="primary", on_click=_continue, args=(topic,))
    chrome.draw(views.words(check.topic_terms[topic], lang))


PROBLEM_TEXT = {
    parse.REQUIRED: N_("Please answer this question."),
    parse.NOT_A_NUMBER: N_("Please type a number, for example 85 or 1.5."),
    (parse.NOT_A_NUMBER, "whole"): N_("Please type a number, for example 65."),  # age, cycles: no 1.5
    parse.OUT_OF_RANGE: N_("This number is not possible here. Please check it."),
    parse.ULN_REQUIRED: N_("Please type the upper limit printed beside the result."),
    parse.ULN_INVALID: N_("Please type the upper limit as a number above 0."),
    parse.LIKELY_PERCENT: N_("This looks like the percentage (NEUT%). Please type the count (NEUT#) from the line above or below it, usually a number below 10. If your count really is this high, choose “I'm not sure” and ask your doctor."),
    parse.OTHER_UNIT: N_("Please type the number in {unit}, the unit this question uses. If your report uses another unit, ask your doctor for the number in {unit}, or choose “I'm not sure”."),
    parse.LIKELY_OTHER_UNIT: N_("This looks like g/dL. In g/L the number is 10 times bigger than in g/dL. Please check the unit of {label} on your report."),
}


def _problem_text(question: Question, problem: str) -> str:
    text = question.text[chrome.lang()]
    key = (problem, "whole") if question.whole and (problem, "whole") in PROBLEM_TEXT else problem
    return chrome.gettext()(PROBLEM_TEXT[key]).format(label=text["label"], unit=text.get("unit", ""))


def _error_summary(errors: dict[str, dict]) -> None:
    """GOV.UK error summary: a box at the top, announced at once, each problem a link to its field
    (page.js moves the focus to it after a failed Continue, and to the field from a link)."""
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    problems = [
        # "Platelets (PLT): Please type..." or "How old are you? Please type...": a colon only after a label
        (f"q-{qid}", summary.line(summary.Answer(check.questions[qid].text[lang]["label"], _problem_text(check.questions[qid], problem)), _))
        for qid, fields in errors.items()
        for problem in dict.fromkeys(fields.values())
    ]
    chrome.prose(tpl.macro("check.html", "error_summary", _("There is a problem"), problems))


def _problem(question: Question, problems: dict, field: str) -> None:
    """A field's problem, above the field (where the summary's link lands)."""
    if field in problems:
        if field == next(iter(problems)):
            st.html(tpl.macro("check.html", "anchor", f"q-{question.id}"))
        st.error(_problem_text(question, problems[field]))


@st.fragment
def _question_alone(question: Question, answer, drawn: tuple) -> None:
    """A question whose answer changes nothing else on the screen, in a fragment of its own: a
    tap on it reruns only this question (a few elements), not the screen's dozen. Most of a
    walk's taps are answers: on a crowded server, this is most of what a tap costs.

    A typed number is sent when its box loses focus, in the same message as the tap that took
    the focus away (Continue, or a choice that brings another question), and that message
    reruns this fragment alone: when it changed the screen, the whole page is drawn again."""
    if _screen_state(question.topic) != drawn:
        st.rerun()
    _question(question, answer, {})


def _screen_state(topic: str) -> tuple:
    """What decides the screen besides each answer: the session (a button moves it), the
    language and the answers that bring other questions."""
    return session(), chrome.lang(), tuple(_raw(q) for q in default().leads_by_topic[topic])


def _question(question: Question, answer, problems: dict) -> None:
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    text = question.text[lang]
    with st.container(border=True, key=f"q_{question.id}"):
        if question.type == "choice":
            index = question.options.index(answer) if answer in question.options else None
            _problem(question, problems, "choice")
            st.radio(
                text["label"], question.options, index=index, key=parse.widget_key(question.id),
                format_func=lambda o: check.options[o][lang]["label"],
            )
            if "hint" in text:
                st.caption(text["hint"])
            return
        unit = text.get("unit", "")
        modes = [parse.VALUE] + ([parse.NORMAL] if question.normal else []) + ([parse.UNSURE] if question.unsure else [])
        saved = answer if isinstance(answer, parse.NumberAnswer) else parse.NumberAnswer(mode="")
        mode = parse.VALUE
        if len(modes) > 1:
            labels = {parse.VALUE: _("I have the number"), parse.NORMAL: _("My doctor said it is normal"), parse.UNSURE: _("I'm not sure")}
            index = modes.index(saved.mode) if saved.mode in modes else None
            _problem(question, problems, "mode")
            mode = st.radio(text["label"], modes, index=index, key=parse.widget_key(question.id, "mode"), format_func=labels.get)
            if "hint" in text:
                st.caption(text["hint"])
        if mode == parse.VALUE:
            label = question.box_label(lang, _("{label} ({unit})"))
            _problem(question, problems, "value")
            st.text_input(label, value=_typed(saved.value), key=parse.widget_key(question.id, "value"))
            if len(modes) == 1 and "hint" in text:
                st.caption(text["hint"])
            if question.uln:
                _problem(question, problems, "uln")
                st.text_input(
                    _("Upper limit of normal printed beside it ({unit})").format(unit=unit),
                    value=_typed(saved.uln), key=parse.widget_key(question.id, "uln"),
                )
                st.caption(_("Reports print a normal range beside each result, such as 7–40. The upper limit is the second number."))


def _typed(number: float | None) -> str:
    """A saved number as the visitor typed it: 800, 1.5 (no 800.0, no 8e+02)."""
    return "" if number is None else ("%f" % number).rstrip("0").rstrip(".")


def _review(now: CheckSession) -> None:
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    answers = now.answers
    st.header(_("Check your answers"), anchor=False)
    # One card per screen (GOV.UK's summary card): its answers as a list, and one Change that goes
    # back to that screen, where every one of them can be changed.
    for topic in check.topics_for(answers):
        with st.container(border=True, key=f"r_{topic}"):
            st.subheader(check.topic_titles[topic][lang]["title"], anchor=False)
            rows = [(q.text[lang]["label"], summary.describe(check, q, answers.get(q.id), lang, _)) for q in check.questions_in(topic, answers)]
            chrome.prose(tpl.macro("check.html", "answers", rows))
            st.button(_("Change"), key=f"change_{topic}", on_click=_change, args=(topic,), type="tertiary")
    unanswered = not flow.result_ready(check, answers)
    if unanswered:
        st.error(_("Some questions are not answered yet. Use Change to answer them."))
    with st.container(horizontal=True, key="step_buttons"):
        st.button(_("Back"), key="back", on_click=_review_back)
        st.button(_("See the result"), key="see_result", type="primary", on_click=_go, args=(RESULT,), disabled=unanswered)


def _cards(items: tuple[summary.Item, ...], model: summary.Summary, headline: str, registry: str) -> str:
    return tpl.macro("check.html", "cards", items, model.words, headline, registry)


def _result(now: CheckSession) -> None:
    _ = chrome.gettext()
    check, lang, kiosk = default(), chrome.lang(), chrome.kiosk()
    result = evaluate(check, now.answers)
    data = content.default()
    model = summary.build(check, result, now.answers, lang, _, dt.date.today(), data.facts["study"]["nct_id"], data.glossary,
                          status=views.summary_status(lang, registry_watch.current()))
    with st.container(key="result"):
        with st.container(border=True, key="outcome"):
            st.header(model.outcome, anchor=False)
            chrome.draw(views.result_status(lang, registry_watch.current()))  # the status first (FACTS.md 1)
            if result.outcome is Outcome.PROBABLY_NOT:
                lead, items, headline = _("The study's rules are not a judgement of you. From your answers, these rules probably stop you joining:"), model.not_met, "rule"
            elif result.outcome is Outcome.CHECK_WITH_DOCTOR:
                lead = _("Nothing you told us rules you out so far. But some answers need checking with your doctor: you were not sure, or the study's rules are not clear for your answer. Ask your doctor:")
                items, headline = model.unknown, "ask"
            else:
                lead, items, headline = _("Only the study team can decide if you can join. Call them to ask:"), (), "rule"
            # The call button right under the status whenever a list follows, however short: on
            # a phone's first screen (after a one-reason list it sat half off the screen).
            if items:
                chrome.draw((views.call(lang, kiosk),))
            st.markdown(lead)
            if items:
                chrome.prose(_cards(items, model, headline, registry="details"))
            if result.outcome is Outcome.PROBABLY_NOT:
                st.markdown(
                    _("Next: talk with your doctor. Ask if another study or treatment might suit you. If you think an answer was wrong, use Change answers.")
                )
            if not items:  # "Call them to ask:", then the button
                chrome.draw((views.call(lang, kiosk),))
        chrome.draw((views.still_useful(lang),))
        st.subheader(_("The study doctor will also check"), anchor=False)
        st.markdown("\n".join(f"- {c.text[lang]['plain']}" for c in result.doctor_checks))
        with st.container(horizontal=True, key="step_buttons"):
            st.button(_("Change answers"), key="to_review", on_click=_go, args=(REVIEW,))
        # Who to call, what to ask the oncologist, where to look for other studies (links out: not on a kiosk).
        if not kiosk:
            heading, _sep, body = data.page("check-next", lang).markdown.partition("\n")
            st.subheader(heading.lstrip("# "), anchor=False)  # no hover anchor: a 16 px target
            st.markdown(body)
    _summary(model)


def _summary(model: summary.Summary) -> None:
    """What a doctor reads first, short; every answer behind a disclosure; the same on paper
    (style.css prints it, the full list opened) and in the PDF (trialguide/web/pdf.py)."""
    _ = chrome.gettext()
    words = model.words
    with st.container(key="summary"):
        st.header(model.title, anchor=False)
        st.markdown(model.intro)
        chrome.prose(tpl.macro("check.html", "lines", model.status, views.phone_numbers()))
        st.markdown("**" + _("Result: {outcome}").format(outcome=model.outcome) + "**")
        if model.facts:
            st.subheader(words["facts"], anchor=False)
            chrome.prose(tpl.macro("check.html", "answers", [(a.label, a.text) for a in model.facts]))
        for key, entries, headline in (("not_met", model.not_met, "rule"), ("unknown", model.unknown, "ask")):
            if entries:
                st.subheader(words[key], anchor=False)
                chrome.prose(_cards(entries, model, headline, registry="id"))
        if not model.not_met and not model.unknown:
            st.markdown(words["none"])
        every = Markup(_cards(model.every, model, "rule", registry="full"))
        chrome.prose(tpl.macro("check.html", "every", words["show_every"], words["every"], every))
    if chrome.kiosk():
        _take_away(model)
    _save_buttons(model)


def _take_away(model: summary.Summary) -> None:
    """On a kiosk, nothing to download and no link or code that could carry an answer away: the
    things to ask, large, with the number to call, to write down or photograph."""
    _ = chrome.gettext()
    things = [i.ask for i in model.unknown] + [i.rule for i in model.not_met]
    with st.container(border=True, key="take_away"):
        st.header(_("To take with you"), anchor=False)
        st.markdown(_("Write these down, or take a photo of this box with your own phone."))
        if things:
            st.markdown("\n".join(f"- {thing}" for thing in things))
        else:
            st.markdown(_("Only the study team can decide if you can join. Call them to ask:"))
        chrome.draw((views.call(chrome.lang(), True),))


def _save_buttons(model: summary.Summary) -> None:
    """Save as PDF (built only when tapped, in memory, for this visitor) and Print, each telling
    the visitor what happened (page.js and print.js write the polite status below them). A
    kiosk prints only where the clinic has turned printing on, and never downloads."""
    _ = chrome.gettext()
    if chrome.kiosk() and not chrome.kiosk_prints():
        return
    with st.container(horizontal=True, key="save_buttons"):
        if not chrome.kiosk():
            st.download_button(
                _("Save as PDF"), data=lambda: pdf.pdf(model, _), file_name=summary.file_name(dt.date.today()),
                mime="application/pdf", on_click="ignore", key="pdf", type="primary",
            )
        st.html(tpl.macro("check.html", "print_button", _("Print this summary"), Markup(tpl.asset("print.js"))), unsafe_allow_javascript=True)
    chrome.prose(
        tpl.macro("check.html", "save_status", _("Your summary is downloading. Look for it in your downloads."),
                  _("This browser did not open a print window. Use “Save as PDF” instead, or open this page in another browser.")),
    )
