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


class _FullLog(logging.Handler):
    """Every event of the run, as Dagster's console would print it, with the full error of a failed step (its
    traceback and causes), appended to the build's log file."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.lost = False

    def handleError(self, record: logging.LogRecord) -> None:
        """A log that cannot be written (the disk is full) costs the log, never the run or a traceback on the
        terminal: the build's summary says what failed, and the disk-full error names the volume."""
        self.lost = True

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {record.levelname} {record.getMessage()}\n"
        event = getattr(record, "dagster_event", None)
        error = getattr(getattr(event, "event_specific_data", None), "error", None) if event is not None else None
        if error is not None:
            text += error.to_string() + "\n"
        try:
            with open(self.path, "a", encoding="utf-8") as out:
                out.write(text)
        except OSError:
            self.handleError(record)


@dg.logger(config_schema={"path": str}, description="Dagster's whole event log, tracebacks included, into the build's log file.")
def full_log(init_context) -> logging.Logger:
    log = logging.Logger("cmp-full-log", level=logging.DEBUG)
    log.addHandler(_FullLog(init_context.logger_config["path"]))
    return log
