"""Worker processes for a batch, one input at a time per worker, results in input order.

Unlike ``concurrent.futures.ProcessPoolExecutor`` (where one dead worker breaks the whole pool and fails
every pending input with ``BrokenProcessPool``), the parent always knows which input each worker holds:
a worker that dies (killed, out of memory) fails that input only — ``Died`` is yielded for it — and a
new worker takes its place. Ctrl-C in the parent stops the workers (they ignore SIGINT themselves, so
that the parent decides): idle ones are told to end, busy ones are killed, and ``on_abandon`` is called
with each input a killed worker held, so that the caller removes what that worker left (its temporary
file). Killing is certain where an exception raised at a random point of a worker is not.
"""
from __future__ import annotations

import multiprocessing as mp
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait


@dataclass(frozen=True, slots=True)
class Died:
    """The worker holding this input died before it answered."""

    reason: str
    pid: int  # the dead worker's process id (its temporary files carry it)


class RemoteError(Exception):
    """An exception raised in a worker (only with ``debug``: otherwise work functions never raise)."""


def _worker(conn, fn: Callable, init: Callable | None, init_args: tuple) -> None:  # pragma: no cover - a child
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if init is not None:
        init(*init_args)
    try:
        while True:
            try:
                msg = conn.recv()
            except EOFError:
                return
            if msg is None:
                return
            n, args = msg
            try:
                out = ("ok", fn(*args))
            except Exception as e:  # noqa: BLE001 - sent back to the parent, which raises it
                out = ("exc", RemoteError(f"{type(e).__name__}: {e}\n\n{traceback.format_exc()}"))
            conn.send((n, out))
    finally:
        conn.close()


def death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = ": out of memory?" if -exitcode == signal.SIGKILL else ""
        return f"worker process died (killed by {name}{hint})"
    return f"worker process died (exit status {exitcode})"


class _Slot:
    def __init__(self, ctx, fn, init, init_args):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, fn, init, init_args), daemon=True)
        self.proc.start()
        child.close()
        self.job: int | None = None


def imap(fn: Callable, args: Iterable[tuple], *, workers: int, init: Callable | None = None,
         init_args: tuple = (), window: int | None = None,
         on_abandon: Callable[[int, int], None] | None = None) -> Iterator:
    """``fn(*a)`` for each ``a`` of ``args`` in ``workers`` processes; yields the results in input order,
    ``Died`` for an input whose worker died. ``args`` is consumed lazily, at most ``window`` inputs
    ahead of the one yielded next (bounded memory for results that wait for a slow input). When the
    iteration stops early (Ctrl-C, ``close()``), ``on_abandon(index, pid)`` is called for each input a
    worker was still working on; that worker has been killed."""
    ctx = mp.get_context()
    window = window or max(16, workers * 8)
    pending = iter(enumerate(args))
    slots = [_Slot(ctx, fn, init, init_args) for _ in range(workers)]
    done: dict[int, object] = {}
    next_out = 0  # the input whose result is yielded next
    sent = 0  # inputs handed to workers so far
    exhausted = False
    try:
        while True:
            for k, slot in enumerate(slots):  # keep every idle worker busy, within the window
                if exhausted or sent - next_out >= window:
                    break
                if slot.job is not None:
                    continue
                item = next(pending, None)
                if item is None:
                    exhausted = True
                    break
                try:
                    slot.conn.send(item)
                except OSError:  # an idle worker that died (killed from outside): replace it
                    slot.proc.join()
                    slot.conn.close()
                    slot = slots[k] = _Slot(ctx, fn, init, init_args)
                    slot.conn.send(item)
                slot.job = item[0]
                sent += 1
            while next_out in done:
                out = done.pop(next_out)
                next_out += 1
                yield out
            busy = [s for s in slots if s.job is not None]
            if not busy:
                if exhausted:
                    return
                continue
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy])
            for k, slot in enumerate(slots):
                if slot.job is None or (slot.conn not in ready and slot.proc.sentinel not in ready):
                    continue
                try:
                    if slot.conn.poll():
                        n, (kind, value) = slot.conn.recv()
                        if kind == "exc":
                            raise value
                        done[n] = value
                        slot.job = None
                        continue
                    if slot.proc.sentinel not in ready:
                        continue
                except (EOFError, OSError):
                    pass  # the worker is gone: its end of the pipe closed
                slot.proc.join()
                done[slot.job] = Died(death_reason(slot.proc.exitcode), slot.proc.pid)
                slot.conn.close()
                slots[k] = _Slot(ctx, fn, init, init_args)
    finally:
        _stop(slots, on_abandon)


def _stop(slots: list[_Slot], on_abandon: Callable[[int, int], None] | None) -> None:
    """Idle workers are told to end, busy ones (Ctrl-C, an error) are killed; none is left running."""
    for slot in slots:
        try:
            if slot.job is None:
                slot.conn.send(None)
            else:
                slot.proc.kill()
        except (OSError, ValueError):
            pass
    for slot in slots:
        slot.proc.join(timeout=5)
        if slot.proc.is_alive():
            slot.proc.kill()
            slot.proc.join()
        slot.conn.close()
        if slot.job is not None and on_abandon is not None:
            on_abandon(slot.job, slot.proc.pid)
