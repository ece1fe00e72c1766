"""The few helpers every test shares: reading HTML and JSON answers, counting queries, and naming the
database constraint a write broke."""

import json
import re
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connections, transaction
from django.test.utils import CaptureQueriesContext


def body_of(response) -> bytes:
    """The whole body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def html_of(client, url, status=200) -> str:
    """A public page's HTML, once its status is the one expected."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return body_of(response).decode()


def names_in(html: str) -> list[str]:
    """The enterprise names of a result list, in their order."""
    return re.findall(
        r'<h3 class="card-title"><a href="[^"]+"(?: lang="[a-z]+")?>([^<]+)</a></h3>', html
    )


def json_of(response, *, status=200):
    """The decoded JSON body of a response, once its status is the one expected."""
    body = body_of(response)
    assert response.status_code == status, (response.status_code, body[:500])
    return json.loads(body)


def get_json(client, url, *, status=200, **headers):
    """GET `url` and decode its JSON body, once its status is the one expected."""
    return json_of(client.get(url, **headers), status=status)


@contextmanager
def captured_queries(using="default"):
    """The SQL a block runs, as `captured.captured_queries` (and `len(captured)`)."""
    with CaptureQueriesContext(connections[using]) as captured:
        yield captured


def query_count(client, url, *, status=200, **headers) -> int:
    """How many queries one GET makes, its body (streamed too) read to the end."""
    with captured_queries() as captured:
        response = client.get(url, **headers)
        body = body_of(response)
    assert response.status_code == status, (url, response.status_code, body[:500])
    return len(captured)


def broken_constraint(error: IntegrityError) -> str:
    """The database constraint an IntegrityError reports; `table.column NOT NULL` for a null."""
    diag = error.__cause__.diag
    if diag.constraint_name:
        return diag.constraint_name
    return f"{diag.table_name}.{diag.column_name} NOT NULL"


@contextmanager
def raises_constraint(name: str):
    """The block is refused by the database constraint `name`, and by no other."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    assert broken_constraint(caught.value) == name


def run_jobs(queue: str) -> None:
    """The worker as `manage.py procrastinate worker` runs it, on `queue`, until no job is
    due."""
    from procrastinate.contrib.django import app

    worker_app = app.with_connector(app.connector.get_worker_connector())
    worker_app.run_worker(
        queues=[queue], wait=False, install_signal_handlers=False, listen_notify=False
    )


@contextmanager
def worker_connections_closed():
    """While a test runs the worker: its threads close their database connections after
    each job only when they are not kept (procrastinate's cleanup honours CONN_MAX_AGE),
    else the test database could not be dropped at the end. The jobs are deleted after."""
    connection = connections["default"]
    kept = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        yield
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_events; DELETE FROM procrastinate_jobs")
