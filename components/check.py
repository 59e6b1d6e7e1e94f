"""The eligibility self-check: start, one topic per screen, check your answers, result.

Privacy: answers live only in this visitor's st.session_state["check"]. They are never put in
a cache, the URL, a log, a file or a request, and die with the session. The result never says
"eligible": only the study team can decide. The summary's PDF is built in memory when the
visitor taps "Save as PDF", from this session's answers, and handed to this visitor only.
"""
from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from components import chrome
from trialguide.check import answers as parse
from trialguide.domain import content
from trialguide.check import flow
from trialguide.pages import registry as pages
from trialguide.web import security
from trialguide.check import summary
from trialguide.pages import views
from trialguide.domain.i18n import N_
from trialguide.check.eligibility import Outcome, Question, default, evaluate

START, REVIEW, RESULT = flow.START, flow.REVIEW, flow.RESULT
# Where page.js puts the focus after a tap that changed the screen (see _marker).
HEADING, ERRORS, CLEAR_QUESTION, CLEAR_BUTTON = "heading", "errors", "clear", "kept"


def _state() -> dict:
    if "check" not in st.session_state:
        st.session_state["check"] = {"step": START, "answers": {}, "errors": {}, "back_to_review": False, "confirm_clear": False}
    return st.session_state["check"]


def _moved(focus: str) -> None:
    """Count one more tap that changes the screen: page.js then scrolls to it and focuses it.
    Kept outside the answers, so that clearing them is a move like any other."""
    nav = st.session_state.setdefault("check_nav", {"visit": 0, "focus": HEADING})
    nav["visit"] += 1
    nav["focus"] = focus


def _clear() -> None:
    st.session_state.pop("check", None)
    st.session_state.pop("answers_lost", None)
    for key in [k for k in st.session_state if str(k).startswith(parse.widget_key(""))]:
        del st.session_state[key]
    _moved(HEADING)


def _ask_clear() -> None:
    _state()["confirm_clear"] = True
    _moved(CLEAR_QUESTION)


def _keep() -> None:
    _state()["confirm_clear"] = False
    _moved(CLEAR_BUTTON)


def _go(step: str) -> None:
    st.session_state.pop("answers_lost", None)
    state = _state()
    state["step"], state["errors"], state["confirm_clear"] = step, {}, False
    _moved(HEADING)


# ---- Reading the widgets of one screen ----


def _raw(question: Question) -> dict:
    ss = st.session_state
    if question.type == "choice":
        return {"choice": ss.get(parse.widget_key(question.id))}
    return {field: ss.get(parse.widget_key(question.id, field)) for field in ("mode", "value", "uln")}


def _screen(topic: str, draw: bool = False, errors: dict[str, dict] | None = None) -> tuple[dict, dict[str, dict]]:
    """Walk one screen's questions in order, drawing them if asked, and read what they hold.

    A question shows when the answers before it allow (HBV DNA right after a positive HBsAg),
    counting what is on this screen now, not only what was saved. ``errors``: the problems to
    show beside each drawn question.
    Returns (the screen's valid answers, problems per question).
    """
    state, check = _state(), default()
    live = dict(state["answers"])
    valid: dict = {}
    problems_by_question: dict[str, dict] = {}
    for question in (q for q in check.questions.values() if q.topic == topic):
        if not check.visible(question, live):
            continue
        if draw:
            _question(question, state["answers"].get(question.id), (errors or {}).get(question.id, {}))
        answer, problems = parse.read(question, _raw(question))
        if problems:
            problems_by_question[question.id] = problems
            live.pop(question.id, None)
        else:
            live[question.id] = valid[question.id] = answer
    return valid, problems_by_question


def _errors_now(topic: str) -> dict[str, dict]:
    """The problems a failed Continue found that the screen still has: a problem goes as soon as
    its field holds a valid answer, without waiting for the next Continue. Read, never stored."""
    flagged = _state()["errors"]
    if not flagged:
        return {}
    _, now = _screen(topic)
    still = {qid: {f: p for f, p in now.get(qid, {}).items() if f in fields} for qid, fields in flagged.items()}
    return {qid: problems for qid, problems in still.items() if problems}


