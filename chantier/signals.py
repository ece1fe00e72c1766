"""Partners' webhooks hear of an enterprise's change as soon as its transaction commits.

Saving and deleting send signals; bulk writes do not, and the dispatch job's own
polling (WEBHOOK_POLL_SECONDS) finds those. Either way the changes are read from
the sync (chantier.webhooks), never from the signal.
"""

from django.db import transaction

from chantier.tasks import request_dispatch


def enterprise_changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete of an enterprise, and changes of its sectors."""
    if raw:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is request_dispatch for _savepoints, func, _robust in connection.run_on_commit
    ):
        return  # one dispatch per transaction, however many records it changes
    transaction.on_commit(request_dispatch)
