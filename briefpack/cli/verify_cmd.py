"""`briefpack verify`: check a pack's checksums and manifest."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("pack", type=click.Path(path_type=Path), metavar="PACK")
def verify(pack: Path) -> None:
    """Verify PACK (a pack folder or .zip): every checksum, the manifest, no extra files.

    Exits 0 only when everything holds; otherwise names the first problems found.
    """
    from briefpack.verify import verify_pack

    names = verify_pack(pack)
    click.echo(f"{pack}: OK ({len(names)} files verified)")
