"""The web process sets its long-lived objects aside from the garbage collector once warm."""

import gc
import json
from wsgiref.util import setup_testing_defaults

import pytest

from chantier.wsgi import FreezeWhenWarm, application


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_frozen_after_the_warm_up_requests_only(unfrozen):
    served = []

    def app(environ, start_response):
        served.append(environ["PATH_INFO"])
        return [b"ok"]

    wrapped = FreezeWhenWarm(app, after=3)
    for number in range(2):
        assert wrapped({"PATH_INFO": f"/{number}"}, None) == [b"ok"]
    assert gc.get_freeze_count() == 0
    wrapped({"PATH_INFO": "/2"}, None)
    frozen = gc.get_freeze_count()
    assert frozen > 0
    wrapped({"PATH_INFO": "/3"}, None)
    # Once: later requests freeze nothing more.
    assert gc.get_freeze_count() == frozen
    assert served == ["/0", "/1", "/2", "/3"]


@pytest.mark.django_db(transaction=True)
def test_the_portal_served_through_it(unfrozen):
    environ = {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    started = []
    body = b"".join(
        application(environ, lambda *status_and_headers: started.append(status_and_headers))
    )
    [(status, headers)] = started
    assert status == "200 OK"
    assert json.loads(body) == {"status": "ok", "database": True}
