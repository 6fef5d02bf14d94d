"""WSGI entry point: `gunicorn wsgi:app`."""

from planner import create_app
from planner.core.runtime import tune_gc

tune_gc()
app = create_app()
