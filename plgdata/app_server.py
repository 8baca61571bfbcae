"""What ``plgdata app`` plugs into Voilà's server: prepared kernels, and a Dutch page for a request without the key.

**Prepared kernels.**
A step page spends most of its time before its first line runs: starting a Python kernel
and importing pandas, scipy, matplotlib and plgdata's forms and analysis (about 3 s of the
page on an idle machine).  :class:`PreparedKernelManager` (Voilà's
``VoilaConfiguration.multi_kernel_manager_class``) keeps ``pool_size`` kernels started
and with those modules imported, and hands one out when a page after the first starts its kernel
(the first, the app's start page, needs little of plgdata and does not wait for one).  The
pool is filled once the first page has been served, one kernel at a time (the next once the one
before has imported) and at a lower priority than the pages, and refilled in the background;
while a page is being served, the kernels still being prepared are paused (their process
stopped), so the page has the computer's two cores to itself (:meth:`PreparedKernelManager._serve_page`).
The app's kernels keep no IPython history (a paused kernel could hold the history file's lock).

Unlike Voilà's own preheated kernels, nothing of a notebook runs before the page is
asked for: a prepared kernel has only *imported* modules, so every page computes its
status and its tables at the moment it is opened, with its own parameters.  A prepared
kernel serves one page only (the page's kernel is stopped when the page closes, as
before).  While it waits, a prepared kernel computes the slow parts of the page it will most
likely serve (the pool hands kernels out in order and a team goes through the steps in order;
:func:`plgdata.app.warm_page`): what is remembered there by what it is computed from (the
exports' preview, the school overview, the evidence and evaluation figures), so the page finds
it drawn when nothing changed since; nothing is saved or shown, and the page computes the rest.  It was started in the folder the page's kernel would start in and with the
server's environment; what Voilà adds for the request (the page's address and the like)
is set in the kernel when it is handed out.  A request whose kernel would differ in
anything else (another kernel, another folder, another environment) gets a new kernel,
as without the pool.  Kernels waiting in the pool are never culled as idle.

**Compiled templates.**  Voilà compiles its page templates for every page again;
:func:`share_compiled_templates` keeps them compiled for the server's lifetime.

**No key.**  A request without the app's token (or the cookie its first request set) is sent
to jupyter_server's login page, which is English and asks for a password.
:class:`DutchIdentityProvider` keeps Voilà's token check and shows a Dutch page instead.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from queue import Empty

import psutil
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Bool, Float, Integer, List, Unicode
from voila.voila_identity_provider import VoilaIdentityProvider, VoilaLoginHandler

from plgdata.app import APP_TEMPLATE, TEMPLATE_ROOT
from plgdata.app_pages import METHODS, method_of, neighbours
from plgdata.io.dialects import builtin_modules

#: what every page imports (a module a page does not use costs memory, not time);
#: matplotlib draws with Agg, as the notebooks' first cell sets it.  Besides what the pages
#: import themselves, the modules plgdata imports only when a function is first called
#: (the readers and dialects, Parquet, statsmodels, the figures): imported on a page they
#: cost 0.3-1 s there (measured on step 0 and 8), here about 0.5 s while no page waits.
PRELOAD = (
    "pandas",
    "ipywidgets",
    "IPython.display",
    "plgdata.app",
    "plgdata.app_pages",
    "plgdata.app_report",
    "plgdata.workflow",
    "plgdata.forms",
    "plgdata.forms.widgets",
    "plgdata.cycle",
    "plgdata.cycle.corrections",
    "plgdata.model.labels",
    "plgdata.analysis.quality",
    "plgdata.analysis.evaluation",
    "plgdata.analysis.hypotheses",
    "plgdata.analysis.intervals",
    "plgdata.io.scores",
    "plgdata.io.scores.preview",
    "plgdata.io.interventions",
    *builtin_modules(),
    "plgdata.plots.estimation",
    "plgdata.plots.evidence",
    "plgdata.reporting.html",
    "plgdata.reporting.suppression",
    "pandera.backends.pandas.register",
    "pandera.backends.pandas.builtin_checks",
    "pyarrow.parquet",
    "openpyxl",
    "python_calamine",
    "statsmodels.api",
    "statsmodels.stats.proportion",
    "statsmodels.stats.power",
    "PIL.PngImagePlugin",
    "matplotlib.pyplot",
)


def preload_code(modules) -> str:
    """The code a prepared kernel runs: imports only, leaving no name in the page's namespace.

    A module that cannot be imported (an optional reader missing from this installation) is
    skipped: the page that needs it says so itself, as without the pool.
    """
    names = ", ".join(repr(m) for m in modules)
    return (
        "def _plgdata_preload():\n"
        "    import importlib\n"
        "    import matplotlib\n"
        "    matplotlib.use('Agg')\n"
        f"    for name in ({names},):\n"
        "        try:\n"
        "            importlib.import_module(name)\n"
        "        except ImportError:\n"
        "            pass\n"
        "_plgdata_preload()\n"
        "del _plgdata_preload\n"
    )


class _CompiledTemplates:
    """Jinja's compiled templates kept in memory for every page (a ``jinja2.BytecodeCache``).

    Voilà makes a new exporter, with a new Jinja environment, for every page: the page template
    and the 12 templates it extends were compiled again each time (0.15 s of every page).  The
    compiled code is reused as long as a template's source is the same (Jinja checks it).
    """

    def __init__(self):
        from jinja2 import BytecodeCache

        class Memory(BytecodeCache):
            def __init__(self):
                self.codes: dict[str, bytes] = {}

            def load_bytecode(self, bucket):
                if bucket.key in self.codes:
                    bucket.bytecode_from_string(self.codes[bucket.key])

            def dump_bytecode(self, bucket):
                self.codes[bucket.key] = bucket.bytecode_to_string()

        self.cache = Memory()


def share_compiled_templates() -> None:
    """Let every page's exporter use one :class:`_CompiledTemplates` (once per server)."""
    from voila.exporter import VoilaExporter

    if getattr(VoilaExporter, "_plgdata_templates", None) is not None:
        return
    shared = _CompiledTemplates().cache
    create = VoilaExporter._create_environment

    def _create_environment(self):
        environment = create(self)
        environment.bytecode_cache = shared
        return environment

    VoilaExporter._create_environment = _create_environment
    VoilaExporter._plgdata_templates = shared


