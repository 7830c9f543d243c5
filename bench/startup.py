"""Start-up: wall time and peak memory of `briefpack --help` and `briefpack build --help`.

    .venv/bin/python -m bench.startup [--runs 9] [--json FILE]

Each command runs `--runs` times as a fresh child process (after one untimed run that warms
the file cache); the median wall time and median peak RSS are reported. Baselines from the
same run: a bare `python -c pass`, and `python -c "import argostranslate.translate"` (what
argos-translate costs before it does anything; it runs with XDG folders in a scratch
directory, because importing it creates folders). Target: `briefpack --help` <= 0.3 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import (
    briefpack_command,
    isolated_env,
    machine,
    machine_line,
    median,
    run_child,
    write_json,
)

TARGET_HELP_S = 0.3


def measure(command: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    run_child(command, env=env)  # warm the file cache
    results = [run_child(command, env=env) for _ in range(runs)]
    failed = [r for r in results if r.returncode != 0]
    if failed:
        raise SystemExit(f"{' '.join(command)} failed: {failed[0].stderr.strip()[-500:]}")
    return {
        "seconds": round(median([r.seconds for r in results]), 3),
        "min_seconds": round(min(r.seconds for r in results), 3),
        "peak_mb": round(median([r.peak_mb for r in results]), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        env = isolated_env(Path(tmp))
        rows = {
            "python -c pass (interpreter alone)": [sys.executable, "-c", "pass"],
            "briefpack --help": [*briefpack_command(), "--help"],
            "briefpack build --help": [*briefpack_command(), "build", "--help"],
            "python -c 'import argostranslate.translate'": [
                sys.executable,
                "-c",
                "import argostranslate.translate",
            ],
        }
        figures = {name: measure(command, env, args.runs) for name, command in rows.items()}

    argos = figures["python -c 'import argostranslate.translate'"]
    for row in figures.values():
        row["vs_argos_import"] = round(row["seconds"] / argos["seconds"], 2)
    info = machine()
    print(machine_line(info))
    print(f"median of {args.runs} fresh processes each")
    print(f"{'command':<46}{'wall s':>8}{'min s':>8}{'peak MB':>9}{'x argos':>9}")
    for name, row in figures.items():
        print(
            f"{name:<46}{row['seconds']:>8.3f}{row['min_seconds']:>8.3f}"
            f"{row['peak_mb']:>9.1f}{row['vs_argos_import']:>9.2f}"
        )
    help_s = figures["briefpack --help"]["seconds"]
    print(f"target: briefpack --help <= {TARGET_HELP_S} s; measured {help_s:.3f} s")
    write_json(
        args.json,
        {"machine": info, "runs": args.runs, "rows": figures, "target_s": TARGET_HELP_S},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
