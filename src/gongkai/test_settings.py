"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE).

The one difference from production settings is GONGKAI_TESTING, which the settings module
reads from the environment like every other variable: fast password hashing, in-memory
e-mail, local static files, errors of eager Celery tasks raised in the test.
"""

import os

os.environ.setdefault("GONGKAI_TESTING", "1")

from gongkai.settings import *  # noqa: E402, F403

# A test-only app with a small state machine for the core action-layer tests.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.coreapp"]  # noqa: F405
