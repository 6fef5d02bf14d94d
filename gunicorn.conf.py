"""gunicorn's settings, read from the working directory by `gunicorn wsgi:app`.

The scheduling button runs the B2B solver inside the request, for up to the time limit the organiser chose (at most
planner.matchmaking.runs.MAX_TIME_LIMIT, 120 s), then builds the preview. gunicorn's default worker timeout (30 s)
would kill the worker in the middle of a longer solve and the organiser would get an error page instead of the
preview; tests/test_gunicorn_config.py keeps this above the maximum.
"""

timeout = 180
graceful_timeout = 30