def _save_screen(topic: str, strict: bool) -> bool:
    """Keep this screen's answers; with strict, refuse (and say why) when any is missing or wrong."""
    state = _state()
    valid, errors = _screen(topic)
    if strict and errors:
        state["errors"] = errors
        return False
    state["answers"].update(valid)
    return True


def _continue(topic: str) -> None:
    state = _state()
    if _save_screen(topic, strict=True):
        _go(flow.after_continue(default(), state["answers"], topic, changing=state["back_to_review"]))
    else:
        state["confirm_clear"] = False
        _moved(ERRORS)


def _back(topic: str) -> None:
    state = _state()
    _save_screen(topic, strict=False)
    _go(flow.after_back(default(), state["answers"], topic))


def _change(topic: str) -> None:
    _state()["back_to_review"] = True
    _go(topic)


# ---- Screens ----


@st.fragment
def render() -> None:
    """The check is a fragment: a tap inside it reruns only the check, not the page around it
    (header, share panel, footer), so each answer costs the server only what it changes."""
    state = _state()
    step = state["step"]
    _ = chrome.gettext()
    errors = _errors_now(step) if step not in (START, REVIEW, RESULT) else {}
    # A tap reruns only this fragment, never main.py's title: the title is set here, every run.
    # GOV.UK: while a screen shows errors, the page title starts with "Error:", so a screen
    # reader user hears it first.
    page = pages.BY_ID["check"]  # not inside _(...): the catalog extractor would take "check" for a message
    title = views.document_title(_(page.title), _)
    st.set_page_config(page_title=_("Error: {title}").format(title=title) if errors else title)
    if step == START:
        _start()
    elif step == REVIEW:
        _review()
    elif step == RESULT:
        _result()
    else:
        _topic(step, errors)
    if step != START or state["answers"]:
        _clear_controls()
    _marker(errors)


def _marker(errors: dict) -> None:
    """Streamlit keeps the scroll position when only the check reruns: the next screen would open
    where the tapped button was. This hidden mark, last in the check, tells page.js that the
    screen changed and where to land: the screen's heading, or the error summary (GOV.UK)."""
    nav = st.session_state.get("check_nav", {"visit": 0, "focus": HEADING})
    focus = nav["focus"] if nav["focus"] != ERRORS or errors else HEADING
    st.html(f'<span class="tg-step" data-visit="{int(nav["visit"])}" data-focus="{html.escape(focus)}" hidden></span>')


def _clear_controls() -> None:
    """Clearing takes two deliberate taps, well apart from Continue and Print: a slip of the
    finger must never wipe ten minutes of answers."""
    _ = chrome.gettext()
    with st.container(key="clear_area"):
        st.divider()
        if not _state()["confirm_clear"]:
            st.button(_("Clear my answers"), key="clear", on_click=_ask_clear)
            return
        with st.container(border=True, key="clear_confirm"):
            question = html.escape(_("Clear all your answers? This cannot be undone."))
            st.markdown(f'<p class="tg-clear-question" tabindex="-1"><strong>{question}</strong></p>', unsafe_allow_html=True)
            with st.container(horizontal=True, key="clear_buttons"):
                st.button(_("Yes, clear them"), key="clear_yes", on_click=_clear)
                st.button(_("Keep my answers"), key="clear_no", type="primary", on_click=_keep)


def _status_caveat() -> None:
    chrome.draw((views.check_caveat(chrome.lang(), chrome.gettext()),))


def _start() -> None:
    _ = chrome.gettext()
    if st.session_state.get("answers_lost"):  # until the visitor starts again or clears
        st.warning(_("The connection to the study's server was lost, and your answers with it. Please start the check again."))
    chrome.draw(views.check_start(chrome.lang(), _))
    st.button(_("Start the check"), key="start", type="primary", on_click=_go, args=(flow.first_topic(default(), _state()["answers"]),))


