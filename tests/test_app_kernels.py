"""Prepared kernels for the app's pages (issue 21, item 5): started and with plgdata imported
before a page asks, but nothing of a page run, and with the page's own folder and environment.

:class:`plgdata.app_server.PreparedKernelManager` on its own (no Voilà, no browser); the app
tests open real pages through it.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from plgdata.app_server import PreparedKernelManager

#: what the test asks a kernel: imported modules, the page's variables, its folder and environment
PROBE = {
    "forms": "'plgdata.forms' in __import__('sys').modules",
    "names": "sorted(k for k in globals() if not k.startswith('_') and k not in ('In', 'Out', 'exit', 'quit', 'get_ipython'))",
    "cwd": "__import__('os').getcwd()",
    "query": "__import__('os').environ.get('QUERY_STRING')",
    "nice": "__import__('os').nice(0)",
    "backend": "__import__('matplotlib').get_backend() if 'matplotlib' in __import__('sys').modules else None",
    "history": "get_ipython().history_manager.enabled",
}


async def _probe(km, kernel_id: str) -> dict:
    client = km.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        msg_id = client.execute("", silent=True, user_expressions=PROBE)
        while True:
            reply = await client.get_shell_msg(timeout=120)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        found = reply["content"]["user_expressions"]
        return {k: v["data"]["text/plain"] for k, v in found.items()}
    finally:
        client.stop_channels()


def test_a_page_gets_a_prepared_kernel_with_its_own_environment_and_nothing_run(tmp_path):
    (tmp_path / "elders").mkdir()

    async def scenario():
        km = PreparedKernelManager(root_dir=str(tmp_path), connection_dir=str(tmp_path), pool_size=1, refill_delay=0)
        try:
            env = {**os.environ, "QUERY_STRING": "token=geheim", "SCRIPT_NAME": "/voila/render/01.ipynb"}
            # the first page (the start page) gets a kernel of its own; then the pool fills
            first = await km.start_kernel(kernel_name="python3", path="", env=env)
            page = await km.start_kernel(kernel_name="python3", path="", env=env)
            assert page not in km.waiting_kernels() and first != page
            # a kernel for another folder is started for that page, not taken from the pool
            other = await km.start_kernel(kernel_name="python3", path="elders", env=env)
            refill = await km._pool[0]
            assert km.waiting_kernels() == {refill} and other != refill
            found = await _probe(km, page), await _probe(km, refill), await _probe(km, other), await _probe(km, first)
            # a prepared kernel waiting longer than the cull time is not culled; a page's kernel is
            for kernel_id in (refill, other):
                km.get_kernel(kernel_id).last_activity -= timedelta(seconds=km.cull_idle_timeout + 3600)
                await km.cull_kernel_if_idle(kernel_id)
            return (*found, refill in km, other in km)
        finally:
            await km.shutdown_all(now=True)

    prepared, waiting, fresh, first, refill_kept, other_kept = asyncio.run(scenario())
    assert prepared["forms"] == "True"  # plgdata's forms (and with them pandas and scipy) are imported
    assert fresh["forms"] == first["forms"] == "False"
    assert prepared["names"] == fresh["names"]  # but no notebook cell ran: the namespace is a new kernel's
    assert prepared["cwd"] == repr(str(tmp_path))  # the folder the page's kernel starts in
    assert prepared["query"] == "'token=geheim'"  # the request's environment, set when handed out
    assert prepared["backend"].lower() == "'agg'"  # as the notebooks' first cell sets it
    assert waiting["query"] == "None"  # a waiting kernel knows no request
    assert refill_kept and not other_kept
    # prepared at a lower priority than a page's own kernel (the start page's goes first)
    assert int(prepared["nice"]) == int(waiting["nice"]) == int(fresh["nice"]) + PreparedKernelManager.prepare_nice.default_value


def test_a_prepared_kernel_has_imported_what_steps_0_and_8_import_on_first_use(tmp_path):
    """What plgdata imports only on a function's first call (Parquet, the readers, statsmodels, the
    figures) is imported while the kernel waits: computing step 0 and step 8 then imports no
    further package (imported on the page, it cost 0.3-1 s there)."""
    import shutil
    import subprocess
    import sys

    from identities import SAMPLE

    from plgdata.app_server import PRELOAD, preload_code

    data = tmp_path / "school"
    shutil.copytree(SAMPLE, data)
    code = (
        preload_code(PRELOAD)
        + "import sys\nbefore = set(sys.modules)\n"
        + "from plgdata import workflow, forms, cycle\n"
        + f"forms.read_preview({str(data)!r})\n"
        + f"ds = workflow.load_into_workdir({str(data)!r}, {str(tmp_path / 'werk')!r}, key_file={str(tmp_path / 'k.key')!r})\n"
        + f"c = cycle.load_cycle({str(data / 'cyclus_begrijpend_lezen.yaml')!r})\n"
        + "ev = workflow.evaluate_measures(c, ds)\nlist(workflow.evaluation_figures(ev))\nforms.evidence(c)\n"
        + "tops = {m.split('.')[0] for m in before}\n"
        + "new = sorted({m.split('.')[0] for m in set(sys.modules) - before} - tops)\n"
        + "print(len(set(sys.modules) - before), file=sys.stderr)\n"
        + "print(','.join(new))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    packages = set(filter(None, out.stdout.strip().splitlines()[-1].split(","))) if out.stdout.strip() else set()
    assert packages == set(), packages


def test_a_page_kernel_client_is_ready_without_losing_the_first_output():
    """Ready when the kernel's idle for kernel_info arrived: the first cell's output then reaches
    the page, and nothing of kernel_info is left on IOPub to be taken for the cell's."""
    from queue import Empty

    from jupyter_client import AsyncKernelManager

    async def scenario():
        km = AsyncKernelManager(client_class="plgdata.app_server.PageKernelClient")
        await km.start_kernel()
        try:
            client = km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            msg_id = client.execute("print('klaar')")
            seen = []
            while True:
                msg = await client.get_iopub_msg(timeout=30)
                seen.append((msg["parent_header"].get("msg_id") == msg_id, msg["msg_type"], msg["content"]))
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
            try:
                await client.get_iopub_msg(timeout=0.3)
                left = True
            except Empty:
                left = False
            client.stop_channels()
            return seen, left
        finally:
            await km.shutdown_kernel(now=True)

    seen, left = asyncio.run(scenario())
    assert all(ours for ours, _, _ in seen), seen  # no message of kernel_info came after ready
    assert ("stream", {"name": "stdout", "text": "klaar\n"}) in [(t, c) for _, t, c in seen]
    assert not left


