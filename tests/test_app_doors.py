"""The app's doors (issue 19, items 1-3): a token in the address, no foreign Host or Origin,
a closed page's kernel stops, and a second app on a taken port never shows the first app's cycle.

One app per module (starting Voilà is slow), on 127.0.0.1 only; every process it starts is
stopped at the end (``appserver.AppRun.stop``).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from appserver import school_copy, start
from test_demo_reports import CHROMIUM, CHROMIUM_ARGS

from plgdata.app import PREPARED_KERNELS, free_port


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deuren")
    run = start(tmp, school_copy(tmp), free_port())
    try:
        yield run
    finally:
        run.stop()


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def test_the_printed_address_carries_a_token_and_a_request_without_it_is_refused(app):
    base = f"http://127.0.0.1:{app.port}"
    assert len(app.token) >= 24
    for path in ("/voila/render/start.ipynb", "/voila/render/01_probleemdefinitie.ipynb", "/", "/voila/api/contents"):
        status, body = _get(base + path)
        assert status in (302, 403), (path, status)  # to the login page, or refused
        assert "Begrijpend lezen" not in body
    status, _ = _get(f"{base}/voila/api/contents?token=niet-de-sleutel")
    assert status in (302, 403)
    status, body = _get(f"{base}/voila/api/contents?token={app.token}")
    assert status == 200 and "start.ipynb" in body


def test_a_foreign_host_is_refused_even_with_the_token(app):
    """DNS rebinding: evil.example resolves to 127.0.0.1; the browser sends Host: evil.example."""
    base = f"http://127.0.0.1:{app.port}"
    for path in ("/voila/api/contents", "/voila/render/start.ipynb", "/"):
        status, _ = _get(f"{base}{path}?token={app.token}", {"Host": f"evil.example:{app.port}"})
        assert status == 403, (path, status)
    status, _ = _get(f"{base}/voila/api/contents?token={app.token}", {"Host": f"localhost:{app.port}"})
    assert status == 200


def _settled(app, expected: int, timeout: float = 120) -> int:
    """The app's kernel count once it is ``expected`` (kernels are started and stopped in the background)."""
    t0 = time.monotonic()
    while app.kernels() != expected and time.monotonic() - t0 < timeout:
        time.sleep(0.5)
    return app.kernels()


async def _websocket(url: str, cookie: str, origin: str):
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    request = HTTPRequest(url, headers={"Cookie": cookie, "Origin": origin})
    try:
        conn = await websocket_connect(request)
    except HTTPClientError as e:
        return e.code
    conn.close()
    return 101


def test_a_foreign_origin_gets_no_websocket_and_a_closed_page_stops_its_kernel(app):
    assert os.path.exists(CHROMIUM), "Chromium ontbreekt: installeer Debian's pakket 'chromium' (.ci/run doet dat)."
    import asyncio

    from playwright.sync_api import sync_playwright

    # the prepared kernels wait once a first page was asked for; this page is the only one open
    baseline = PREPARED_KERNELS
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(app.page("start.ipynb"), timeout=120_000)
            page.wait_for_selector("#loading", state="detached", timeout=120_000)
            config = json.loads(page.locator("#jupyter-config-data").text_content())
            kernel = config["kernelId"]
            assert _settled(app, baseline + 1) == baseline + 1  # the page's kernel, and the prepared ones
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
            ws = f"ws://127.0.0.1:{app.port}/api/kernels/{kernel}/channels"
            with ThreadPoolExecutor(1) as pool:  # playwright's loop runs in this thread
                foreign = pool.submit(asyncio.run, _websocket(ws, cookie, "http://evil.example")).result()
                own = pool.submit(asyncio.run, _websocket(ws, cookie, f"http://127.0.0.1:{app.port}")).result()
            assert foreign == 403
            assert own == 101  # the same cookie from the app's own origin is let in: the origin is what was refused
            page.close(run_before_unload=True)
            t0 = time.monotonic()
            while app.kernels() > baseline and time.monotonic() - t0 < 60:
                time.sleep(1)
            assert _settled(app, baseline, 10) == baseline, "de kernel van een gesloten pagina draait na een minuut nog"
        finally:
            browser.close()


def test_a_second_app_on_a_taken_port_gets_its_own_port_and_cycle(app, tmp_path):
    other = tmp_path / "school2"
    data = school_copy(tmp_path)
    record = other / "tweede.yaml"
    other.mkdir()
    second = start(tmp_path, data, app.port, record=record)
    try:
        said = "".join(second.lines)
        assert f"Poort {app.port} is al in gebruik" in said
        assert second.port != app.port
        # the printed address is the second app's own: its token opens its pages, and the first app refuses it
        status, body = _get(f"http://127.0.0.1:{second.port}/voila/api/contents?token={second.token}")
        assert status == 200 and "start.ipynb" in body
        status, _ = _get(f"http://127.0.0.1:{app.port}/voila/api/contents?token={second.token}")
        assert status in (302, 403)
        assert record.exists()  # the second app made its own record
    finally:
        second.stop()