def _topic(topic: str, errors: dict[str, dict]) -> None:
    _ = chrome.gettext()
    state, check, lang = _state(), default(), chrome.lang()
    if topic not in check.topics_for(state["answers"]):  # an answer changed so this topic no longer applies
        _go(REVIEW)
        st.rerun()
    # Counted over every topic of the check, so the count never changes during a visit (a
    # woman's pregnancy topic is step 7 of 7 before she has said she is a woman).
    count = _("Step {n} of {total}").format(n=check.topics.index(topic) + 1, total=len(check.topics))
    st.markdown(f'<p class="tg-step-count">{html.escape(count)}</p>', unsafe_allow_html=True)
    st.header(check.topic_titles[topic][lang]["title"], anchor=False)
    if errors:
        _error_summary(errors)
    _screen(topic, draw=True, errors=errors)
    with st.container(horizontal=True, key="step_buttons"):
        st.button(_("Back"), key="back", on_click=_back, args=(topic,))
        st.button(_("Continue"), key="continue", type="primary", on_click=_continue, args=(topic,))
    chrome.words_on_page(check.topic_terms[topic])


PROBLEM_TEXT = {
    parse.REQUIRED: N_("Please answer this question."),
    parse.NOT_A_NUMBER: N_("Please type a number, for example 85 or 1.5."),
    parse.OUT_OF_RANGE: N_("This number is not possible here. Please check it."),
    parse.ULN_REQUIRED: N_("Please type the upper limit printed beside the result."),
    parse.ULN_INVALID: N_("Please type the upper limit as a number above 0."),
    parse.LIKELY_PERCENT: N_("This looks like the percentage (NEUT%). Please type the count (NEUT#) from the line above or below it, usually a number below 10. If your count really is this high, choose “I'm not sure” and ask your doctor."),
    parse.OTHER_UNIT: N_("{label}: please type the number in {unit}, the unit this question uses. If your report uses another unit, ask your doctor for the number in {unit}, or choose “I'm not sure”."),
    parse.LIKELY_OTHER_UNIT: N_("{label}: this looks like g/dL. In g/L the number is 10 times bigger: 3.5 g/dL is 35 g/L. Please check the unit of {label} on your report."),
}


def _error_summary(errors: dict[str, dict]) -> None:
    """GOV.UK error summary: a box at the top, announced at once, each problem a link to its field
    (page.js moves the focus to it after a failed Continue, and to the field from a link)."""
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    items = "".join(
        f'<li><a href="#q-{qid}">'
        + html.escape(_("{question} {problem}").format(question=check.questions[qid].text[lang]["label"], problem=_problem_text(check.questions[qid], problem)))
        + "</a></li>"
        for qid, problems in errors.items()
        for problem in dict.fromkeys(problems.values())
    )
    heading = html.escape(_("There is a problem"))
    st.markdown(
        f'<div class="tg-error-summary" role="alert" tabindex="-1"><h2>{heading}</h2><ul>{items}</ul></div>', unsafe_allow_html=True
    )


def _problem(question: Question, problems: dict, field: str) -> None:
    """A field's problem, above the field (where the summary's link lands)."""
    if field in problems:
        _ = chrome.gettext()
        if field == next(iter(problems)):
            st.html(f'<span id="q-{question.id}"></span>')
        st.error(_problem_text(question, problems[field]))


def _problem_text(question: Question, problem: str) -> str:
    text = question.text[chrome.lang()]
    return chrome.gettext()(PROBLEM_TEXT[problem]).format(label=text["label"], unit=text.get("unit", ""))


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
            label = f"{text['label']} ({unit})" if unit else text["label"]
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


def describe(question: Question, answer) -> str:
    """An answer as the visitor would say it, in their language."""
    return summary.describe(default(), question, answer, chrome.lang(), chrome.gettext())


def _review() -> None:
    _ = chrome.gettext()
    state, check, lang = _state(), default(), chrome.lang()
    answers = state["answers"]
    state["back_to_review"] = False
    screens = {topic: check.questions_in(topic, answers) for topic in check.topics_for(answers)}
    st.header(_("Check your answers"), anchor=False)
    # One card per screen (GOV.UK's summary card): its answers as a list, and one Change that goes
    # back to that screen, where every one of them can be changed.
    for topic, questions in screens.items():
        with st.container(border=True, key=f"r_{topic}"):
            st.subheader(check.topic_titles[topic][lang]["title"], anchor=False)
            rows = "".join(
                f'<dt>{html.escape(q.text[lang]["label"])}</dt><dd>{html.escape(describe(q, answers.get(q.id)))}</dd>' for q in questions
            )
            st.markdown(f'<dl class="tg-answers">{rows}</dl>', unsafe_allow_html=True)
            st.button(_("Change"), key=f"change_{topic}", on_click=_change, args=(topic,), type="tertiary")
    unanswered = not flow.result_ready(check, answers)
    if unanswered:
        st.error(_("Some questions are not answered yet. Use Change to answer them."))
    with st.container(horizontal=True, key="step_buttons"):
        st.button(_("Back"), key="back", on_click=_go, args=(flow.review_back(check, answers),))
        st.button(_("See the result"), key="see_result", type="primary", on_click=_go, args=(RESULT,), disabled=unanswered)