class PageKernelClient(AsyncKernelClient):
    """The kernel client Voilà computes a page with, ready as soon as the kernel has answered.

    jupyter_client's ``wait_for_ready`` ends by reading IOPub until nothing came for 0.2 s:
    0.2 s of every page spent waiting for silence.  This one asks ``kernel_info`` and is ready
    when IOPub brings the kernel's *idle* for that request (the last message the request causes,
    which also shows that IOPub is connected); a missed one (IOPub not yet connected) asks again.
    """

    async def _ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else 60.0)
        while time.monotonic() < deadline:
            msg_id = self.kernel_info()
            try:
                reply = await self._async_recv_reply(msg_id, timeout=1)
            except TimeoutError:
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info") from None
                continue
            self._handle_kernel_info_reply(reply)
            if await self._idle_after(msg_id, wait=0.5):
                return
        raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    async def _idle_after(self, msg_id: str, wait: float) -> bool:
        end = time.monotonic() + wait
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
            ):
                return True
        return False

    wait_for_ready = _ready


class PreparedKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager with ``pool_size`` kernels started and plgdata imported, one per page."""

    pool_size = Integer(2, config=True, help="How many prepared kernels wait for a page.")
    preload = List(Unicode(), list(PRELOAD), config=True, help="The modules a prepared kernel imports.")
    pool_kernel_name = Unicode("python3", config=True, help="The kernel the pages use.")
    prepare_nice = Integer(5, config=True, help="How much lower the priority of a prepared kernel is (0: as the pages' own).")
    start_grace = Float(5.0, config=True, help="Seconds after the server's start before a kernel computes a page ahead.")
    warm_code = Unicode(
        "__import__('plgdata.app', fromlist=['warm_page']).warm_page({page})",
        config=True,
        help="What a prepared kernel runs to compute a page ahead ({page}: the page's name as a Python string).",
    )
    warm_ahead = Bool(True, config=True, help="Let a prepared kernel compute the slow parts of the page it will likely serve.")
    refill_delay = Float(
        1.5, config=True, help="Seconds the kernels being prepared are paused after a page took a kernel (0: no pause)."
    )
    kernel_arguments = List(
        Unicode(),
        ["--HistoryManager.enabled=False"],
        config=True,
        help="What every kernel of the app is started with (no IPython history: see _start).",
    )
    #: the folder (API path, relative to the server's root) the pages' kernels start in
    pool_path = Unicode("", config=True, help="The folder the pages' kernels start in.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._pool: list[asyncio.Task] = []
        self._waiting: set[str] = set()
        #: the page the next page is expected to be (the one after the page opened last)
        self._expected: str | None = METHODS[0].pages[0][0]
        self._started = time.monotonic()
        self._asked = asyncio.Event()
        #: the pool's tasks computing a page ahead, and their kernels
        self._warming: dict[asyncio.Task, str] = {}
        #: the kernel each task of the pool prepares (once started), the ones paused while a page is
        #: served, and when the pause ends
        self._kernel_of: dict[asyncio.Task, str] = {}
        self._paused: set[str] = set()
        #: the pool's tasks whose kernel has imported the modules (ready for a page, perhaps computing ahead)
        self._imported: set[asyncio.Task] = set()
        self._page_served: asyncio.TimerHandle | None = None
        self._pause_all = False
        self._pool_env = dict(os.environ)
        share_compiled_templates()
        #: the first page (the app's start page, which needs little of plgdata) gets a kernel
        #: of its own rather than wait for one importing everything
        self._in_use = False
        # the pool fills one kernel at a time once the first page has been served (see _serve_page)

    # -- the pool ---------------------------------------------------------------------

    def _refill(self) -> None:
        """Prepare a kernel when the pool is short of one, one at a time: the next starts when every
        kernel in the pool has its modules imported (not after it computed a page ahead)."""
        if self.pool_size > len(self._pool) and all(task in self._imported or task.done() for task in self._pool):
            self._add()

    def _add(self) -> None:
        self._pool.append(asyncio.ensure_future(self._prepare()))

    def _serve_page(self, first: bool = False) -> None:
        """A page took a kernel: the kernels being prepared wait ``refill_delay`` seconds for it.

        Preparing a kernel takes about 2 s of one core (its imports), and computing a page ahead a
        few tenths more.  Serving a page takes about as long: its cells, Voilà converting them and
        the browser drawing the widgets.  On a two-core laptop the two competed: a step page opened
        while the pool was still filling took 2 s instead of 1.5 s (step 0, five seconds after the
        start page).  So the kernels being prepared are paused (their process suspended, as
        ``kill -STOP`` does) until the page is drawn; another page opened meanwhile extends the pause.
        Not paused: the kernel the next page will get when no kernel is ready for it (pages opened
        one after another would wait the longer for it), except while the ``first`` page (the app's
        start page, with a kernel of its own) is served.  A page that takes a paused kernel resumes
        it (:meth:`_take`).
        """
        if self.refill_delay <= 0:
            if first:
                self._refill()
            return
        from tornado.ioloop import IOLoop

        self._pause_all = first
        waits = self._to_pause()
        for task in self._pool:
            if task in self._kernel_of:  # the next page's kernel goes on (paused for a page before)
                (self._pause if task in waits else self._resume)(self._kernel_of[task])
        if self._page_served is not None:
            self._page_served.cancel()
        self._page_served = IOLoop.current().call_later(self.refill_delay, self._page_drawn)

    def _to_pause(self) -> list[asyncio.Task]:
        """The pool's kernels being prepared that wait while a page is served (see :meth:`_serve_page`)."""
        preparing = [t for t in self._pool if t in self._kernel_of and not t.done()]
        if preparing and not self._pause_all and not any(t in self._imported or t.done() for t in self._pool):
            return preparing[1:]  # the next page's kernel goes on
        return preparing

    def _page_drawn(self) -> None:
        """The pause for a page is over: the paused kernels go on, and no kernel of the app stays stopped."""
        self._page_served = None
        self._pause_all = False
        for kernel_id in [*self._paused, *self.list_kernel_ids()]:
            self._resume(kernel_id)
        self._refill()  # after the first page: the pool starts filling

    def _process(self, kernel_id: str) -> psutil.Process | None:
        """The kernel's process, or ``None`` when it is gone or not a local process."""
        try:
            process = getattr(self.get_kernel(kernel_id).provisioner, "process", None)
            return None if process is None else psutil.Process(process.pid)
        except (KeyError, psutil.Error):
            return None

    def _pause(self, kernel_id: str) -> None:
        process = self._process(kernel_id)
        if process is None or kernel_id in self._paused:
            return
        try:
            process.suspend()
        except psutil.Error:
            return
        self._paused.add(kernel_id)

    def _resume(self, kernel_id: str) -> None:
        """Let the kernel run again: one this manager paused, or any of its kernels found stopped.

        Checked by the process's state, not only by the record of pauses: a kernel that stays
        stopped by any slip would keep its page waiting without end.
        """
        process = self._process(kernel_id)
        try:
            if process is not None and (kernel_id in self._paused or process.status() == psutil.STATUS_STOPPED):
                process.resume()
        except psutil.Error:
            pass
        self._paused.discard(kernel_id)

    # -- computing ahead for the expected page ---------------------------------------------

    async def _start_page_served(self) -> None:
        """Wait with computing ahead until the start page has been served (``start_grace`` seconds
        after the server started) or a step page asks for a kernel, whichever comes first.

        The first prepared kernel is ready while the browser still draws the start page; computing
        step 0 ahead then (0.4 s of a core) competed with the start page.
        """
        left = self._started + self.start_grace - time.monotonic()
        if left > 0 and not self._asked.is_set():
            try:
                await asyncio.wait_for(self._asked.wait(), left)
            except TimeoutError:
                pass

    def _page_ahead(self) -> str | None:
        """The page the kernel being prepared will most likely serve.

        A team goes through the steps in order and the pool hands its kernels out first in, first
        out: the first waiting kernel is for the page after the one opened last, the second for the
        page after that, and so on.  ``None`` when a page already waits for this kernel (pages opened
        faster than kernels are prepared): it gets the kernel as soon as the imports are done.
        """
        me = asyncio.current_task()
        place = next((i for i, task in enumerate(self._pool) if task is me), None)
        if place is None:  # a page has already taken this kernel and waits for it: no head start
            return None
        page = self._expected
        for _ in range(place):
            if page is None:
                break
            after = neighbours(page)[1]
            page = after[0] if after else None
        return page

    def _expect_after(self, kwargs: dict) -> None:
        """The page after the one being opened (from the request's address Voilà passes to the kernel)."""
        page = str((kwargs.get("env") or {}).get("SCRIPT_NAME", "")).rsplit("/", 1)[-1]
        try:
            method_of(page)
        except StopIteration:  # the start page or an unknown one: the team starts at step 0
            self._expected = METHODS[0].pages[0][0]
            return
        after = neighbours(page)[1]
        self._expected = after[0] if after else None

    async def _prepare(self) -> str:
        """Start a kernel, import the modules, compute the coming page ahead (the next kernel is
        started once the modules are imported)."""
        kernel_id = await self._start(kernel_name=self.pool_kernel_name, path=self.pool_path, env=self._pool_env)
        self._lower_priority(kernel_id)
        me = asyncio.current_task()
        self._kernel_of[me] = kernel_id
        me.add_done_callback(self._forget)
        if self._page_served is not None and me in self._to_pause():  # started while a page is served
            self._pause(kernel_id)
        self._waiting.add(kernel_id)
        try:
            await self._execute(kernel_id, preload_code(self.preload))
        except Exception:
            self.log.warning("plgdata: een voorbereide kernel kon de modules niet laden; een pagina start een nieuwe")
            self._waiting.discard(kernel_id)
            await self.shutdown_kernel(kernel_id, now=True)
            raise  # and no next one: a kernel that failed to prepare is not retried until a page asks again
        self._imported.add(me)
        self._refill()
        if self.warm_ahead:
            await self._start_page_served()
        page = self._page_ahead() if self.warm_ahead else None
        if page is not None:
            me = asyncio.current_task()
            self._warming[me] = kernel_id
            try:  # a head start only: the page computes everything itself (binding no name in its namespace)
                await self._execute(kernel_id, self.warm_code.format(page=repr(page)))
            except Exception:  # noqa: BLE001 - failed, or interrupted because a page asked for the kernel
                self.log.debug("plgdata: vooruitrekenen voor %s gestopt", page)
            finally:
                self._warming.pop(me, None)
        return kernel_id

    def _forget(self, task: asyncio.Task) -> None:
        self._kernel_of.pop(task, None)
        self._imported.discard(task)

    async def _stop_warming(self, task: asyncio.Task, tries: int = 40) -> None:
        """A page asks for a kernel still computing ahead: interrupt that (the page computes it anyway).

        An interrupt that reaches the kernel just before the head start begins is lost (an idle
        kernel ignores it), so it is sent again every half second until the head start has stopped.
        """
        kernel_id = self._warming.get(task)
        for _ in range(tries):
            if kernel_id is None or task.done():
                return
            try:
                await self.interrupt_kernel(kernel_id)
                await asyncio.wait_for(asyncio.shield(task), 0.5)
            except TimeoutError:
                continue
            except Exception:  # noqa: BLE001 - then the page waits until it is done
                return

    def _lower_priority(self, kernel_id: str) -> None:
        """Run a kernel being prepared after the page being served (its cells, Voilà, the browser).

        The kernel keeps the lower priority when a page takes it (only an administrator may raise
        it again): on an idle computer that costs nothing; the page's kernel then shares a core
        equally with the next kernel being prepared (as without the lower priority), while Voilà
        and the browser drawing the page go first.  Under other load (another program busy) a
        kernel takes longer to prepare.
        """
        process = getattr(self.get_kernel(kernel_id).provisioner, "process", None)
        if self.prepare_nice <= 0 or process is None or not hasattr(os, "setpriority"):
            return
        try:
            os.setpriority(os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, process.pid) + self.prepare_nice)
        except OSError:
            pass

    async def _execute(self, kernel_id: str, code: str, timeout: float = 120) -> None:
        """Run ``code`` silently in the kernel and wait for its reply (an error raises).

        Only the shell channel: a request waits there until the kernel listens, and no
        output is read (the page's own client connects later).  A kernel that has died (one
        that failed to start, or was killed) raises within a second, not after ``timeout``:
        a page waiting for it then gets the next kernel.
        """
        kernel = self.get_kernel(kernel_id)
        client = kernel.client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + timeout
            while True:
                try:
                    reply = await client.get_shell_msg(timeout=1)
                except Empty:
                    if not await kernel.is_alive():
                        raise RuntimeError("kernel died") from None
                    if time.monotonic() > deadline:
                        raise
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"]["status"] != "ok":
                raise RuntimeError(reply["content"].get("ename", "error"))
        finally:
            client.stop_channels()

    def _fits(self, path, kwargs: dict) -> bool:
        """A prepared kernel serves this request: same kernel, same folder, the server's environment kept."""
        env = kwargs.get("env") or {}
        same_env = all(env.get(k) == v for k, v in self._pool_env.items())
        extra = set(kwargs) - {"kernel_name", "env"}
        return (
            not extra
            and kwargs.get("kernel_name", self.pool_kernel_name) == self.pool_kernel_name
            and self.cwd_for_path(path or "") == self.cwd_for_path(self.pool_path)
            and same_env
        )

    async def _take(self, kwargs: dict) -> str | None:
        """A prepared kernel with the request's own environment variables set, or ``None``."""
        while self._pool:
            task = self._pool.pop(0)
            if task in self._kernel_of:  # paused for the page before: this page needs it now
                self._resume(self._kernel_of[task])
            await self._stop_warming(task)
            try:
                kernel_id = await task
            except Exception:
                self._refill()
                continue
            self._resume(kernel_id)  # also one paused while its head start ended (a finished task)
            self._waiting.discard(kernel_id)
            if kernel_id not in self:  # stopped meanwhile
                self._refill()
                continue
            env = kwargs.get("env") or {}
            added = {str(k): str(v) for k, v in env.items() if self._pool_env.get(k) != v}
            try:
                if added:
                    await self._execute(
                        kernel_id, f"__import__('os').environ.update(__import__('json').loads({json.dumps(added)!r}))"
                    )
            except Exception:
                self.log.warning("plgdata: een voorbereide kernel nam de omgeving van de pagina niet over; een nieuwe start")
                await self.shutdown_kernel(kernel_id, now=True)
                self._refill()
                continue
            self.get_kernel(kernel_id).last_activity = utcnow()
            self._expect_after(kwargs)
            self._refill()
            self._serve_page()
            return kernel_id
        return None

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs) -> str:
        if not self._in_use:  # the first page: a kernel of its own; the pool starts filling after it
            self._in_use = True
            try:
                return await self._start(kernel_id=kernel_id, path=path, **kwargs)
            finally:  # from the kernel's start on: it still imports, computes and is drawn
                self._serve_page(first=True)
        if kernel_id is None and self._fits(path, kwargs):
            self._asked.set()
            asked = time.monotonic()
            prepared = await self._take(kwargs)
            if prepared is not None:
                self.log.info("plgdata: pagina krijgt voorbereide kernel %s na %.2f s", prepared, time.monotonic() - asked)
                return prepared
        return await self._start(kernel_id=kernel_id, path=path, **kwargs)

    async def _start(self, **kwargs) -> str:
        """Start a kernel with ``kernel_arguments``: without IPython's history database.

        Every kernel writes its start (and its cells) into one SQLite file in the user's
        ``~/.ipython``; a kernel paused while a page is served (:meth:`_serve_page`) could hold
        that file's lock, and another page's kernel would wait for it until the pause ends.
        Nothing of a page needs the history (and no page's code is kept on disk).
        """
        kwargs.setdefault("extra_arguments", list(self.kernel_arguments))
        return await super().start_kernel(**kwargs)

    async def shutdown_all(self, now=False):
        """Stop every kernel, the prepared ones too, and prepare no more."""
        self.pool_size = 0
        if self._page_served is not None:
            self._page_served.cancel()
            self._page_served = None
        self._pause_all = False
        for kernel_id in list(self._paused):  # a paused kernel could not stop itself
            self._resume(kernel_id)
        pending, self._pool = self._pool, []
        for task in pending:
            try:
                await task
            except Exception:
                pass
        self._waiting.clear()
        await super().shutdown_all(now=now)

    def waiting_kernels(self) -> set[str]:
        """The prepared kernels no page has taken yet (they are never culled as idle)."""
        return set(self._waiting)

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id in self._waiting:  # waiting for a page is not idleness
            return
        await super().cull_kernel_if_idle(kernel_id)


# -- a request without the key --------------------------------------------------------

#: what a request without the token sees (Dutch, nothing of the app in it)
NO_KEY_PAGE = TEMPLATE_ROOT / "voila" / "templates" / APP_TEMPLATE / "login.html"


class DutchLoginHandler(VoilaLoginHandler):
    """jupyter_server's login page in Dutch: how to open the app with its key, and no form.

    Only the page changes: who is let in is decided by the identity provider as before (the
    token in the address or the cookie it set; a posted token is checked as before).
    """

    def _render(self, message=None):
        self.set_status(401 if message else 403)
        self.set_header("Cache-Control", "no-store")
        self.write(NO_KEY_PAGE.read_text(encoding="utf-8"))


class DutchIdentityProvider(VoilaIdentityProvider):
    """Voilà's token check with :class:`DutchLoginHandler` as its login page."""

    def get_handlers(self) -> list:
        return [(route, DutchLoginHandler if route == r"/login" else handler) for route, handler in super().get_handlers()]
