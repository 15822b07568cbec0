"""Settings for the test suite: production settings, over plain http.

The environment is filled in before the real settings module reads it, so tests
exercise the same code paths as a deployment (DEBUG off).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# Worker threads (database_sync_to_async, the race tests) would otherwise keep their
# connections open, and PostgreSQL refuses to drop a test database still in use.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from facilitator.settings import *  # noqa: E402,F403