# The call button comes after the list when the list is this short; else right under the
# headline, so that it is on the first screen of a phone whatever the list holds.
CALL_AFTER_AT_MOST = 1


def _result() -> None:
    _ = chrome.gettext()
    state, check, lang = _state(), default(), chrome.lang()
    result = evaluate(check, state["answers"])
    data = content.default()
    model = summary.build(check, result, state["answers"], lang, _, dt.date.today(), data.facts["study"]["nct_id"], data.glossary)
    with st.container(key="result"):
        with st.container(border=True, key="outcome"):
            st.header(model.outcome, anchor=False)
            if result.outcome is Outcome.PROBABLY_NOT:
                lead, items, headline = _("This is about the study's rules, not about you. The study requires these; from your answers, these are not met:"), model.not_met, "plain"
            elif result.outcome is Outcome.CHECK_WITH_DOCTOR:
                lead = _("Nothing you told us rules you out so far. But some answers need checking with your doctor: you were not sure, or the study's rules are not clear for your answer. Ask your doctor:")
                items, headline = model.unknown, "ask"
            else:
                lead, items, headline = _("Only the study team can decide if you can join. Call them to ask:"), (), "plain"
            call_first = len(items) > CALL_AFTER_AT_MOST
            if call_first:
                chrome.call_button()
            st.markdown(lead)
            if items:
                st.markdown(_cards(items, model, headline, registry="details"), unsafe_allow_html=True)
            if result.outcome is Outcome.PROBABLY_NOT:
                st.markdown(
                    _("Next: talk with your doctor. Ask if another study or treatment might suit you. If you think an answer was wrong, use Change answers.")
                )
            if not call_first:
                chrome.call_button()
        _status_caveat()
        st.subheader(_("The study doctor will also check"), anchor=False)
        for c in result.doctor_checks:
            st.markdown(f"- {html.escape(c.text[lang]['plain'])}")
        with st.container(horizontal=True, key="step_buttons"):
            st.button(_("Change answers"), key="to_review", on_click=_go, args=(REVIEW,))
        # Who to call, what to ask the oncologist, where to look for other studies (links out: not on a kiosk).
        if not chrome.kiosk():
            heading, _sep, body = content.default().page("check-next", lang).markdown.partition("\n")
            st.subheader(heading.lstrip("# "), anchor=False)  # no hover anchor: a 16 px target
            st.markdown(body)
    _summary(model)


def _cards(items: tuple[summary.Item, ...], model: summary.Summary, headline: str, registry: str) -> str:
    """Criteria as a list of cards: the plain words, when it may change, each answer on its own
    line, and the registry's words (English, lang="en") for the doctor.

    ``registry``: "details" (behind a disclosure), "id" (the criterion's id only) or "full"
    (what it means, and the registry's words, in the full list that is itself a disclosure).
    """
    _ = chrome.gettext()
    words = model.words
    cards = []
    for i in items:
        parts = [f'<p class="tg-card-head"><strong>{html.escape(getattr(i, headline))}</strong></p>']
        if registry == "details":  # on the result: why it matters, and what its word means
            if headline == "ask":
                parts.append(f'<p class="tg-needs">{html.escape(words["needs"].format(plain=i.plain))}</p>')
            if i.explain:
                parts.append(f'<p class="tg-explain">{html.escape(i.explain)}</p>')
        if i.changes:
            parts.append(f'<p class="tg-changes">{html.escape(i.changes)}</p>')
        if i.answers:  # each a question and its answer: "How old are you? 72 years"
            lines = "".join(f"<li>{html.escape(summary.line(a, _))}</li>" for a in i.answers)
            parts.append(f'<ul class="tg-given">{lines}</ul>')
        quote = f'{html.escape(i.source)}: <span lang="en">“{html.escape(i.excerpt)}”</span>'
        if registry == "details":
            parts.append(f'<details class="tg-registry"><summary>{html.escape(words["registry"])}</summary><p>{quote}</p></details>')
        elif registry == "id":
            parts.append(f'<p class="tg-registry">{html.escape(summary.registry_line(i, _))}</p>')
        else:
            status = f"<strong>{html.escape(i.status)}</strong>"
            parts.append(f'<p class="tg-means">{html.escape(words["means"]).format(status=status)}</p>')
            parts.append(f'<p class="tg-registry">{quote}</p>')
        cards.append(f'<li class="tg-card">{"".join(parts)}</li>')
    return f'<ul class="tg-cards">{"".join(cards)}</ul>'


