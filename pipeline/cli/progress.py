"""A Dagster logger for the command line: one line per finished step (and one per warning, such as a wait for
another run's lock), instead of Dagster's full event log.

Enabled by `python -m pipeline build` through run config; runs launched from the UI keep Dagster's own logging.
"""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg

from pipeline.defs.locks import WAITING


class _StepLines(logging.Handler):
    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.started: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is None:
            meta = getattr(record, "dagster_meta", None) or {}
            message = str(meta.get("orig_message", record.getMessage()))
            if message.startswith(WAITING):  # a wait for another run's lock: say why nothing moves
                self.stream.write(f"  note    {message}\n")
                self.stream.flush()
            return
        kind, step = event.event_type_value, event.step_key
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            took = time.monotonic() - self.started.get(step, time.monotonic())
            mark = {"STEP_SUCCESS": "done", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}[kind]
            name = step.replace("__", "/")
            self.stream.write(f"  {mark:<7} {name}{'' if kind == 'STEP_SKIPPED' else f'  ({took:.1f} s)'}\n")
            self.stream.flush()


@dg.logger(description="One line per finished step: done / FAILED / skipped, with its time.")
def step_lines(init_context) -> logging.Logger:
    log = logging.Logger("cmp-progress", level=logging.DEBUG)
    log.addHandler(_StepLines(sys.stdout))
    return log
