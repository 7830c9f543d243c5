"""A hostile HTML article builds into a harmless pack: nothing fetched, nothing attached."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

import pytest
from pypdf import PdfReader

from tests.conftest import CliResult

HITS: list[str] = []


class _Counter(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        HITS.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    HITS.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def hostile_page(port: int) -> str:
    url = f"http://127.0.0.1:{port}"
    return f"""<!doctype html><html><head><title>Harbour news</title>
<link rel="attachment" href="file:///etc/passwd">
<link rel="stylesheet" href="{url}/remote.css">
<style>@import url({url}/import.css); body {{ background: url(file:///etc/hostname) }}</style>
<script src="{url}/script.js"></script><script>document.title = "pwned";</script>
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Hello world from the harbour</h1>
<p>The city news today: dock workers returned to work after a long strike over pay.</p>
<p><img src="{url}/pixel.png"> Officials said the &lt;link rel=attachment
href=file:///etc/passwd&gt; trick would not work here, and the port reopened.</p>
<p>Ships waiting at anchor began to move into the harbour on Monday afternoon.</p>
<iframe src="file:///etc/passwd"></iframe><object data="{url}/object.bin"></object>
</article><footer>Copyright 2026</footer></body></html>"""


@pytest.mark.slow
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_hostile_html_article_fetches_nothing_and_attaches_nothing(
    models_dir: Path, tmp_path: Path, server: int, run_cli: Callable[..., CliResult]
) -> None:
    with urlopen(f"http://127.0.0.1:{server}/probe", timeout=5) as response:
        response.read()
    assert HITS == ["/probe"]  # the counter works, so zero below means zero
    HITS.clear()

    page = tmp_path / "hostile.html"
    page.write_text(hostile_page(server), encoding="utf-8")
    result = run_cli("build", str(page), "--out", str(tmp_path / "d"), "--date", "2026-03-14")
    assert result.exit_code == 0, result.stderr
    pack = Path(result.stdout.strip())

    assert HITS == []
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    first_line = passwd.splitlines()[0]
    pdfs = sorted(pack.glob("*.pdf"))
    assert len(pdfs) == 4
    for pdf in pdfs:
        document = PdfReader(pdf)
        assert document.attachments == {}
        assert "/EmbeddedFiles" not in document.trailer["/Root"].get("/Names", {})
        text = "".join(page.extract_text() or "" for page in document.pages)
        assert first_line not in text and "pwned" not in text
        assert first_line.encode() not in pdf.read_bytes()
    for other in pack.iterdir():
        assert first_line.encode() not in other.read_bytes(), other.name