def _summary(model: summary.Summary) -> None:
    """What a doctor reads first, short; every answer behind a disclosure; the same on paper
    (style.css prints it, the full list opened) and in the PDF (trialguide/check/summary.py)."""
    _ = chrome.gettext()
    words = model.words
    with st.container(key="summary"):
        st.header(model.title, anchor=False)
        st.markdown(model.intro)
        st.markdown("**" + _("Result: {outcome}").format(outcome=model.outcome) + "**")
        if model.facts:
            st.subheader(words["facts"], anchor=False)
            rows = "".join(f"<dt>{html.escape(a.label)}</dt><dd>{html.escape(a.text)}</dd>" for a in model.facts)
            st.markdown(f'<dl class="tg-answers">{rows}</dl>', unsafe_allow_html=True)
        for key, entries, headline in (("not_met", model.not_met, "plain"), ("unknown", model.unknown, "ask")):
            if entries:
                st.subheader(words[key], anchor=False)
                st.markdown(_cards(entries, model, headline, registry="id"), unsafe_allow_html=True)
        if not model.not_met and not model.unknown:
            st.markdown(words["none"])
        st.markdown(
            f'<details class="tg-every"><summary>{html.escape(words["show_every"])}</summary>'
            f'<h3 class="tg-print-only">{html.escape(words["every"])}</h3>'
            f"{_cards(model.every, model, 'plain', registry='full')}</details>",
            unsafe_allow_html=True,
        )
    if chrome.kiosk():
        _take_away(model)
    _save_buttons(model)


def _take_away(model: summary.Summary) -> None:
    """On a kiosk, nothing to download and no link or code that could carry an answer away: the
    things to ask, large, with the number to call, to write down or photograph."""
    _ = chrome.gettext()
    things = [i.ask for i in model.unknown] + [i.plain for i in model.not_met]
    with st.container(border=True, key="take_away"):
        st.header(_("To take with you"), anchor=False)
        st.markdown(_("Write these down, or take a photo of this box with your own phone."))
        if things:
            st.markdown("\n".join(f"- {html.escape(thing)}" for thing in things))
        else:
            st.markdown(_("Only the study team can decide if you can join. Call them to ask:"))
        chrome.call_button()


def _save_buttons(model: summary.Summary) -> None:
    """Save as PDF (built only when tapped, in memory, for this visitor) and Print, each telling
    the visitor what happened (page.js and print.js write the polite status below them). A
    kiosk prints only where the clinic has turned printing on, and never downloads."""
    _ = chrome.gettext()
    today = dt.date.today()
    print_label = _("Print this summary")
    if chrome.kiosk() and not chrome.kiosk_prints():
        return
    with st.container(horizontal=True, key="save_buttons"):
        if not chrome.kiosk():
            st.download_button(
                _("Save as PDF"), data=lambda: summary.pdf(model, _), file_name=summary.file_name(today),
                mime="application/pdf", on_click="ignore", key="pdf", type="primary",
            )
        st.html(
            f'<button class="tg-button tg-print" type="button" id="tg-print">{html.escape(print_label)}</button>'
            f"<script>{security.app_script('print.js')}</script>",
            unsafe_allow_javascript=True,
        )
    downloading = _("Your summary is downloading. Look for it in your downloads.")
    no_print = _("This browser did not open a print window. Use “Save as PDF” instead, or open this page in another browser.")
    st.markdown(
        f'<p class="tg-save-status" role="status" aria-live="polite" data-downloading="{html.escape(downloading)}"'
        f' data-noprint="{html.escape(no_print)}"></p>',
        unsafe_allow_html=True,
    )