def test_the_app_server_does_not_load_the_forms():
    """The server and the start page import plgdata.app and app_pages; the forms (ipywidgets, the
    readers) are for step pages, whose prepared kernels load them. Importing them in the server
    made the first page 2.3x a bare Voila page instead of 1.4x (bench_app)."""
    import subprocess
    import sys

    code = "import sys, plgdata.app, plgdata.app_pages; print(sorted(m for m in ('plgdata.forms', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _app_pages(tmp_path):
    """The app's pages for a copy of the sample school (its werkmap read), as ``plgdata app`` writes them."""
    import shutil

    from identities import SAMPLE

    from plgdata.app import AppPaths, ensure_record, prepare_pages

    shutil.copytree(SAMPLE, tmp_path / "school")
    record = tmp_path / "school" / "cyclus_begrijpend_lezen.yaml"
    paths = AppPaths(tmp_path / "school", None, tmp_path / "werk", record, key_file=tmp_path / "k.key")
    ensure_record(paths)
    prepare_pages(tmp_path / "paginas", paths)
    return tmp_path / "paginas", record


def test_computing_a_page_ahead_draws_what_the_page_shows_and_writes_nothing(tmp_path, monkeypatch):
    """Issue 21 (pages <= 2 s): step 8's estimation plot (0.3 s) and step 6's four evidence figures
    (0.3 s) are drawn in the kernel while it waits for the page. The page then shows the very
    figure it would have drawn itself, and the record is not touched."""
    from plgdata import forms, workflow
    from plgdata.app import warm_page
    from plgdata.cycle import load_cycle

    pages, record = _app_pages(tmp_path)
    before = record.read_bytes()
    monkeypatch.chdir(pages)
    workflow._FIGURES.clear()
    forms.evidence.__globals__["_figure_png"].cache_clear()
    warm_page("08_evaluatie.ipynb")
    warm_page("06_interpretatie.ipynb")
    assert record.read_bytes() == before
    assert len(workflow._FIGURES) == 1 and forms.evidence.__globals__["_figure_png"].cache_info().currsize == 4
    c = load_cycle(record)
    ds = workflow.open_workdir(tmp_path / "werk")
    ahead = workflow.evaluation_figures(workflow.evaluate_measures(c, ds))
    workflow._FIGURES.clear()
    drawn = workflow.evaluation_figures(workflow.evaluate_measures(c, ds))
    assert [f.data for f in ahead] == [f.data for f in drawn] and "data:image/png;base64," in drawn[0].data
    warm_page("bestaat_niet.ipynb")  # a page it cannot read: nothing happens, the page says what is wrong


