import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chantier.settings")

# After its first requests a web process holds what it keeps for its whole life: the URL
# patterns, compiled templates, translations, models' metadata, some 150,000 objects.
# Every full garbage collection walked them all again, about 100 ms once every fifty
# requests or so (the slowest answers of an API page). Once the process is warm they
# are collected once and set aside (gc.freeze): full collections then walk only what
# requests made since, about 20 ms.
WARM_AFTER_REQUESTS = 20


class FreezeWhenWarm:
    """The WSGI application, which sets the process's long-lived objects aside from the
    garbage collector after its first `after` requests."""

    def __init__(self, app, *, after: int = WARM_AFTER_REQUESTS):
        self.app = app
        self.left = after

    def __call__(self, environ, start_response):
        response = self.app(environ, start_response)
        if self.left > 0:
            self.left -= 1
            if self.left == 0:
                gc.collect()
                gc.freeze()
        return response


application = FreezeWhenWarm(get_wsgi_application())
