"""The server's log holds one line per event: a traceback is folded into its event's line."""
import logging

from trialguide.web import logs


def test_a_logged_exception_is_one_line_with_its_traceback_folded_in():
    logs.install()
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s").format(record))

    log = logging.getLogger("tests.logs")
    log.addHandler(Keep())
    log.propagate = False
    try:
        int("not a number")
    except ValueError:
        log.exception("Error deserializing back message")
    log.warning("two\nlines from %s", "a caller")
    assert len(seen) == 2 and all("\n" not in line for line in seen)
    assert "Error deserializing back message | Traceback (most recent call last):" in seen[0]
    assert "ValueError: invalid literal for int()" in seen[0] and "test_logs.py" in seen[0]
    assert seen[1].endswith("two | lines from a caller")


def test_installing_twice_folds_once():
    logs.install()
    logs.install()
    record = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "a\nb", (), None)
    assert record.getMessage() == "a | b"


def test_a_bad_format_string_is_logged_as_given_not_raised():
    logs.install()
    record = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "%d items", ("many",), None)
    assert record.getMessage() == "%d items ('many',)"