def test_the_kernel_for_the_next_step_computes_it_ahead_and_keeps_its_namespace_clean(tmp_path):
    """After step 7 is opened, the kernel prepared next (the one step 8 gets) has drawn step 8's plot."""
    pages, _ = _app_pages(tmp_path)

    async def scenario():
        km = PreparedKernelManager(root_dir=str(pages), connection_dir=str(tmp_path), pool_size=1, refill_delay=0)
        PROBE["figures"] = "len(__import__('plgdata.workflow').workflow._FIGURES)"
        try:
            env = {**os.environ, "SCRIPT_NAME": "/voila/render/07_maatregelen.ipynb"}
            await km.start_kernel(kernel_name="python3", path="", env=env)  # the start page: its own kernel
            page = await km.start_kernel(kernel_name="python3", path="", env=env)  # step 7 takes the prepared one
            expected = km._expected
            return expected, await _probe(km, await km._pool[0]), await _probe(km, page)
        finally:
            PROBE.pop("figures")
            await km.shutdown_all(now=True)

    expected, ahead, page = asyncio.run(scenario())
    assert expected == "08_evaluatie.ipynb"
    assert ahead["figures"] == "1" and page["figures"] == "0"  # step 7's kernel was prepared for step 0
    assert ahead["names"] == page["names"]  # computed inside a function: nothing left for the page


def test_every_page_reuses_the_compiled_page_templates(monkeypatch):
    """Issue 21 (pages <= 2 s): Voila makes a new exporter for every page, whose Jinja environment
    compiled the page template and the 12 it extends again (0.15 s of every page). With the
    server's shared bytecode cache the second page compiles nothing."""
    import jinja2
    from voila.exporter import VoilaExporter

    from plgdata.app_server import share_compiled_templates

    share_compiled_templates()
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *a, **k: compiled.append(a[1:2]) or original(self, *a, **k))
    pages = []
    for _ in range(2):
        before = len(compiled)
        exporter = VoilaExporter(template_name="lab")  # the template plgapp extends
        exporter.environment.get_template("index.html.j2")
        pages.append(len(compiled) - before)
    assert pages[0] > 0 and pages[1] == 0, pages


def test_each_waiting_kernel_computes_ahead_for_its_own_coming_page_and_none_while_a_page_waits(tmp_path):
    """The pool hands kernels out in order: the first waiting kernel is for the page after the one
    opened last, the second for the page after that; after the last step nothing is expected, and a
    kernel a page already waits for (pages opened faster than kernels are prepared) skips the head start."""

    async def scenario():
        km = PreparedKernelManager(root_dir=str(tmp_path), pool_size=0)

        async def ahead():
            await asyncio.sleep(0)
            return km._page_ahead()

        km._expected = "06_interpretatie.ipynb"
        waiting = [asyncio.ensure_future(ahead()) for _ in range(4)]
        taken = asyncio.ensure_future(ahead())
        km._pool = list(waiting)
        found = await asyncio.gather(*waiting, taken)
        km._pool = []
        return found

    assert asyncio.run(scenario()) == ["06_interpretatie.ipynb", "07_maatregelen.ipynb", "08_evaluatie.ipynb", None, None]