def _notebook_parameters(name: str) -> dict:
    from plgdata.reporting.notebooks import NOTEBOOK_DIR

    cells = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))["cells"]
    source = next("".join(c["source"]) for c in cells if "parameters" in c["metadata"].get("tags", []))
    values: dict = {}
    exec(source, {}, values)  # the committed parameters cell: plain assignments
    return values


def test_the_app_and_the_notebooks_use_one_cycle_file_by_default(tmp_path):
    """Run from the repository root, `plgdata app` edits the records the notebooks (in notebooks/) edit."""
    from plgdata.app import AppPaths
    from plgdata.cli import _parser
    from plgdata.reporting.notebooks import NOTEBOOK_DIR

    root = NOTEBOOK_DIR.resolve().parent  # the repository (plgdata/notebooks links to notebooks/)
    args = _parser().parse_args(["app"])
    paths = AppPaths(root / "data", None, (root / args.werkmap).resolve(), (root / args.cyclus).resolve())
    start = _notebook_parameters("00_start.ipynb")
    assert paths.cycle_file == (NOTEBOOK_DIR / start["cyclusbestand"]).resolve()
    assert paths.workdir == (NOTEBOOK_DIR / start["werkmap"]).resolve()
    for method, notebook, key in (
        ("actieonderzoek", "actieonderzoek.ipynb", "cyclusbestand"),
        ("lessonstudy", "lesson_study.ipynb", "lessonstudybestand"),
        ("jaarplan", "jaarplan.ipynb", "jaarplanbestand"),
    ):
        assert paths.record(method) == (NOTEBOOK_DIR / _notebook_parameters(notebook)[key]).resolve(), method


def test_the_bare_address_and_a_missing_page_answer_in_dutch(app):
    base = f"http://127.0.0.1:{app.port}"
    status, body = _get(f"{base}/?token={app.token}")
    assert status == 200
    assert "Select items" not in body and 'lang="nl"' in body
    assert "voila/render/start.ipynb" in body  # the bare address leads to the start page
    status, body = _get(f"{base}/voila/render/bestaat_niet.ipynb?token={app.token}")
    assert status == 404
    assert "Deze pagina bestaat niet" in body and "Not Found" not in body


def _get_following(url: str) -> tuple[int, str]:
    """A request as a browser makes it: redirects followed (to the login page when the token is missing)."""
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def test_a_request_without_the_token_gets_a_dutch_page_that_gives_nothing_away(app):
    base = f"http://127.0.0.1:{app.port}"
    for path in ("/voila/render/01_probleemdefinitie.ipynb", "/", "/login", f"/voila/render/start.ipynb?token=niet-{app.token}"):
        status, body = _get_following(base + path)
        assert status == 403, (path, status)
        assert "Deze pagina hoort bij plgdata app" in body, path
        assert "Open het adres dat plgdata app in het venster liet zien, met de sleutel" in " ".join(body.split())
        assert 'lang="nl"' in body
        for leak in ("password", "Password", "Log in", app.token, "Begrijpend lezen", "probleemdefinitie", "<form"):
            assert leak not in body, (path, leak)
    # with the token the page itself
    status, body = _get_following(f"{base}/voila/render/01_probleemdefinitie.ipynb?token={app.token}")
    assert status == 200 and "<title>01_probleemdefinitie</title>" in body
    assert "Open de app met de sleutel" not in body


def _pages_folder(app) -> Path:
    """The folder Voilà serves (its argument on the command line)."""
    import psutil

    for kid in psutil.Process(app.proc.pid).children(recursive=True):
        cmd = kid.cmdline()
        if "voila" in cmd:
            return Path(cmd[cmd.index("voila") + 1])
    raise AssertionError("geen Voilà-proces")


def test_voila_files_serves_nothing_with_or_without_the_token(app):
    """The route had no token check: a picture in the pages folder was served to anyone on this computer."""
    folder = _pages_folder(app)
    picture = folder / "figuur.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    try:
        base = f"http://127.0.0.1:{app.port}/voila/files"
        for url in (f"{base}/figuur.png", f"{base}/figuur.png?token={app.token}", f"{base}/start.ipynb?token={app.token}"):
            status, body = _get(url)
            assert status == 403, (url, status)
            assert "PNG" not in body
    finally:
        picture.unlink()
