"""Worker processes that do not outlive the process that created them.

PipeWorkers (the crawl's extraction) feed each worker through pipes of its own that the event
loop reads and writes: a worker reads its task pipe until end of file, which comes however its
creator dies, since no other process holds that pipe's write end.

worker_pool (reprocess, which maps in chunks) is a ProcessPoolExecutor. Its worker waits on
its call queue, and it holds both ends of that pipe, so it never sees EOF when its creator dies
without shutting the pool down (kill -9, the OOM killer): it would live on as an orphan with
its ~150 MB, one set more for every killed cron run. With the forkserver context the worker's
parent is the fork server, which the workers themselves keep alive (they inherit its "alive"
pipe), so neither PR_SET_PDEATHSIG nor a getppid() check fires. Each pool worker therefore
watches its creator's pid from a daemon thread and exits once it is gone.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

POLL_SECONDS = 0.5
EXIT_ORPHANED = 70  # EX_SOFTWARE; nobody reads it: the creator is dead
FRAME = struct.Struct("!Q")  # each message: its length, then a pickle
READ_CHUNK = 1 << 20
SENT_AHEAD = 2  # calls written to a worker's pipe at once: one in work, one ready to read

logger = logging.getLogger(__name__)


class WorkerDied(Exception):
    """The worker process ended (killed, out of memory) before it answered."""


class PipeWorkers:
    """`size` processes running `fn`, each fed through its own pair of pipes by the asyncio
    event loop: a call is one write, an answer one read callback. ProcessPoolExecutor runs a
    feeder and a manager thread in the caller and wakes both for every call (0.5 ms of CPU per
    48 KB page, measured). Workers start at the first call; a dead one fails the calls it
    held with WorkerDied and is replaced at the next call."""

    def __init__(self, fn: Callable, size: int):
        self.fn, self.size = fn, size
        self.alive: list[_Worker] = []
        self._ids = itertools.count()
        self._starting: asyncio.Lock | None = None

    async def call(self, *args, **kwargs) -> Any:
        if len(self.alive) < self.size:
            await self._top_up()
        worker = min(self.alive, key=lambda w: len(w.pending))
        return await worker.call(next(self._ids), args, kwargs)

    async def _top_up(self) -> None:
        self._starting = self._starting or asyncio.Lock()
        async with self._starting:
            while len(self.alive) < self.size:
                self.alive.append(await _Worker.start(self.fn, self._died))

    def _died(self, worker: _Worker) -> None:
        if worker in self.alive:
            self.alive.remove(worker)
            logger.warning("an extraction worker died (exit code %s); a new one starts at the "
                           "next page", worker.process.exitcode)

    def close(self) -> None:
        """End of input for every worker: each exits once it has answered what it holds."""
        for worker in self.alive:
            worker.close()
        self.alive = []

    def pids(self) -> list[int]:
        return [w.process.pid for w in self.alive]


class _Worker:
    """One worker process. Calls wait in `queued`, holding their arguments as given, and are
    pickled and written only SENT_AHEAD at a time: a pickled 48 KB page per waiting call would
    double the memory of everything waiting (+60 MB of RSS at 8,000 bench pages)."""

    def __init__(self, process, on_death: Callable):
        self.process, self.on_death = process, on_death
        self.pending: dict[int, asyncio.Future] = {}
        self.queued: deque[tuple[int, tuple, dict]] = deque()
        self.sent = 0
        self.writer: asyncio.WriteTransport | None = None

    @classmethod
    async def start(cls, fn: Callable, on_death: Callable) -> _Worker:
        context = multiprocessing.get_context("forkserver")  # no fork of a threaded process
        tasks_in, tasks_out = context.Pipe(duplex=False)
        answers_in, answers_out = context.Pipe(duplex=False)
        process = context.Process(target=_serve, args=(fn, tasks_in, answers_out), daemon=True,
                                  name="tracker-worker")
        process.start()
        tasks_in.close()  # only the worker may hold these: their end of file is its death
        answers_out.close()
        worker = cls(process, on_death)
        loop = asyncio.get_running_loop()
        worker.writer, _ = await loop.connect_write_pipe(asyncio.Protocol, tasks_out)
        await loop.connect_read_pipe(lambda: _Answers(worker), answers_in)
        return worker

    async def call(self, call_id: int, args: tuple, kwargs: dict) -> Any:
        future = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        self.queued.append((call_id, args, kwargs))
        self._send()
        return await future

    def _send(self) -> None:
        while self.queued and self.sent < SENT_AHEAD and not self.writer.is_closing():
            data = pickle.dumps(self.queued.popleft(), pickle.HIGHEST_PROTOCOL)
            self.writer.write(FRAME.pack(len(data)) + data)
            self.sent += 1

    def answer(self, call_id: int, ok: bool, value: Any) -> None:
        self.sent -= 1
        self._send()
        future = self.pending.pop(call_id, None)
        if future is not None and not future.done():
            future.set_result(value) if ok else future.set_exception(value)

    def lost(self) -> None:
        self.process.join(1)  # reaped: its exit code names the cause
        self.on_death(self)
        self.queued.clear()
        pending, self.pending = self.pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(WorkerDied(
                    f"worker {self.process.pid} ended (exit code {self.process.exitcode})"))

    def close(self) -> None:
        try:
            self.writer.close()
        except RuntimeError:  # its event loop is closed already: close the pipe itself
            self.writer.get_extra_info("pipe").close()


class _Answers(asyncio.Protocol):
    """Reads answer frames from one worker; end of file means the worker is gone."""

    def __init__(self, worker: _Worker):
        self.worker = worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= FRAME.size:
            (size,) = FRAME.unpack_from(self.buffer)
            end = FRAME.size + size
            if len(self.buffer) < end:
                return
            message = pickle.loads(self.buffer[FRAME.size:end])
            del self.buffer[:end]
            self.worker.answer(*message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker.lost()


def _serve(fn: Callable, tasks, answers) -> None:
    """A worker's life: read a call, answer it, until the task pipe ends (creator gone or done).
    Ctrl-C is its creator's to handle: the worker finishes what it holds."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tasks_fd, answers_fd = tasks.fileno(), answers.fileno()
    while (message := _read_frame(tasks_fd)) is not None:
        call_id, args, kwargs = pickle.loads(message)
        try:
            answer = (call_id, True, fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - the caller decides what a failure means
            answer = (call_id, False, exc)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an exception that cannot be pickled
            data = pickle.dumps((call_id, False, RuntimeError(f"{answer[2]!r} ({exc})")))
        try:
            _write_all(answers_fd, FRAME.pack(len(data)) + data)
        except BrokenPipeError:  # the creator is gone
            return


def _read_frame(fd: int) -> bytes | None:
    header = _read_exactly(fd, FRAME.size)
    return None if header is None else _read_exactly(fd, FRAME.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, READ_CHUNK))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A forkserver pool (no fork of a process running threads) whose workers die with us."""
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("forkserver"),
                               initializer=exit_with_creator, initargs=(os.getpid(),))


def exit_with_creator(creator: int) -> None:
    """Pool initializer (runs in each worker): end this worker once `creator` has died."""

    def watch() -> None:
        while _alive(creator):
            time.sleep(POLL_SECONDS)
        os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="exit-with-creator", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone (PermissionError: pid reused)
        return False
    try:  # a killed process stays a zombie, which kill(pid, 0) still finds, until reaped
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except OSError:  # no /proc (not Linux), or it was reaped just now: the next poll decides
        return True