def test_a_page_does_not_wait_for_its_kernel_to_finish_computing_ahead(tmp_path):
    """Pages opened one after another: the kernel a page asks for may still be computing that page
    ahead. It is interrupted (the page computes everything itself anyway), the page gets it at once,
    and the kernel works and has nothing of the head start in its namespace."""
    import time

    async def scenario():
        km = PreparedKernelManager(
            root_dir=str(tmp_path), connection_dir=str(tmp_path), pool_size=1, refill_delay=0, start_grace=0
        )
        km.warm_code = "__import__('time').sleep(60 + 0 * len({page}))"  # a head start that takes a minute
        try:
            env = dict(os.environ)
            first = await km.start_kernel(kernel_name="python3", path="", env=env)  # the start page: its own kernel
            deadline = time.monotonic() + 120
            while not km._warming and time.monotonic() < deadline:  # the prepared kernel starts its head start
                await asyncio.sleep(0.1)
            busy = bool(km._warming)
            asked = time.monotonic()
            page = await km.start_kernel(kernel_name="python3", path="", env=env)
            waited = time.monotonic() - asked
            return busy, waited, await _probe(km, page), await _probe(km, first)
        finally:
            await km.shutdown_all(now=True)

    busy, waited, found, fresh = asyncio.run(scenario())
    assert busy and waited < 20, waited  # not the minute of the head start
    assert found["names"] == fresh["names"] and found["forms"] == "True"


#: a module the test's kernels import while being prepared: it waits while ``wacht`` exists in the
#: kernel's folder, unless ``los-<pid>`` lets this kernel go on (so the test decides which is ready)
SLOW_MODULE = """
import os, time
while os.path.exists("wacht") and not os.path.exists(f"los-{os.getpid()}"):
    time.sleep(0.05)
"""


async def _until(condition, what: str, seconds: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.02)


async def _started(km, n: int) -> asyncio.Task:
    """The pool's ``n``-th task, once its kernel has been started."""
    await _until(lambda: len(km._pool) >= n and km._pool[n - 1] in km._kernel_of, f"kernel {n} start")
    return km._pool[n - 1]


def _slow_manager(tmp_path, **settings) -> PreparedKernelManager:
    """A manager whose kernels import :data:`SLOW_MODULE` only (waiting while ``wacht`` exists), in ``tmp_path``."""
    (tmp_path / "plgdata_langzaam.py").write_text(SLOW_MODULE, encoding="utf-8")
    (tmp_path / "wacht").touch()
    km = PreparedKernelManager(root_dir=str(tmp_path), connection_dir=str(tmp_path), warm_ahead=False, **settings)
    km.preload = ["plgdata_langzaam"]
    return km


