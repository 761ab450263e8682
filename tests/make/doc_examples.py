#!/usr/bin/env python3
"""The applications docs/*.md show, built and run as a reader would.

A C block whose first line names its file (`/* blink/main.c ...`) is an
application: it is written to SCRATCH/<name>/main.c and run with
`make APP=... run`, or with `make test-app` when it has `runner:` lines.
A plain block right after it is the output the page promises: its lines,
but for those with `...`, must appear in the run's output, in order.
Prints one "ok"/"not ok" line per example, like tests/make/run.sh.

    tests/make/doc_examples.py ROOT SCRATCH OPT
"""
import pathlib
import re
import subprocess
import sys

root, scratch, opt = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
fence = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
failed = 0
n = 0
for page in sorted((root / "docs").glob("*.md")):
    blocks = [(m.group(1), m.group(2)) for m in fence.finditer(page.read_text())]
    for i, (lang, body) in enumerate(blocks):
        named = re.match(r"/\* (\w+)/main\.c", body)
        if lang != "c" or not named:
            continue
        app = scratch / "doc" / named.group(1)
        app.mkdir(parents=True, exist_ok=True)
        (app / "main.c").write_text(body)
        goal = "test-app" if "runner:" in body else "run"
        run = subprocess.run(["make", "-C", str(root), "--no-print-directory", f"OPT={opt}", f"APP={app}", goal],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        why = "" if run.returncode == 0 else f"make {goal} failed with status {run.returncode}"
        promised = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1][0] == "" else None
        if not why and promised:
            at = 0
            lines = run.stdout.splitlines()
            for want in promised[1].splitlines():
                if "..." in want:
                    continue
                while at < len(lines) and lines[at].strip() != want.strip():
                    at += 1
                if at == len(lines):
                    why = f"the output lacks '{want}'"
                    break
                at += 1
        n += 1
        name = f"doc/{page.name}/{named.group(1)}"
        if why:
            failed += 1
            print(f"not ok {name} # {why}")
            print("\n".join("    " + l for l in run.stdout.splitlines()[-15:]))
        else:
            print(f"ok {name}")
sys.exit(1 if failed or n == 0 else 0)
