"""Run every attack of issue 15 (and 13's download ones) through the CLI; print a table.

    .venv/bin/python tests/hardening/attack_table.py > /tmp/attacks.md

Each row: the attack, the command, its exit status, its stderr (first line, shortened),
seconds and peak memory of the child. Builds every hostile file in a temporary folder.
Not a test (pytest collects test_*.py only); the tests assert the same cases.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from measure import run_measured  # noqa: E402
from zip_attacks import (  # noqa: E402
    bzip2_entry,
    entries_of,
    many_entries,
    metadata_with,
    nested_json,
    raw_zip,
    stored,
    unicode_path_extra,
)

from briefpack.pack import write_pack  # noqa: E402
from tests.fixtures.index_server import IndexServer, serving  # noqa: E402
from translations.store import install  # noqa: E402
from translations.testmodels import build_test_models  # noqa: E402

ROWS: list[tuple[str, str, int, str, float, float]] = []
EXAMPLE = ROOT / "examples" / "harbour-strike.txt"


def run(attack: str, args: list[str], env: dict[str, str] | None = None) -> None:
    args = [str(a) for a in args]
    result = run_measured(args, env, timeout=60)
    lines = result.stderr.strip().splitlines() or [result.stdout.strip().splitlines()[-1]]
    # with -v: the line that matters (an error or a skipped folder/package), not the progress
    lines = [ln for ln in lines if "error" in ln or "skipping" in ln] or lines
    message = lines[0] if len(lines) == 1 else f"{lines[0]} (+{len(lines) - 1} lines)"
    shown = " ".join(a if len(a) < 40 else "…/" + Path(a).name for a in args)
    ROWS.append((attack, shown, result.exit_code, message, result.seconds, result.peak_mb))


def fix_sums(folder: Path, manifest: bytes) -> None:
    (folder / "manifest.json").write_bytes(manifest)
    digest = hashlib.sha256(manifest).hexdigest()
    lines = [
        f"{digest}  manifest.json" if line.endswith("  manifest.json") else line
        for line in (folder / "SHA256SUMS").read_text().splitlines()
    ]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="attacks-"))
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp / "argos"), "BRIEFPACK_MODELS": ""}
    archives = dict(zip(("ru", "uk", "de", "de-en"), build_test_models(tmp / "arch"), strict=True))
    store = tmp / "store"
    install([archives["ru"], archives["uk"]], store)
    en_de, folder = archives["de"], "translate-en_de-0_0_1"
    files = {"briefing-en.pdf": b"%PDF-1.7 x", "index.html": b"<p>x</p>"}
    pack = write_pack(tmp / "dist", "news", files, {}, "2026-01-02")

    def model(name: str, *extra: object) -> str:
        return str(raw_zip(tmp / name, [*entries_of(en_de), *extra]))  # type: ignore[list-item]

    def pack_zip(name: str, *extra: object) -> str:
        return str(raw_zip(tmp / name, [*entries_of(pack.zip_path), *extra]))  # type: ignore[list-item]

    mi = ["models", "install", "--models", str(store)]
    ru19 = metadata_with(en_de, folder, to_code="ru", package_version="1.9")
    run(
        "1 alias DIR/./metadata.json (en->ru 1.9)",
        [*mi, model("alias.argosmodel", stored(f"{folder}/./metadata.json", ru19))],
        env,
    )
    run(
        "1 nested JSON behind an alias",
        [*mi, model("deep.argosmodel", stored(f"{folder}/./metadata.json", nested_json(200_000)))],
        env,
    )
    deep = [
        e if not e.name.endswith("metadata.json") else stored(e.name, nested_json(200_000))
        for e in entries_of(en_de)
    ]
    run("1 nested JSON metadata.json", [*mi, str(raw_zip(tmp / "deep2.argosmodel", deep))], env)
    run(
        "1 verify P/./x duplicate",
        ["verify", pack_zip("dot.zip", stored("news/./index.html", b"evil"))],
        env,
    )
    run(
        "1 verify P//x duplicate",
        ["verify", pack_zip("dslash.zip", stored("news//index.html", b"evil"))],
        env,
    )
    upath = [
        stored(e.name, e.data, extra=unicode_path_extra(e.name, "../../outside.html"))
        if e.name.endswith("index.html")
        else e
        for e in entries_of(pack.zip_path)
    ]
    run(
        "1 verify Unicode-path field outside",
        ["verify", str(raw_zip(tmp / "upath.zip", upath))],
        env,
    )
    broken = shutil.copytree(store / "translate-en_ru-0_0_1", tmp / "store2" / "evil")
    shutil.copytree(store / "translate-en_uk-0_0_1", tmp / "store2" / "translate-en_uk-0_0_1")
    (broken / "metadata.json").write_bytes(nested_json(200_000))
    run(
        "1 nested JSON package in the store: models list",
        ["-v", "models", "list", "--models", str(tmp / "store2")],
        env,
    )
    run(
        "1 ... and translate",
        ["-v", "translate", str(EXAMPLE), "--to", "uk", "--models", str(tmp / "store2")],
        env,
    )

    run(
        "2 verify bzip2 bomb (6 KB -> 7.4 GB)",
        ["verify", pack_zip("bomb.zip", bzip2_entry("news/briefing-de.pdf", 165))],
        env,
    )
    bomb = model("bomb.argosmodel", bzip2_entry(f"{folder}/model/extra.bin", 165))
    run(f"2 install bzip2 bomb ({Path(bomb).stat().st_size // 1000} KB)", [*mi, bomb], env)
    many = [bzip2_entry(f"news/b{i}.pdf", 3) for i in range(999)]
    run("2 verify 999 bzip2 entries", ["verify", str(raw_zip(tmp / "many.zip", many))], env)
    run(
        "2 install 100k entries",
        [*mi, str(raw_zip(tmp / "flood.argosmodel", list(many_entries(folder, 100_000))))],
        env,
    )

    fifo = tmp / "fifo.txt"
    os.mkfifo(fifo)
    run("3 FIFO article: summarize", ["summarize", str(fifo)], env)
    run(
        "3 FIFO article: build",
        ["build", str(fifo), "--models", str(store), "--to", "ru", "--out", str(tmp / "o")],
        env,
    )
    for kind in ("fifo", "chr", "sock"):
        folder_pack = write_pack(tmp / f"d-{kind}", "news", files, {}, "2026-01-02").folder
        if kind == "fifo":
            os.mkfifo(folder_pack / "x.pdf")
        elif kind == "chr":
            os.mknod(folder_pack / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        else:
            sock = socket.socket(socket.AF_UNIX)
            sock.bind(str(folder_pack / "s"))
        run(f"3 verify pack folder with a {kind}", ["verify", str(folder_pack)], env)
    run("3 verify /dev/zero", ["verify", "/dev/zero"], env)

    for label, size in (
        ("null", "null"),
        ("string", '"10"'),
        ("list", "[10]"),
        ("1e999", "1e999"),
        ("bool", "true"),
    ):
        target = write_pack(tmp / f"m-{label}", "news", files, {}, "2026-01-02").folder
        records = json.loads((target / "manifest.json").read_text())["files"]
        text = json.dumps({"files": records}).replace(
            f'"size": {records[0]["size"]}', f'"size": {size}', 1
        )
        fix_sums(target, text.encode())
        run(f"4 manifest size {label}", ["verify", str(target)], env)
    target = write_pack(tmp / "m-deep", "news", files, {}, "2026-01-02").folder
    fix_sums(target, nested_json(100_000))
    run("4 manifest deeply nested", ["verify", str(target)], env)

    ready = tmp / "ready"
    paused = (
        "import sys,time\nfrom pathlib import Path\nimport translations.installer as m\nr=m._check_loads\n"
        "def p(a,f):\n r(a,f); Path(sys.argv[3]).write_text('x'); time.sleep(60)\n"
        "m._check_loads=p\nfrom briefpack.cli import main\n"
        "sys.exit(main(['models','install','--models',sys.argv[1],sys.argv[2]]))\n"
    )
    for sig in (signal.SIGTERM, signal.SIGKILL):
        ready.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", paused, str(store), str(en_de), str(ready)],
                                env={**env, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE, text=True)  # fmt: skip
        while not ready.exists():
            time.sleep(0.05)
        proc.send_signal(sig)
        _, err = proc.communicate()
        staging = [p.name for p in store.parent.glob(".store.briefpack-staging/*")]
        ROWS.append(
            (
                f"5 {sig.name} mid-install",
                "models install",
                proc.returncode,
                f"{err.strip() or '(killed)'}; staging left: {staging}; store: {sorted(p.name for p in store.iterdir())}",
                0,
                0,
            )
        )
    legacy = store / ".install-ab12cd_3"
    legacy.mkdir()
    run("5 next install after SIGKILL (+ an old .install-*)", [*mi, archives["de-en"]], env)
    ROWS.append(
        (
            "5 ... left in the store",
            "ls",
            0,
            str(sorted(p.name for p in store.iterdir()))
            + f"; staging: {sorted(store.parent.glob('.store.briefpack-staging*'))}",
            0,
            0,
        )
    )
    raw = os.path.join(os.fsencode(tmp), b"news-\xff\xfe.txt")
    shutil.copyfile(EXAMPLE, raw)
    run(
        "5 non-UTF-8 file name",
        ["build", os.fsdecode(raw), "--models", str(store), "--to", "ru", "--out", str(tmp / "o2")],
        env,
    )
    loop = tmp / "loop"
    loop.symlink_to(loop)
    run(
        "5 unreadable BRIEFPACK_MODELS + good --models",
        ["-v", "translate", str(EXAMPLE), "--to", "ru", "--models", str(store)],
        {**env, "BRIEFPACK_MODELS": str(loop)},
    )
    million = write_pack(tmp / "million", "news", files, {}, "2026-01-02").folder
    (million / "SHA256SUMS").write_text("".join(f"{i:064x}  f{i}\n" for i in range(1_000_000)))
    run("5 verify 10^6 missing files", ["verify", str(million)], env)
    escape = metadata_with(en_de, folder, to_code="\x1b[31mru\x07")
    esc = [
        e if not e.name.endswith("metadata.json") else stored(e.name, escape)
        for e in entries_of(en_de)
    ]
    run("5 ANSI/BEL in metadata", [*mi, str(raw_zip(tmp / "esc.argosmodel", esc))], env)
    run("5 symlink loop article", ["summarize", str(loop)], env)

    with serving() as server:
        run_downloads(server, tmp, env)
    print_table(tmp)
    shutil.rmtree(tmp, ignore_errors=True)


def run_downloads(server: IndexServer, tmp: Path, env: dict[str, str]) -> None:
    server.drip("/drip", every=0.5)
    server.endless("/endless")
    for label, link in (
        ("file:///dev/zero", "file:///dev/zero"),
        ("drip", server.url("/drip")),
        ("endless", server.url("/endless")),
    ):
        entry = {"from_code": "en", "to_code": "de", "package_version": "1", "links": [link]}
        server.serve_bytes(f"/{label}.json", json.dumps([entry]).encode())
        index = server.url(f"/{label}.json")
        run(
            f"5 hostile index: {label}",
            ["models", "download", "en:de", "--models", str(tmp / "dl"), "--index-url", index],
            env,
        )


def print_table(tmp: Path) -> None:
    print("| attack | command | exit | message | s | peak MB |")
    print("|---|---|---|---|---|---|")
    for attack, command, code, message, seconds, peak in ROWS:
        message = message.replace(str(tmp), "$TMP").replace("|", "\\|")
        print(
            f"| {attack} | `{command.replace(str(tmp), '$TMP')}` | {code} | {message[:300]} | {seconds:.1f} | {peak:.0f} |"
        )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
