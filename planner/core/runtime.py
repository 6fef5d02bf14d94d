"""Process-wide settings the planner's entry points (wsgi.py, the `planner` command) apply once at start-up."""

import gc

# CPython collects its youngest generation after 700 net allocations of container objects. A request that
# builds hundreds of mails (a B2B schedule's confirmation) or loads hundreds of rows allocates millions, and the
# collections - each also walking the objects that survive, the ORM's among them - took a sixth of its time.
# With 50,000 the collector runs ~70 times less often; cyclic garbage waits a little longer (a few MB at most).
GC_THRESHOLDS = (50_000, 20, 20)


def tune_gc() -> None:
    """Raise the cyclic garbage collector's thresholds (see GC_THRESHOLDS). Idempotent."""
    gc.set_threshold(*GC_THRESHOLDS)
