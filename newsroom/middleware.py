"""The project's request-wide rules: a request that may write runs in one transaction; a
read runs in none, so that on SQLite it never waits for a writer's lock (WAL lets readers
through while an import writes).

Django's ``ATOMIC_REQUESTS`` would open a transaction for every request, reads included,
and with SQLite's ``IMMEDIATE`` transactions (``settings``) every reader would queue behind
a long import. This does what it does, for the methods that may write only: the view runs
in one transaction, rolled back if it raises.
"""

from django.db import transaction

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class WritesInTransactionMiddleware:
    """Last in ``MIDDLEWARE``: around the view, as ``ATOMIC_REQUESTS`` is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if getattr(request, "_view_failed", False) or response.status_code >= 500:
                transaction.set_rollback(True)
            return response

    def process_exception(self, request, exception):
        # The view raised (its error page is made outside, after this returns): nothing it
        # wrote is kept.
        request._view_failed = True
