"""The floor of rendering many profiles (issue 31): for every profile built, one pandoc conversion per format (its
final Markdown to Typst and to standalone HTML, with the cross-reference filter) and one Typst compile of its final
Typst source, each timed alone, one after the other, in one process that has Typst loaded. Summed over the profiles
and divided by the cores, it is the time the rendering itself needs on this machine: what a build of all districts
is compared with (the goal: at most twice the floor). Run by bench/profiles.py on the folders the all-districts case
left in report/_build/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, subprocess, sys, time
from pathlib import Path
import pypandoc, typst
pandoc = pypandoc.get_pandoc_path()
builtin = Path(sys.argv[1])
out = []
for name in sys.argv[2:]:
    folder = Path(name)
    common = ["--lua-filter", str(builtin / "crossref.lua"), "--wrap=none", "_expanded.md"]
    t = time.perf_counter()
    subprocess.run([pandoc, "--from=markdown", "--to=typst", "--standalone", "--template", "_builtin-template.typ",
                    "--output=/dev/null", *common], cwd=folder, check=True, capture_output=True)
    to_typst = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([pandoc, "--from=markdown", "--to=html5", "--standalone", "--embed-resources", "--css=styles.css",
                    "--output=/dev/null", *common], cwd=folder, check=True, capture_output=True)
    to_html = time.perf_counter() - t
    compiler = typst.Compiler(str(folder / "profile.typ"), root=str(folder), font_paths=[str(folder / "fonts")],
                              ignore_system_fonts=True)
    t = time.perf_counter()
    compiler.compile()
    out.append([folder.name, to_typst, to_html, time.perf_counter() - t])
print(json.dumps(out))
"""


def measure(build_dir: Path, project: Path, env: dict[str, str], edition: str = "2024") -> list[list]:
    """[folder, pandoc to Typst s, pandoc to HTML s, Typst compile s] for every built profile of ``edition``."""
    folders = sorted(str(p.parent) for p in build_dir.glob(f"*-{edition}/_expanded.md"))
    if not folders:
        return []
    builtin = (project / "pipeline" / "report" / "builtin").resolve()
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(builtin), *folders], cwd=project, env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the floor's measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
