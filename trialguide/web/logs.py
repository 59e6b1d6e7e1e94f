"""One line per event in the server's log, whoever logs it (Streamlit, uvicorn, this app): a
traceback is folded into its event's line, so a log shipper, ``grep`` or an on-call person sees
one event per line and never a stray "  File ..." line without its time.

It works below every logger and handler (the record factory), so loggers Streamlit makes later,
with their own formatters, fold too. Plain ``logging``, no Streamlit import.
"""
from __future__ import annotations

import logging
import traceback

SEPARATOR = " | "


def fold(text: str) -> str:
    return SEPARATOR.join(line.rstrip() for line in text.strip().splitlines() if line.strip())


def install() -> None:
    """From now on every log record's message is one line, its traceback (if any) folded in."""
    make = logging.getLogRecordFactory()
    if getattr(make, "one_line", False):
        return

    def one_line_record(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a caller's bad format string: logged as given, never raised from here
            message = f"{record.msg} {record.args!r}"
        if record.exc_info and record.exc_info[0] is not None:
            message += SEPARATOR + "".join(traceback.format_exception(*record.exc_info))
        if record.stack_info:
            message += SEPARATOR + record.stack_info
        record.msg, record.args = fold(message), ()
        record.exc_info = record.exc_text = record.stack_info = None
        return record

    one_line_record.one_line = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(one_line_record)
