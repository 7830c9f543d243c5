"""The README and docs/cli.md stay true to the commands: their option tables are what
`--help` says (tools/readme_options.py writes them), every command has a table in
docs/cli.md, the README stays short, and docs/api.md's example runs as printed."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import click
import pytest

from tests.conftest import EXAMPLE, ROOT
from tools import readme_options

README_LIMIT = 12_000  # bytes: "README.md <= 12 KB", read strictly


@pytest.mark.parametrize("name", readme_options.FILES)
def test_option_tables_match_help(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    assert readme_options.marked(text), f"{name} has no option tables"
    assert readme_options.render(text) == text, (
        f"{name}: option tables differ from --help; run python tools/readme_options.py"
    )


def test_every_command_has_a_table_in_the_cli_reference() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = set(readme_options.commands()) - set(readme_options.marked(text))
    assert not missing, f"add <!-- options: PATH --> blocks to docs/cli.md for {missing}"


def test_readme_is_short() -> None:
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes; move depth to docs/"


def test_tables_follow_an_option_change() -> None:
    """The generator reads the command tree, so a new option or command shows up, and a
    table written before it is stale."""

    @click.group()
    def tool() -> None: ...

    @tool.command()
    @click.option(
        "-k",
        "--keep",
        type=click.IntRange(1, 9),
        default=2,
        show_default=True,
        help="Keep | this many.",
    )
    @click.option("--plain", is_flag=True, help="No colour.")
    def digest(keep: int, plain: bool) -> None: ...

    known = readme_options.commands(tool)
    text = "intro\n<!-- options: digest -->\nold\n<!-- /options -->\nend\n"
    new = readme_options.render(text, known)
    assert new.startswith("intro\n<!-- options: digest -->\n`briefpack digest [OPTIONS]`\n")
    assert "| `-k, --keep INTEGER RANGE` | Keep \\| this many. (1<=x<=9) | `2` |" in new
    assert "| `--plain` | No colour. |  |" in new
    assert new.endswith("<!-- /options -->\nend\n")
    assert readme_options.render(new, known) == new  # stable once written

    @tool.command()
    @click.option("--plain", is_flag=True, help="No colour.")
    def cluster(plain: bool) -> None: ...

    both = readme_options.render(
        "<!-- options: digest, cluster -->\n<!-- /options -->\n", readme_options.commands(tool)
    )
    assert "| option | meaning | default | digest | cluster |" in both
    assert "| `--plain` | No colour. |  | ✓ | ✓ |" in both  # shared: one row
    assert "| `-k, --keep INTEGER RANGE` | Keep \\| this many. (1<=x<=9) | `2` | ✓ |  |" in both


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("<!-- options: nosuch -->\n<!-- /options -->\n", "names 'nosuch', which is no command"),
        ("<!-- options: build -->\nno end marker\n", "without <!-- /options -->"),
    ],
)
def test_a_bad_marker_is_an_error(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(complaint)):
        readme_options.render(text)


def test_check_mode_names_a_stale_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in readme_options.FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    assert readme_options.stale(tmp_path) == []
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("| `ru,uk,de` |", "| `ru` |", 1))
    assert readme_options.stale(tmp_path) == ["README.md"]


@pytest.mark.slow
def test_api_example_runs_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argos_env: Path
) -> None:
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    code, printed = re.search(
        r"```python\n(.*?)```\n\nIt printed:\n\n```text\n(.*?)```", doc, re.S
    ).groups()
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "examples" / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/api.md", "exec"), {"__name__": "__main__"})
    assert out.getvalue() == printed


def test_readme_sections_named_in_messages_exist() -> None:
    """Messages that send the user to a README section ("see README 'Getting real
    models'") name a heading the README has."""
    headings = set(re.findall(r"^#+ (.+)$", (ROOT / "README.md").read_text(encoding="utf-8"), re.M))
    named = {
        section
        for path in (ROOT / "briefpack").rglob("*.py")
        for section in re.findall(r"README,? '([^']+)'", path.read_text(encoding="utf-8"))
    }
    assert named, "no message names a README section: the pattern no longer matches"
    assert named <= headings, f"README lacks the sections {named - headings}"
