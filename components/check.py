"""The eligibility self-check: start, one topic per screen, check your answers, result.

Privacy: answers live only in this visitor's st.session_state["check"]. They are never put in
a cache, the URL, a log, a file or a request, and die with the session. The result never says
"eligible": only the study team can decide.
"""
from __future__ import annotations

import datetime as dt
import html

import streamlit as st
from babel.lists import format_list

from components import chrome
from trialguide import answers as parse
from trialguide import content, flow, locales, pages, security, views
from trialguide.i18n import N_
from trialguide.eligibility import Outcome, Question, Status, default, evaluate, uln_multiple

START, REVIEW, RESULT = flow.START, flow.REVIEW, flow.RESULT


def _state() -> dict:
    if "check" not in st.session_state:
        st.session_state["check"] = {"step": START, "answers": {}, "errors": {}, "back_to_review": False}
    return st.session_state["check"]


def _clear() -> None:
    st.session_state.pop("check", None)
    st.session_state.pop("answers_lost", None)
    for key in [k for k in st.session_state if str(k).startswith(parse.widget_key(""))]:
        del st.session_state[key]


def _go(step: str) -> None:
    st.session_state.pop("answers_lost", None)
    state = _state()
    state["step"], state["errors"] = step, {}


# ---- Reading the widgets of one screen ----


def _raw(question: Question) -> dict:
    ss = st.session_state
    if question.type == "choice":
        return {"choice": ss.get(parse.widget_key(question.id))}
    return {field: ss.get(parse.widget_key(question.id, field)) for field in ("mode", "value", "uln")}


def _screen(topic: str, draw: bool = False) -> tuple[dict, dict[str, dict]]:
    """Walk one screen's questions in order, drawing them if asked, and read what they hold.

    A question shows when the answers before it allow (HBV DNA right after a positive HBsAg),
    counting what is on this screen now, not only what was saved.
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
            _question(question, state["answers"].get(question.id), state["errors"].get(question.id, {}))
        answer, problems = parse.read(question, _raw(question))
        if problems:
            problems_by_question[question.id] = problems
            live.pop(question.id, None)
        else:
            live[question.id] = valid[question.id] = answer
    return valid, problems_by_question


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
    # A tap reruns only this fragment, never main.py's title: the title is set here, every run.
    # GOV.UK: while a screen shows errors, the page title starts with "Error:", so a screen
    # reader user hears it first.
    page = pages.BY_ID["check"]  # not inside _(...): the catalog extractor would take "check" for a message
    title = views.document_title(_(page.title), _)
    st.set_page_config(page_title=_("Error: {title}").format(title=title) if state["errors"] else title)
    if step == START:
        _start()
    elif step == REVIEW:
        _review()
    elif step == RESULT:
        _result()
    else:
        _topic(step)
    st.button(_("Clear my answers"), key="clear", on_click=_clear)


def _status_caveat() -> None:
    chrome.draw((views.check_caveat(chrome.lang(), chrome.gettext()),))


def _start() -> None:
    _ = chrome.gettext()
    if st.session_state.get("answers_lost"):  # until the visitor starts again or clears
        st.warning(_("The connection to the study's server was lost, and your answers with it. Please start the check again."))
    chrome.draw(views.check_start(chrome.lang(), _))
    st.button(_("Start the check"), key="start", type="primary", on_click=_go, args=(flow.first_topic(default(), _state()["answers"]),))


def _topic(topic: str) -> None:
    _ = chrome.gettext()
    state, check, lang = _state(), default(), chrome.lang()
    topics = check.topics_for(state["answers"])
    if topic not in topics:  # an answer changed so this topic no longer applies
        _go(REVIEW)
        st.rerun()
    st.markdown(_("Step {n} of {total}").format(n=topics.index(topic) + 1, total=len(topics)))
    st.header(check.topic_titles[topic][lang]["title"], anchor=False)
    if state["errors"]:
        _error_summary(state["errors"])
    _screen(topic, draw=True)
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
    parse.LIKELY_PERCENT: N_("This looks like the percentage (NEUT%). Please type the count (NEUT#) from the line above or below it, usually a number below 10."),
    parse.LIKELY_OTHER_UNIT: N_("This looks like g/dL. In g/L the number is 10 times bigger: 12 g/dL is 120 g/L. Please check the unit on your report."),
}


def _error_summary(errors: dict[str, dict]) -> None:
    """GOV.UK error summary: a box at the top, announced at once, each problem a link to its field."""
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    items = "".join(
        f'<li><a href="#q-{qid}">'
        + html.escape(_("{question} {problem}").format(question=check.questions[qid].text[lang]["label"], problem=_(PROBLEM_TEXT[problem])))
        + "</a></li>"
        for qid, problems in errors.items()
        for problem in dict.fromkeys(problems.values())
    )
    heading = html.escape(_("There is a problem"))
    st.markdown(
        f'<div class="tg-error-summary" role="alert"><h2>{heading}</h2><ul>{items}</ul></div>', unsafe_allow_html=True
    )


def _problem(question: Question, problems: dict, field: str) -> None:
    """A field's problem, above the field (where the summary's link lands)."""
    if field in problems:
        _ = chrome.gettext()
        if field == next(iter(problems)):
            st.html(f'<span id="q-{question.id}"></span>')
        st.error(_(PROBLEM_TEXT[problems[field]]))


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
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    if answer is None:
        return _("Not answered")
    if question.type == "choice":
        return check.options[answer][lang]["label"]
    if answer.mode == parse.NORMAL:
        return _("My doctor said it is normal")
    if answer.mode == parse.UNSURE:
        return _("I'm not sure")
    unit = question.text[lang].get("unit", "")
    text = f"{locales.format_number(answer.value, lang)} {unit}".strip()
    ratio = uln_multiple(answer)
    if ratio is not None:
        text += " " + _("(upper limit {uln}: {ratio} times the upper limit)").format(
            uln=locales.format_number(answer.uln, lang), ratio=locales.format_number(round(ratio, 2), lang)
        )
    return text


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


STATUS_TEXT = {
    Status.MET: N_("Nothing here rules you out"),
    Status.NOT_MET: N_("Probably rules this study out"),
    Status.UNKNOWN: N_("Check with your doctor"),
    Status.NOT_ASKED: N_("Does not apply to you"),
}
DOCTOR_CHECKS = N_("The study doctor checks this")


def _result() -> None:
    _ = chrome.gettext()
    state, check, lang = _state(), default(), chrome.lang()
    result = evaluate(check, state["answers"])
    with st.container(border=True, key="outcome"):
        if result.outcome is Outcome.PROBABLY_NOT:
            st.header(_("Something you told us means this study is probably not for you"), anchor=False)
            st.markdown(_("This is about the study's rules, not about you. Here is what does not fit:"))
            for c in result.not_met:
                _criterion_item(c, c.text[lang]["plain"])
            st.markdown(
                _("Next: talk with your doctor. Ask if another study or treatment might suit you. If you think an answer was wrong, use Change answers.")
            )
        elif result.outcome is Outcome.CHECK_WITH_DOCTOR:
            st.header(_("Some things need checking with your doctor"), anchor=False)
            st.markdown(_("Nothing you told us rules you out so far. But you were not sure about some things. Ask your doctor:"))
            for c in result.unknown:
                _criterion_item(c, c.text[lang].get("ask", c.text[lang]["plain"]))
        else:
            st.header(_("Nothing in your answers to these questions rules you out"), anchor=False)
            st.markdown(_("Only the study team can decide if you can join. Call them to ask:"))
        chrome.call_button()
    _status_caveat()
    st.subheader(_("The study doctor will also check"), anchor=False)
    for c in result.doctor_checks:
        st.markdown(f"- {html.escape(c.text[lang]['plain'])}")
    with st.container(horizontal=True, key="step_buttons"):
        st.button(_("Change answers"), key="to_review", on_click=_go, args=(REVIEW,))
    _summary(result)


def _given(c) -> str:
    """What the visitor answered to the questions that check criterion c (labelled when several)."""
    state, check, lang = _state(), default(), chrome.lang()
    shown = [check.questions[q] for q in c.questions if check.visible(check.questions[q], state["answers"])]
    if len(shown) == 1:
        return describe(shown[0], state["answers"].get(shown[0].id))
    _ = chrome.gettext()
    pairs = [_("{label}: {answer}").format(label=q.text[lang]["label"], answer=describe(q, state["answers"].get(q.id))) for q in shown]
    return format_list(pairs, locale=locales.BABEL_LOCALE[lang]) if pairs else ""


def _criterion_item(c, headline: str) -> None:
    """One criterion in the result: the plain words, what the visitor said, the registry's words."""
    _ = chrome.gettext()
    registry = _("Registry text ({id}):").format(id=c.source)
    with st.container(border=True, key=f"c_{c.id}"):
        st.markdown(
            f"**{html.escape(headline)}**  \n"
            + html.escape(_("You told us: {answer}").format(answer=_given(c)))
            + f'  \n<span class="tg-registry">{html.escape(registry)} <span lang="en">“{html.escape(c.excerpt)}”</span></span>',
            unsafe_allow_html=True,
        )


