"""`briefpack verify`: check a pack's checksums and manifest."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("pack", type=click.Path(path_type=Path), metavar="PACK")
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON report of every file and problem."
)
def verify(pack: Path, as_json: bool) -> None:
    """Verify PACK (a pack folder or .zip): every checksum, the manifest, no extra files.

    Exits 0 only when everything holds; otherwise names the first problems found (exit 7).
    With --json, prints every file checked and every problem, whatever the outcome.
    """
    from briefpack.errors import VerifyError
    from briefpack.verify import check_pack

    report = check_pack(pack)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    if not report.ok:
        raise VerifyError(report.summary())
    if not as_json:
        click.echo(report.summary())
