"""`python -m briefpack.demo ARTICLE`: what `make demo` runs.

Builds a pack from the project's own sample article with the installed models. When the
machine has no real models for en->ru, en->uk and en->de, it builds briefpack's tiny test
models (deterministic, offline, a few seconds) into a private folder and uses those; every
translated PDF and the manifest then say "test model — not a real translation".
"""

from __future__ import annotations

import sys
from pathlib import Path

from briefpack.cli import main as cli_main

DEMO_TARGETS = ("ru", "uk", "de")


def _has_real_models(targets: tuple[str, ...]) -> bool:
    from translations import ModelStore

    active = ModelStore.from_env().active()
    return all(("en", t) in active and not active[("en", t)].info.test_model for t in targets)


def _test_model_store(folder: Path) -> Path:
    from translations import ModelStore
    from translations.testmodels import build_test_models

    store = folder / "store"
    if all((store / f"translate-en_{t}-0_0_1").is_dir() for t in DEMO_TARGETS):
        return store
    archives = build_test_models(folder / "archives")
    ModelStore(search_dirs=(store,), install_dir=store).install(archives, replace=True)
    return store


def main(argv: list[str]) -> int:
    article = argv[0] if argv else "examples/harbour-strike.txt"
    args = ["build", article, "--to", ",".join(DEMO_TARGETS), "--force"]
    if not _has_real_models(DEMO_TARGETS):
        cache = Path(sys.prefix) / "share" / "briefpack-test-models"
        print(
            "No real Argos models for en->ru/uk/de are installed: using briefpack's test "
            "models (not real translations). See README, 'Getting real models'.",
            file=sys.stderr,
        )
        args += ["--models", str(_test_model_store(cache))]
    status = cli_main(["summarize", article])
    if status:
        return status
    print(file=sys.stderr)
    return cli_main(args + argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
