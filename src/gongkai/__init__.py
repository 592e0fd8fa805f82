"""gongkai (公开): standardised government information disclosure for counties and townships."""

from .celery import app as celery_app

__all__ = ["celery_app"]
__version__ = "0.1.0"
