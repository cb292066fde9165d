"""`make mutate`: plant each bug of mutate/mutations.yaml, one at a time, in a scratch copy of the project, run the
tests the entry names, and print whether they caught it (a test failed) or missed it (all passed).

Each entry: ``id``, ``file`` (a path in the project), ``find`` (text that must occur exactly once in the file),
``replace`` (what it becomes), ``tests`` (pytest node ids or files) and ``why`` (the bug in words). An entry whose
``find`` no longer occurs exactly once is reported as stale: the code moved on and the entry must follow it.

The copy is the project's tracked files (git ls-files) in a temporary folder, run with this interpreter; the
project itself is never touched. Before the first bug, the tests of every entry run once unplanted: a mutation run
means nothing if those fail already. Exit status 0 only when every bug is caught.

    python -m mutate.run [--only ID[,ID...]] [--list]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
MUTATIONS = Path(__file__).with_name("mutations.yaml")


@dataclass(frozen=True)
class Mutation:
    id: str
    file: str
    find: str
    replace: str
    tests: tuple[str, ...]
    why: str


def load(path: Path = MUTATIONS) -> list[Mutation]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in doc["mutations"]:
        missing = {"id", "file", "find", "replace", "tests", "why"} - set(item)
        if missing:
            raise SystemExit(f"{path}: mutation {item.get('id', '?')} lacks {sorted(missing)}")
        out.append(Mutation(item["id"], item["file"], item["find"], item["replace"], tuple(item["tests"]), item["why"]))
    ids = [m.id for m in out]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"{path}: an id is used twice")
    return out


def scratch_copy() -> Path:
    """The tracked files of the project in a new temporary folder."""
    root = Path(tempfile.mkdtemp(prefix="cmp-mutate-"))
    files = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, check=True, capture_output=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = PROJECT / name.decode()
        if src.is_file():
            dst = root / name.decode()
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return root


def run_tests(copy: Path, tests: tuple[str, ...]) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DAGSTER_HOME", None)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header", *tests],
                          cwd=copy, env=env, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutate.run", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated ids")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    args = parser.parse_args(argv)
    mutations = load()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {m.id for m in mutations}
        if unknown:
            print(f"unknown mutation(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        mutations = [m for m in mutations if m.id in wanted]
    if args.list:
        for m in mutations:
            print(f"{m.id:<32} {m.file}: {m.why}")
        return 0
    copy = scratch_copy()
    try:
        tests = tuple(dict.fromkeys(t for m in mutations for t in m.tests))
        started = time.monotonic()
        code, out = run_tests(copy, tests)
        if code != 0:
            print(f"the tests fail before any bug is planted (exit {code}); fix them first:\n{out[-3000:]}", file=sys.stderr)
            return 2
        print(f"unplanted: the {len(tests)} test selections pass ({time.monotonic() - started:.0f} s)")
        results: dict[str, str] = {}
        for m in mutations:
            path = copy / m.file
            original = path.read_text(encoding="utf-8")
            if original.count(m.find) != 1:
                results[m.id] = "stale"
                print(f"STALE   {m.id}: the text to replace occurs {original.count(m.find)} times in {m.file}")
                continue
            path.write_text(original.replace(m.find, m.replace), encoding="utf-8")
            t0 = time.monotonic()
            try:
                code, out = run_tests(copy, m.tests)
            finally:
                path.write_text(original, encoding="utf-8")
            verdict = {0: "missed", 1: "caught"}.get(code, "error")
            results[m.id] = verdict
            failed = next((line for line in out.splitlines() if line.startswith("FAILED")), "")
            print(f"{verdict.upper():<7} {m.id} ({time.monotonic() - t0:.0f} s): {m.why}" + (f"\n        {failed}" if failed else ""))
            if verdict == "error":
                print("        " + "\n        ".join(out.strip().splitlines()[-5:]))
        caught = sum(v == "caught" for v in results.values())
        print(f"\n{caught} of {len(results)} planted bugs caught"
              + "".join(f"; {n} {v}" for v in ("missed", "stale", "error") if (n := sum(x == v for x in results.values()))))
        return 0 if caught == len(results) else 1
    finally:
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