def test_kernels_being_prepared_wait_while_a_page_is_served(tmp_path):
    """Issue 21 (each step page <= 2 s): preparing a kernel (2 s of a core) competed with the page
    being served on a two-core laptop.  Nothing is prepared before the first page has been served;
    then a kernel still being prepared is paused (its process stopped) while a page is served and
    goes on afterwards; the next page's kernel is not paused when no kernel is ready for it; a page
    that takes a paused kernel gets it running; stopping the app leaves no process behind."""
    import time

    import psutil

    km = _slow_manager(tmp_path, pool_size=3, refill_delay=1.0)
    env = dict(os.environ)

    def pid(task) -> int:
        return km._process(km._kernel_of[task]).pid

    def let_go(task) -> None:
        (tmp_path / f"los-{pid(task)}").touch()

    async def state(task, expected: str) -> str:
        """The process's state once it is ``expected`` (a signal takes effect when the process is next
        scheduled), or what it is after 5 s."""
        deadline = time.monotonic() + 5
        while (found := psutil.Process(pid(task)).status()) != expected and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return found

    async def page() -> str:
        return await km.start_kernel(kernel_name="python3", path="", env=env)

    async def scenario():
        found = {}
        pids = []
        try:
            await asyncio.sleep(0.5)
            found["before_first"] = len(km._pool)  # nothing prepared before the first page
            first = await page()
            found["while_first"] = len(km._pool)
            # then the pool fills one kernel at a time: the next once the one before has imported
            k1 = await _started(km, 1)
            let_go(k1)
            k2 = await _started(km, 2)
            let_go(k2)
            k3 = await _started(km, 3)
            await _until(k2.done, "kernel 2 klaar")
            found["a_got_k1"] = await page() == k1.result()  # page A; k2 is ready for the next page
            found["k3_during_a"] = await state(k3, psutil.STATUS_STOPPED)
            await asyncio.sleep(km.refill_delay + 0.5)
            found["k3_after_a"] = await state(k3, psutil.STATUS_SLEEPING)
            await page()  # page B takes k2: no kernel is ready for the next page, so k3 goes on
            found["k3_during_b"] = await state(k3, psutil.STATUS_SLEEPING)
            await asyncio.sleep(km.refill_delay + 0.5)  # B is drawn: nothing would resume k3 but the page taking it
            # pages asking at the same moment: one may take a kernel another page's pause stopped
            km._pause(km._kernel_of[k3])
            found["k3_paused"] = await state(k3, psutil.STATUS_STOPPED)
            page_c = asyncio.ensure_future(page())
            await asyncio.sleep(0.3)
            found["k3_for_c"] = await state(k3, psutil.STATUS_SLEEPING)
            let_go(k3)
            kernel_c = await asyncio.wait_for(page_c, 60)
            found["c"], found["first"] = await _probe(km, kernel_c), await _probe(km, first)
            # a kernel paused just as its preparation finished, and no pause ending soon: the page
            # taking it does not wait for the pause to end
            k4 = await _started(km, 1)
            let_go(k4)
            await _until(k4.done, "kernel 4 klaar")
            km.refill_delay = 60
            km._pause(k4.result())
            asked = time.monotonic()
            found["d"] = await asyncio.wait_for(_probe(km, await page()), 90)  # the page's kernel answers
            found["d_waited"] = time.monotonic() - asked
            pids = [km._process(k).pid for k in km.list_kernel_ids()]
            for task in km._pool:  # a kernel paused when the app stops
                if task in km._kernel_of:
                    km._pause(km._kernel_of[task])
        finally:
            (tmp_path / "wacht").unlink()
            await km.shutdown_all(now=True)
        found["left"] = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        return found

    found = asyncio.run(scenario())
    assert found["before_first"] == 0 and found["while_first"] == 0
    assert found["a_got_k1"]
    # k3 waits in its import (sleeping) unless it is stopped
    assert found["k3_during_a"] == psutil.STATUS_STOPPED
    assert found["k3_after_a"] == found["k3_during_b"] == psutil.STATUS_SLEEPING
    assert found["k3_paused"] == psutil.STATUS_STOPPED and found["k3_for_c"] == psutil.STATUS_SLEEPING
    assert found["c"]["names"] == found["first"]["names"] and found["c"]["history"] == "False"
    assert len(found["left"]) == 0 and len(found["c"]) == len(PROBE)
    assert found["d_waited"] < 20 and found["d"]["names"] == found["first"]["names"], found["d_waited"]


def test_a_page_waiting_for_a_kernel_that_died_gets_the_next_at_once(tmp_path):
    """A kernel that dies while it is prepared (killed, or failed to start) no longer keeps the page
    that waits for it two minutes (the time-out of a silent kernel): within seconds the page gets the
    next kernel."""
    import time

    import psutil

    km = _slow_manager(tmp_path, pool_size=1, refill_delay=0)
    env = dict(os.environ)

    async def scenario():
        try:
            first = await km.start_kernel(kernel_name="python3", path="", env=env)  # the start page: its own
            k1 = await _started(km, 1)
            doomed = km._kernel_of[k1]
            page = asyncio.ensure_future(km.start_kernel(kernel_name="python3", path="", env=env))
            await asyncio.sleep(0.5)  # the page waits for k1, which is still importing
            psutil.Process(km._process(doomed).pid).kill()
            (tmp_path / "wacht").unlink()  # the next kernel imports at once
            died = time.monotonic()
            kernel = await asyncio.wait_for(page, 90)
            return time.monotonic() - died, kernel != doomed, await _probe(km, kernel), await _probe(km, first)
        finally:
            await km.shutdown_all(now=True)

    waited, other, found, fresh = asyncio.run(scenario())
    assert other and waited < 30, waited  # not the two minutes of a silent kernel
    assert found["names"] == fresh["names"]  # the kernel the page got works and has run nothing
