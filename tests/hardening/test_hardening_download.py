"""Downloads like a careful client (issue 13 part 3, issue 15 item 5), against a package
index served on loopback: retries, the deadline, the size cap, file:// and other schemes.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hardening_support import check_failure

import translations.download as dl
from briefpack.errors import ExitStatus, InputError, NetworkError
from tests.conftest import CliResult
from tests.fixtures.index_server import IndexServer
from translations.download import Policy, download, fetch_index, index_url, mirror_host
from translations.store import ModelStore

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])
FAST = Policy(timeout=2, deadline=20, attempts=3, backoff=0.01, rate_grace=1, min_rate=1000)


def _entry(*links: str, version: str = "0.0.1") -> dict[str, object]:
    return {"from_code": "en", "to_code": "de", "package_version": version, "links": list(links)}


def _serve_index(server: IndexServer, *entries: dict[str, object]) -> str:
    server.serve_bytes("/index.json", json.dumps(list(entries)).encode())
    return server.url("/index.json")


def _store(tmp_path: Path) -> ModelStore:
    folder = tmp_path / "store"
    return ModelStore((folder,), folder)


def test_retries_with_backoff_and_argos_user_agent(
    index_server: IndexServer, argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    index_server.serve_bytes(
        "/de.argosmodel", argos_archives[("en", "de")].read_bytes(), fail_first=2
    )
    url = _serve_index(index_server, _entry(index_server.url("/de.argosmodel")))
    pauses: list[float] = []
    (result,) = _download(url, tmp_path, sleep=pauses.append)
    assert result.status == "installed" and result.package.pair == ("en", "de")
    package_requests = [r for r in index_server.requests if r[0] == "/de.argosmodel"]
    assert len(package_requests) == 3  # two 503s, then the file
    assert {agent for _, agent in index_server.requests} == {"ArgosTranslate"}
    assert len(pauses) == 2 and pauses[1] > pauses[0]  # exponential backoff


def _download(
    url: str, tmp_path: Path, *, policy: Policy = FAST, sleep: Callable[[float], None] | None = None
) -> list[dl.Downloaded]:
    original = dl._Fetcher.__post_init__

    def patched(self: dl._Fetcher) -> None:
        if sleep is not None:
            self.sleep = sleep
        original(self)

    try:
        dl._Fetcher.__post_init__ = patched  # type: ignore[method-assign]
        return download(["en:de"], _store(tmp_path), url=url, policy=policy)
    finally:
        dl._Fetcher.__post_init__ = original  # type: ignore[method-assign]


def test_links_are_tried_in_random_order(
    index_server: IndexServer, argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    index_server.serve_bytes("/good", argos_archives[("en", "de")].read_bytes())
    links = [index_server.url("/good"), index_server.url("/missing")]
    firsts = set()
    for seed in range(8):
        fetcher = dl._Fetcher(FAST, "127.0.0.1", rng=random.Random(seed))
        index_server.requests.clear()
        with (tmp_path / f"f{seed}").open("w+b") as out:
            assert fetcher.get(links, out, 10**7) == links[0]
        firsts.add(index_server.requests[0][0])
        # a 404 is not retried: the next link is tried at once
        assert [r[0] for r in index_server.requests].count("/missing") <= 1
    assert firsts == {"/good", "/missing"}


def test_a_drip_feed_is_cut_off(index_server: IndexServer, tmp_path: Path) -> None:
    index_server.drip("/drip.argosmodel", every=0.05)
    url = _serve_index(index_server, _entry(index_server.url("/drip.argosmodel")))
    start = time.monotonic()
    with pytest.raises(NetworkError, match="sends too slowly"):
        _download(url, tmp_path)
    assert time.monotonic() - start < 10


def test_the_deadline_holds_for_the_whole_command(
    index_server: IndexServer, tmp_path: Path
) -> None:
    index_server.drip("/drip.argosmodel", every=0.001, claimed=10**9)  # fast enough, never done
    url = _serve_index(index_server, _entry(index_server.url("/drip.argosmodel")))
    start = time.monotonic()
    with pytest.raises(NetworkError, match=r"took too long \(over 2 s in all\)"):
        _download(url, tmp_path, policy=Policy(deadline=2, backoff=0.01, min_rate=1))
    assert time.monotonic() - start < 6


def test_size_cap_from_headers_and_while_reading(index_server: IndexServer, tmp_path: Path) -> None:
    index_server.claims("/huge.argosmodel", 10 * 1024**3)
    index_server.endless("/endless.argosmodel")
    small = Policy(timeout=2, deadline=20, backoff=0.01, max_package_bytes=1 << 20)
    for path, message in (
        ("/huge.argosmodel", "it is 10737418240 bytes, over the limit of 1048576"),
        ("/endless.argosmodel", "it sent over 1048576 bytes, the limit"),
    ):
        url = _serve_index(index_server, _entry(index_server.url(path)))
        index_server.requests.clear()
        with pytest.raises(NetworkError, match=message):
            _download(url, tmp_path, policy=small)
        assert [r[0] for r in index_server.requests].count(path) == 1  # never retried
    index_server.endless("/index.json")
    with pytest.raises(NetworkError, match="it sent over 8388608 bytes"):
        fetch_index(index_server.url("/index.json"), policy=FAST)


@pytest.mark.parametrize(
    "link",
    ["file:///dev/zero", "ftp://127.0.0.1/x.argosmodel", "data:,PK", "/etc/passwd"],
)
def test_links_of_other_schemes_are_never_followed(
    index_server: IndexServer, tmp_path: Path, link: str, run_cli: Callable[..., CliResult]
) -> None:
    url = _serve_index(index_server, _entry(link))
    start = time.monotonic()
    result = run_cli(
        "models", "download", "en:de", "--models", str(tmp_path / "s"), "--index-url", url
    )
    check_failure(result, ExitStatus.NETWORK_ERROR, ("links are never followed",))
    assert time.monotonic() - start < 5
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    "target, message",
    [
        ("file:///dev/zero", "Redirection to url 'file:///dev/zero' is not allowed"),
        ("ftp://127.0.0.1/x.argosmodel", "ftp links are never followed"),
        ("http://198.51.100.7/x.argosmodel", "plain http outside the local mirror"),
    ],
)
def test_redirects_are_checked_like_links(
    index_server: IndexServer, tmp_path: Path, target: str, message: str
) -> None:
    index_server.redirect("/moved.argosmodel", target)
    url = _serve_index(index_server, _entry(index_server.url("/moved.argosmodel")))
    with pytest.raises(NetworkError, match=message):
        _download(url, tmp_path)


def test_plain_http_only_for_a_local_mirror_and_only_to_it() -> None:
    assert mirror_host("https://example.org/index.json") is None
    for local in ("http://127.0.0.1:8000/i.json", "http://mirror.lan/i.json", "http://box/i.json",
                  "http://192.168.1.4/i.json", "http://[::1]/i.json", "http://localhost/i.json"):  # fmt: skip
        assert mirror_host(local) is not None, local
    for refused in ("http://example.org/index.json", "file:///tmp/index.json", "ftp://x/i"):
        with pytest.raises(InputError):
            mirror_host(refused)
    dl._check_link("https://cdn.example/x", "mirror.lan")
    dl._check_link("http://mirror.lan/x", "mirror.lan")
    for bad, mirror in (("http://other.lan/x", "mirror.lan"), ("http://127.0.0.1/x", None)):
        with pytest.raises(dl._Refused):
            dl._check_link(bad, mirror)


def test_a_hostile_http_link_from_an_https_index_is_refused(tmp_path: Path) -> None:
    fetcher = dl._Fetcher(FAST, None)  # as for an https index: no plain-http host at all
    with (tmp_path / "x").open("w+b") as out, pytest.raises(NetworkError, match="plain http"):
        fetcher.get(["http://127.0.0.1:9/x"], out, 10)


def test_index_url_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("BRIEFPACK_INDEX_URL", "ARGOS_PACKAGE_INDEX"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert index_url() == dl.DEFAULT_INDEX_URL
    (tmp_path / "argos-translate").mkdir()
    (tmp_path / "argos-translate" / "settings.json").write_text(
        json.dumps({"ARGOS_PACKAGE_INDEX": "https://file.example/main/"})
    )
    assert index_url() == "https://file.example/main/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "https://env.example/main")
    assert index_url() == "https://env.example/main/index.json"  # Argos appends index.json
    monkeypatch.setenv("BRIEFPACK_INDEX_URL", "https://ours.example/i.json")
    assert index_url() == "https://ours.example/i.json"
    assert index_url("https://flag.example/i.json") == "https://flag.example/i.json"


def test_a_hostile_index_is_refused_in_one_line(
    index_server: IndexServer, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    index_server.serve_bytes("/deep.json", b"[" * 100_000 + b"]" * 100_000)
    url = index_server.url("/deep.json")
    result = run_cli("models", "download", "en:de", "--models", str(tmp_path), "--index-url", url)
    check_failure(result, ExitStatus.NETWORK_ERROR, ("is nested deeper than 32 levels",))


@pytest.mark.allow_hosts([])
def test_offline_download_fails_within_seconds(
    argos_env: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., CliResult]
) -> None:
    monkeypatch.setenv("BRIEFPACK_INDEX_URL", "https://index.invalid/index.json")
    start = time.monotonic()
    result = run_cli("models", "download", "en:de")
    assert time.monotonic() - start < 10
    check_failure(
        result, ExitStatus.NETWORK_ERROR, ("cannot reach the package index", "models install")
    )


def test_download_reports_bytes_then_unpacking(
    index_server: IndexServer, argos_archives: dict[tuple[str, str], Path], tmp_path: Path
) -> None:
    data = argos_archives[("en", "de")].read_bytes()
    index_server.serve_bytes("/de.argosmodel", data)
    url = _serve_index(index_server, _entry(index_server.url("/de.argosmodel")))
    calls: list[tuple[str, int, int | None, str]] = []

    def record(label: str, done: int, total: int | None, *, unit: str = "") -> None:
        calls.append((label, done, total, unit))

    (result,) = download(["en:de"], _store(tmp_path), url=url, policy=FAST, progress=record)
    assert result.status == "installed"
    labels = list(dict.fromkeys(c[0] for c in calls))
    assert len(labels) == 2 and labels[1].startswith("unpacking ")  # the download, then unpack
    fetched = [c for c in calls if c[0] == labels[0]]
    assert fetched[-1][1] == len(data) and {c[3] for c in calls} == {"B"}