def _summary(result) -> None:
    """Every answer beside the registry criterion it checks, ready to print."""
    _ = chrome.gettext()
    check, lang = default(), chrome.lang()
    study = content.default().facts["study"]
    rows = []
    for c in check.criteria:
        given = _given(c) or "—"
        rows.append(
            "<tr>"
            f"<td>{html.escape(c.text[lang]['plain'])}<br><span class=\"tg-registry\" lang=\"en\">{html.escape(c.source)}: “{html.escape(c.excerpt)}”</span></td>"
            f"<td>{html.escape(given)}</td>"
            f"<td>{html.escape(_(DOCTOR_CHECKS if c.rule == 'doctor' else STATUS_TEXT[result.statuses[c.id]]))}</td>"
            "</tr>"
        )
    headings = (_("What the study needs (registry text)"), _("Your answer"), _("What it means"))
    print_label = _("Print or save this summary")
    with st.container(key="summary"):
        st.header(_("Summary to take to your doctor"), anchor=False)
        st.markdown(
            _("Study {nct_id}, self-check of {date}. Made by the visitor on the study's explainer page; not a medical decision.").format(
                nct_id=study["nct_id"], date=locales.format_date(dt.date.today(), lang)
            )
        )
        st.markdown(
            '<table class="tg-summary"><thead><tr>'
            + "".join(f"<th>{html.escape(h)}</th>" for h in headings)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>",
            unsafe_allow_html=True,
        )
    if chrome.kiosk():
        return  # no print dialog on a shared screen
    st.html(
        f'<button class="tg-button tg-print" type="button" id="tg-print">{html.escape(print_label)}</button>'
        f"<script>{security.app_script('print.js')}</script>",
        unsafe_allow_javascript=True,
    )
