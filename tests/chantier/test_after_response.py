"""Work a request leaves for after its response runs once the response is closed (sent),
each piece whatever the others do; outside a request it runs at once."""

import logging

from django.core.signals import request_finished, request_started

from common.after_response import after_response, forget_pending


def test_work_left_by_a_request_runs_when_its_response_is_closed():
    done = []
    request_started.send(sender=None, environ={})
    try:
        after_response(lambda: done.append("first"))
        after_response(lambda: done.append("second"))
        assert done == []
    finally:
        request_finished.send(sender=None)
    assert done == ["first", "second"]
    # Done once: the next response closed runs nothing again.
    request_finished.send(sender=None)
    assert done == ["first", "second"]


def test_work_outside_a_request_runs_at_once():
    done = []
    after_response(lambda: done.append("now"))
    assert done == ["now"]


def test_failing_work_is_logged_and_the_rest_still_runs(caplog):
    done = []

    def failing():
        raise RuntimeError("the database went away")

    request_started.send(sender=None, environ={})
    try:
        after_response(failing)
        after_response(lambda: done.append("after"))
    finally:
        with caplog.at_level(logging.ERROR, logger="common.after_response"):
            request_finished.send(sender=None)
    assert done == ["after"]
    assert [(r.levelname, r.getMessage(), r.exc_info[1].args) for r in caplog.records] == [
        ("ERROR", "Work left for after a response failed.", ("the database went away",))
    ]


def test_work_left_by_a_request_never_closed_does_not_defer_later_work():
    request_started.send(sender=None, environ={})
    after_response(lambda: None)
    # The response is never closed (a streamed body left unread): its work is dropped.
    forget_pending()
    done = []
    after_response(lambda: done.append("now"))
    assert done == ["now"]
