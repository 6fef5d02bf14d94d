"""SQLite writers take their turns in order: an exclusive ``flock`` on a file beside the database.

SQLite's busy handler polls, sleeping up to 100 ms between tries, so a writer that commits and begins again at
once wins every race against one that is waiting: the outbox worker beside a confirmation of several B2B
sessions got no turn until the last of them was done. planner/core/database.py takes a :class:`WritersTurn`
before ``BEGIN IMMEDIATE`` and gives it back at the end of the transaction; the kernel wakes a waiting writer
the moment the lock is let go, so it goes before the one that just finished. A writer waits for its turn at
most ``WRITERS_TURN_TIMEOUT_S`` (SQLite's busy timeout), then goes on without it and SQLite's busy timeout
decides, as before. No Flask, no SQLAlchemy: plain descriptors and threads.
"""

import os
import threading
import weakref

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's busy timeout alone
    fcntl = None

WRITERS_SUFFIX = "-writers"
WRITERS_TURN_TIMEOUT_S = 15.0  # SQLite's busy timeout (planner.core.database.SQLITE_BUSY_TIMEOUT_MS)


class _Wait:
    """A helper thread in the kernel's queue for the lock on a connection's descriptor (``flock`` cannot time out;
    the lock belongs to the open file, not to a thread, so the connection owns what the helper gets). A writer
    that gives up waiting leaves it queued: its next write waits on the same helper, so a writer stuck for hours
    costs one thread and one descriptor per connection. If the lock comes when nobody wants it, the helper lets
    go of it at once."""

    def __init__(self, fd: int):
        self.fd = fd
        self.lock = threading.Lock()
        self.got = threading.Event()
        self.wanted = True
        self.finished = False  # the helper is gone and the descriptor free again
        self.close_when_done = False
        threading.Thread(target=self._run, name="sqlite-writers-turn", daemon=True).start()

    def _run(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        with self.lock:
            if self.wanted:
                self.got.set()
                return
        self._let_go()

    def _let_go(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        with self.lock:
            self.finished = True
            close = self.close_when_done
        if close:
            os.close(self.fd)

    def wait(self, timeout: float) -> bool:
        """Whether the lock came within ``timeout``; if not, it is let go of when it comes (unless asked again)."""
        with self.lock:
            self.wanted = True
        try:
            if self.got.wait(timeout):
                return True
        except BaseException:  # Ctrl-C while waiting: nobody will hold what comes
            if not self.give_up():  # it came just now: let go of it
                self._let_go()
            raise
        return not self.give_up()

    def give_up(self) -> bool:
        """Stop wanting the lock; True when it had not come (else the caller has it after all)."""
        with self.lock:
            if self.got.is_set():
                return False
            self.wanted = False
        return True


class WritersTurn:
    """One connection's place in the writers' queue: its own descriptor of the lock file (a ``flock`` belongs to
    an open file, so two connections of one process queue like two processes).

    A writer waits for its turn at most ``WRITERS_TURN_TIMEOUT_S`` (SQLite's busy timeout), then goes on
    without it, and SQLite's busy timeout decides as before: a writer stuck in an open transaction holds the
    others up for a while, not for ever. A contended turn is waited for by a :class:`_Wait` helper."""

    _holders: set[tuple[str, int]] = set()  # (lock file, thread) holding a turn through some connection
    _all: weakref.WeakSet = weakref.WeakSet()

    def __init__(self, path: str):
        self.path = path + WRITERS_SUFFIX
        self.fd: int | None = None
        self.owner: tuple[str, int] | None = None
        self._waiting: _Wait | None = None
        self._all.add(self)

    def take(self) -> None:
        holder = (self.path, threading.get_ident())
        if self.owner is not None or holder in self._holders:
            return
        if self.fd is None:
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError:  # a read-only folder: SQLite's busy timeout alone
                return
        waiting = self._waiting
        if waiting is None or waiting.finished:
            self._waiting = None
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting = self._waiting = _Wait(self.fd)
            else:
                waiting = None
        if waiting is not None:
            if not waiting.wait(WRITERS_TURN_TIMEOUT_S):
                return
            self._waiting = None
        self.owner = holder
        self._holders.add(holder)

    def give_back(self) -> None:
        if self.owner is None:
            return
        self._holders.discard(self.owner)
        self.owner = None
        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.give_back()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            with waiting.lock:
                if not waiting.finished:  # the helper still uses the descriptor: it closes it when done
                    waiting.close_when_done = True
                    self.fd = None
        if self.fd is not None:
            os.close(self.fd)
        self.fd = None

    @classmethod
    def forget_inherited(cls) -> None:
        """In a forked child: the parent's turns and descriptors are the parent's (a copy kept open here would
        keep the parent's lock alive after the parent is gone; the helpers did not come along)."""
        cls._holders.clear()
        for turn in list(cls._all):
            fd, turn.fd, turn.owner, turn._waiting = turn.fd, None, None, None
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass


if fcntl is not None:
    os.register_at_fork(after_in_child=WritersTurn.forget_inherited)
