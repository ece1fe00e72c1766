"""Jobs of the project top, run by the worker (`manage.py procrastinate worker`): the monthly
open-data release."""

from procrastinate.contrib.django import app

from chantier.releases import ReleaseExists, publish_release
from contributions.tasks import RETRY


@app.periodic(cron="0 4 1 * *")
@app.task(name="chantier.publish_open_data_release", queue="releases", retry=RETRY)
def publish_open_data_release(timestamp: int | None = None) -> str:
    """On the first of each month: the month's open-data release (once: a release that
    exists already is left as it is). Returns the release's identifier."""
    try:
        return publish_release().identifier
    except ReleaseExists as exists:
        return str(exists)
