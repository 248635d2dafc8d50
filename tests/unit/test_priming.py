"""The first compiled call is made once per process, on a thread of its own."""

import threading

from workbench.core import priming


def test_the_first_compiled_call_is_made_once_in_the_background(monkeypatch):
    monkeypatch.setattr(priming, "_started", False)
    calls: list[str] = []
    monkeypatch.setattr(priming, "_first_call", lambda: calls.append(threading.current_thread().name))
    priming.prime_kernels()
    priming.prime_kernels()
    for thread in threading.enumerate():
        if thread.name == priming.THREAD:
            thread.join()
    assert calls == [priming.THREAD]


def test_the_first_call_runs_a_compiled_kernel():
    priming._first_call()  # raises if the kernel cannot be loaded or compiled
