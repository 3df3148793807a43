"""Background jobs: run a callable on a QThreadPool thread with progress, a result signal and
cooperative cancellation, so running scripts and laying out large graphs never block the UI.
Never two at once: a job submitted while a cancelled one still runs waits for it to end."""
from __future__ import annotations

import itertools
import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a job when it noticed that it was cancelled."""


class JobSignals(QObject):
    progress = Signal(int, str, int, int)   # job id, phase, done, total (total 0: unknown)
    done = Signal(int, object)              # job id, result
    failed = Signal(int, str)               # job id, message
    cancelled = Signal(int)
    finished = Signal(int)                  # job id: its thread is done with it, whatever the end


class Job(QRunnable):
    """Runs `fn(report, check_cancel)`; `report(phase, done=0, total=0)` shows progress and
    `check_cancel()` raises `Cancelled` once `cancel()` was called."""

    def __init__(self, job_id: int, fn, signals: JobSignals):
        super().__init__()
        self.job_id = job_id
        self._fn = fn
        self._signals = signals
        self._cancelled = False
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def is_cancelled(self) -> bool:
        return self._cancelled

    def _report(self, phase: str, done: int = 0, total: int = 0) -> None:
        self.check_cancel()
        self._signals.progress.emit(self.job_id, phase, int(done), int(total))

    def check_cancel(self) -> None:
        if self._cancelled:
            raise Cancelled()

    # Override from QRunnable
    def run(self) -> None:
        try:
            self._run()
        finally:
            self._signals.finished.emit(self.job_id)

    def _run(self) -> None:
        try:
            result = self._fn(self._report, self.check_cancel)
        except Cancelled:
            self._signals.cancelled.emit(self.job_id)
            return
        except BaseException as exc:  # noqa: BLE001 - shown to the user, not swallowed
            self._signals.failed.emit(self.job_id, "".join(
                traceback.format_exception_only(type(exc), exc)).strip())
            return
        if self._cancelled:
            self._signals.cancelled.emit(self.job_id)
        else:
            self._signals.done.emit(self.job_id, result)


class JobQueue(QObject):
    """One job at a time: submitting a new one cancels the one in flight, whose result is then
    dropped, and starts once that one's thread has let go of it (the engine never runs two
    jobs at once). Signals carry only the current job's news."""

    started = Signal()
    progress = Signal(str, int, int)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    idle = Signal()

    _ids = itertools.count(1)

    def __init__(self, parent=None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        # no Qt parent: the jobs keep it alive, so a thread that outlives its queue can still
        # emit (into nothing) instead of touching a deleted object
        self._signals = JobSignals()
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._signals.finished.connect(self._on_finished)
        self._current: Job | None = None
        self._jobs: dict[int, Job] = {}   # started runnables, kept alive until their thread ends
        self._waiting: Job | None = None  # the current job, while an older one still runs

    @property
    def busy(self) -> bool:
        return self._current is not None

    def submit(self, fn) -> int:
        self.cancel()
        job = Job(next(self._ids), fn, self._signals)
        self._current = job
        self.started.emit()
        if self._jobs:
            self._waiting = job
        else:
            self._start(job)
        return job.job_id

    def _start(self, job: Job) -> None:
        self._jobs[job.job_id] = job
        self._pool.start(job)

    @property
    def running(self) -> int:
        """How many jobs a pool thread is running now (cancelled ones included): at most 1."""
        return len(self._jobs)

    def cancel(self) -> None:
        if self._current is not None:
            self._current.cancel()
            if self._waiting is self._current:
                self._waiting = None
            self._current = None
            self.cancelled.emit()
            self.idle.emit()

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_finished(self, job_id: int) -> None:
        self._jobs.pop(job_id, None)
        if not self._jobs and self._waiting is not None:
            job, self._waiting = self._waiting, None
            self._start(job)

    def _is_current(self, job_id: int) -> bool:
        return self._current is not None and self._current.job_id == job_id

    def _on_progress(self, job_id: int, phase: str, done: int, total: int) -> None:
        if self._is_current(job_id):
            self.progress.emit(phase, done, total)

    def _finish(self, job_id: int) -> bool:
        if not self._is_current(job_id):
            return False
        self._current = None
        return True

    def _on_done(self, job_id: int, result) -> None:
        if self._finish(job_id):
            self.done.emit(result)
            self.idle.emit()

    def _on_failed(self, job_id: int, message: str) -> None:
        if self._finish(job_id):
            self.failed.emit(message)
            self.idle.emit()

    def _on_cancelled(self, job_id: int) -> None:
        pass   # its result is dropped; `_on_finished` starts what waits for its thread
