"""The cluster acceptance, by hand: `dask scheduler` and two `dask worker`s on 127.0.0.1.

    .venv/bin/python tools/cluster_acceptance.py [--count 12] [--no-nanny]

Builds the test models and COUNT articles in a temporary folder, starts a scheduler and two
workers (one thread each, models from their own BRIEFPACK_MODELS) with Dask's own commands,
then: a local `briefpack build`; the same with `--scheduler`; and again, killing with
SIGKILL a worker that holds tasks once the first pack is written (with its nanny, Dask
restarts it; with --no-nanny it is gone for good). Each cluster build is compared byte for
byte, and in its printed order, with the local one. Then the same articles as one
`briefpack digest`, here, on the cluster, and on the cluster with a worker killed once it
holds stories; each compared byte for byte with the local digest. Prints what it saw; not part of
`make test` (the tests do the same on a LocalCluster).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.articles import write_articles  # noqa: E402
from bench.common import isolated_env, test_model_store  # noqa: E402

BIN = Path(sys.executable).parent
PORT = 8799


def same_tree(a: Path, b: Path) -> bool:
    names = sorted(p.relative_to(a) for p in a.rglob("*"))
    if names != sorted(p.relative_to(b) for p in b.rglob("*")):
        return False
    files = [str(n) for n in names if (a / n).is_file()]
    _match, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    return not mismatch and not errors


def kill_a_busy_worker(address: str) -> str:
    from distributed import Client

    with Client(address, timeout=10) as client:
        busy: dict[str, list[str]] = {}
        for _ in range(400):
            busy = {w: [str(k) for k in keys] for w, keys in client.processing().items() if keys}
            if busy:
                break
            time.sleep(0.05)
        pids = client.run(os.getpid)
    victim = sorted(busy)[0]
    os.kill(pids[victim], signal.SIGKILL)
    return f"killed {victim} (pid {pids[victim]}) with SIGKILL while it held {busy[victim]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--no-nanny", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cluster-acceptance-"))
    store = test_model_store(work / "models")
    articles = [str(p) for p in write_articles(work / "articles", args.count)]
    env = isolated_env(work / "home", BRIEFPACK_MODELS=str(store))
    env["DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD"] = "spawn"
    address = f"tcp://127.0.0.1:{PORT}"
    common = [str(BIN / "briefpack"), "build", *articles, "--to", "ru,uk,de", "-q"]
    common += ["--date", "2026-01-15"]
    logs = work / "logs"
    logs.mkdir()
    dask = str(BIN / "dask")
    scheduler = [dask, "scheduler", "--host", "127.0.0.1", "--port", str(PORT)]
    procs = [
        subprocess.Popen(
            [*scheduler, "--dashboard-address", ":0", "--no-show"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(logs / "scheduler.log", "wb"),  # noqa: SIM115
        )
    ]
    time.sleep(3)

    def start_worker(n: int) -> None:
        worker = [dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1"]
        worker += ["--dashboard-address", ":0"] + (["--no-nanny"] if args.no_nanny else [])
        log = open(logs / f"worker{n}.log", "wb")  # noqa: SIM115
        procs.append(subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=log))

    for n in (1, 2):
        start_worker(n)
    try:
        time.sleep(8)

        def run(out: str, *extra: str, kill: bool = False) -> Path:
            command = [*common, "--out", str(work / out), *extra]
            start = time.perf_counter()
            pipe = subprocess.PIPE
            proc = subprocess.Popen(command, env=env, stdout=pipe, stderr=pipe)
            if kill:
                # A build: once its first pack is written. A digest writes its one pack at
                # the end: as soon as a worker holds a story.
                while common[1] == "build" and not list((work / out).glob("*.zip")):
                    if proc.poll() is not None:
                        break
                    time.sleep(0.05)
                packs = len(list((work / out).glob("*.zip")))
                print(f"  {out}: {packs} pack(s) written; {kill_a_busy_worker(address)}")
            stdout, stderr = proc.communicate()
            seconds = time.perf_counter() - start
            (work / f"{out}.txt").write_bytes(stdout)
            print(f"{out}: exit {proc.returncode} in {seconds:.1f} s; stderr {stderr.decode()!r}")
            return work / out

        local = run("local")
        order = (work / "local.txt").read_text().replace("/local/", "/X/")
        for out, kill in (("cluster", False), ("cluster-killed", True)):
            folder = run(out, "--scheduler", address, kill=kill)
            same_order = (work / f"{out}.txt").read_text().replace(f"/{out}/", "/X/") == order
            packs = len(list(folder.glob("*.zip")))
            print(
                f"  {out}: {packs} packs; byte-identical to local: {same_tree(local, folder)}; "
                f"same order: {same_order}"
            )
        if args.no_nanny:  # nobody restarted the killed worker: start another by hand
            start_worker(3)
            time.sleep(8)
        common[1] = "digest"  # the same articles as ONE digest, here and on the cluster
        local = run("digest-local")
        for out, kill in (("digest-cluster", False), ("digest-cluster-killed", True)):
            folder = run(out, "--scheduler", address, kill=kill)
            print(f"  {out}: byte-identical to digest-local: {same_tree(local, folder)}")
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"(work folder: {work})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
