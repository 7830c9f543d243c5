"""Where the templates live, their digest, and which URLs may read them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import briefpack
from briefpack.errors import RenderError


def templates_dir() -> Path:
    """The templates folder: inside the installed package, else at the repository root."""
    package_dir = Path(briefpack.__file__).resolve().parent
    for candidate in (package_dir / "templates", package_dir.parent / "templates"):
        if (candidate / "briefing.html.j2").is_file():
            return candidate
    raise RenderError(f"briefing templates not found next to {package_dir}; reinstall briefpack")


def template_hash(root: Path | None = None) -> str:
    """sha256 over every file under the templates folder, in sorted path order.

    Each file contributes a `sha256sum`-style line ("<hex>  <relative/path>\\n"), so renaming a
    file changes the digest as well as editing one.
    """
    root = templates_dir() if root is None else root
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        file_digest = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(f"{file_digest}  {path.relative_to(root).as_posix()}\n".encode())
    return digest.hexdigest()


def asset_path(url: str, root: Path) -> Path:
    """The file that a `file://` URL names, when it is a file inside `root`.

    Raises ValueError for any other URL: other schemes, remote hosts, queries, paths that
    leave `root` (`..`, symlinks) and missing files.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise ValueError(f"refused {url!r}: only bundled template files may be loaded")
    if parts.netloc not in ("", "localhost") or parts.query:
        raise ValueError(f"refused {url!r}: not a local template file")
    path = Path(url2pathname(parts.path)).resolve()
    base = root.resolve()
    if not path.is_relative_to(base) or not path.is_file():
        raise ValueError(f"refused {url!r}: not a file inside {base}")
    return path


FONT_SUFFIXES = (".ttf", ".otf", ".woff2")


def font_files(root: Path | None = None) -> list[Path]:
    """The bundled font files, sorted."""
    root = templates_dir() if root is None else root
    return sorted(p for p in (root / "fonts").iterdir() if p.suffix in FONT_SUFFIXES)


def lazy_font_files(root: Path | None = None) -> list[Path]:
    """The fonts that `fonts-cjk.css` declares, loaded only for pages that need them."""
    return [p for p in font_files(root) if p.suffix == ".woff2"]


def eager_font_files(root: Path | None = None) -> list[Path]:
    """The fonts that `briefing.css` declares, loaded with it."""
    return [p for p in font_files(root) if p.suffix != ".woff2"]


def covered_characters(paths: list[Path] | None = None) -> frozenset[str]:
    """The characters that at least one of these font files (all bundled ones) can draw."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in font_files() if paths is None else paths:
        with TTFont(path, lazy=True) as font:
            covered.update(font.getBestCmap())
    return frozenset(chr(c) for c in covered)
