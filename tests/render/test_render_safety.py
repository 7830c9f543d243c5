"""Article text is data: it cannot add markup, fetch URLs or attach files."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from render_helpers import make_briefing, pdf_text, reader

from briefpack.errors import RenderError
from briefpack.render import Renderer, render_index, templates_dir
from briefpack.render.assets import asset_path


class _CountingHandler(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server():
    _CountingHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], _CountingHandler.hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def hostile_strings(port: int) -> tuple[str, ...]:
    return (
        "<link rel=attachment href=file:///etc/passwd>",
        f"<img src=http://127.0.0.1:{port}/x>",
        f"<style>@import url(http://127.0.0.1:{port}/a.css)</style>",
        "<script>document.title = 'pwned'</script>",
    )


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_hostile_article_text_is_printed_not_obeyed(renderer, loopback_server) -> None:
    port, hits = loopback_server
    hostile = hostile_strings(port)
    # A probe proves the server counts what reaches it, so zero hits below means something.
    from urllib.request import urlopen

    with urlopen(f"http://127.0.0.1:{port}/probe", timeout=5) as response:
        response.read()
    assert hits == ["/probe"]
    hits.clear()

    briefing = make_briefing(
        "uk",
        title=f"Заголовок {hostile[0]} {hostile[1]}",
        points=hostile,
        source_name=f"{hostile[2]}.txt",
    )
    html = renderer.render_html(briefing)
    assert "<link rel=attachment" not in html
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in html

    pdf = renderer.render(briefing)
    assert hits == []
    document = reader(pdf)
    assert document.attachments == {}
    assert "/EmbeddedFiles" not in document.trailer["/Root"].get("/Names", {})
    text = pdf_text(pdf)
    assert "root:" not in text
    for string in hostile:
        assert _squash(string) in _squash(text)
    assert document.metadata.title == briefing.title


def test_fetcher_serves_template_files_only() -> None:
    from briefpack.render.fetcher import TemplateAssetFetcher

    root = templates_dir()
    fetcher = TemplateAssetFetcher(root)
    css = fetcher.fetch((root / "briefing.css").as_uri())
    assert b"@font-face" in css.read()
    assert css.content_type == "text/css"
    font = fetcher.fetch((root / "fonts" / "NotoSerif-Regular.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"

    refused = [
        "file:///etc/passwd",
        (root / "fonts" / ".." / ".." / "pyproject.toml").as_uri(),
        (root / "fonts").as_uri() + "/%2e%2e/%2e%2e/pyproject.toml",
        (root / "missing.css").as_uri(),
        root.as_uri(),
        "http://127.0.0.1:9/a.css",
        "https://example.org/font.ttf",
        "data:text/css,body{}",
        "file://evil.example/" + (root / "briefing.css").as_posix(),
    ]
    for url in refused:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
        with pytest.raises(ValueError, match="refused"):
            fetcher(url)  # WeasyPrint calls the fetcher object itself


def test_symlink_out_of_the_templates_is_refused(tmp_path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", encoding="utf-8")
    (root / "link.css").symlink_to(secret)
    (root / "ok.css").write_text("p {}", encoding="utf-8")
    assert asset_path((root / "ok.css").as_uri(), root) == (root / "ok.css").resolve()
    with pytest.raises(ValueError, match="refused"):
        asset_path((root / "link.css").as_uri(), root)


@pytest.mark.slow
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_template_url_outside_the_bundle_stops_the_render(
    tmp_path, monkeypatch, loopback_server
) -> None:
    # The second wall: even markup in the template itself cannot reach the network.
    port, hits = loopback_server
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    template = copy / "briefing.html.j2"
    source = template.read_text(encoding="utf-8")
    template.write_text(
        source.replace("<main>", f'<main><img src="http://127.0.0.1:{port}/x" alt="">'),
        encoding="utf-8",
    )
    monkeypatch.setattr("briefpack.render.renderer.templates_dir", lambda: copy)
    with pytest.raises(RenderError, match="could not render the 'en' briefing"):
        Renderer().render(make_briefing("en"))
    assert hits == []


def test_index_page_lists_languages_and_escapes_data() -> None:
    html = render_index(
        "Strike <b>now</b> & later",
        "2026-11-27",
        "3f9a1c2e",
        [
            ("en", "English", "briefing-en.pdf", "summary-en.md"),
            ("uk", "Українська", "briefing-uk.pdf", "summary-uk.md"),
        ],
    )
    assert "Strike &lt;b&gt;now&lt;/b&gt; &amp; later" in html
    assert '<a href="briefing-uk.pdf">' in html
    assert '<a href="summary-en.md">' in html
    assert "Українська" in html
    assert "3f9a1c2e" in html
    assert "2026-11-27" in html
    assert "http" not in html
    assert "<link" not in html
    assert "<script" not in html


@pytest.mark.parametrize(
    "name", ["../briefing-en.pdf", "javascript:alert(1)", "/etc/passwd", "", ".hidden.pdf"]
)
def test_index_page_refuses_link_targets_that_are_not_plain_names(name) -> None:
    with pytest.raises(RenderError, match="not a plain file name"):
        render_index("T", "2026-11-27", "id", [("en", "English", name, "summary-en.md")])
