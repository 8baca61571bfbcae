"""Executing notebooks: one kernel for several notebooks, so imports happen once.

A team runs the notebooks one by one (each in its own kernel).  When plgdata itself
runs many notebooks in a row — the demo, a batch of reports — starting a kernel and
importing pandas, matplotlib and statsmodels for every notebook costs more than the
work.  :class:`KernelSession` starts one kernel, and before each notebook clears the
namespace (``%reset -f``) and changes to the notebook's folder, so every notebook
still starts from its own parameters and imports.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

#: a kernel's sockets live in a private folder ``plgdata-kernel-*/kernel-*`` (removed at shutdown)
KERNEL_FOLDER_PREFIX = "plgdata-kernel-"
KERNEL_SOCKET = "kernel"


def new_kernel_manager(kernel_name: str = "python3"):
    """A kernel manager on local (IPC) sockets in a private temporary folder.

    jupyter_client's default TCP transport picks free ports by binding and releasing
    them, so two kernels started at the same moment can race for a port and one dies
    ("Kernel died before replying to kernel_info").  Unix sockets have no ports.

    The manager is asynchronous: nbclient then waits for kernel messages without
    blocking its event loop, so it notices a kernel that died (a blocking client
    would wait for the dead kernel's next message for ever).
    """
    from jupyter_client.manager import AsyncKernelManager

    folder = tempfile.mkdtemp(prefix=KERNEL_FOLDER_PREFIX)
    return AsyncKernelManager(kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, KERNEL_SOCKET))


def shutdown_kernel_manager(km) -> None:
    """Stop the kernel (if running) and remove its socket folder."""
    from jupyter_core.utils import run_sync

    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    finally:
        folder = os.path.dirname(str(km.ip))
        if km.transport == "ipc" and os.path.basename(folder).startswith(KERNEL_FOLDER_PREFIX):
            shutil.rmtree(folder, ignore_errors=True)


def execute_fresh(
    notebook, output, parameters: dict | None = None, *, cwd=None, kernel_name: str = "python3", timeout: int | None = None
):
    """papermill in a fresh kernel (on IPC sockets); returns the executed notebook node."""
    import papermill as pm

    km = new_kernel_manager(kernel_name)
    try:
        return pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters or {},
            kernel_name=kernel_name,
            cwd=str(cwd) if cwd else None,
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            km=km,
        )
    finally:
        shutdown_kernel_manager(km)


class KernelSession:
    """One running kernel that executes notebooks one after another.

    Examples
    --------
    >>> with KernelSession() as k:                                 # doctest: +SKIP
    ...     nb = k.run("notebooks/rapporten/trendanalyse.ipynb", {"werkmap": "..."})
    """

    def __init__(self, kernel_name: str = "python3", timeout: int = 600):
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.km = None
        self.kc = None  # one client for every notebook: a new client waits 0.2 s for the kernel each time

    def __enter__(self) -> KernelSession:
        from jupyter_core.utils import run_sync

        self.km = new_kernel_manager(self.kernel_name)
        try:
            run_sync(self.km.start_kernel)()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                shutdown_kernel_manager(self.km)
            finally:
                self.kill()  # anything the kernel started, and a kernel that ignored the shutdown

    def _client(self, notebook):
        """A ``NotebookClient`` for ``notebook`` on this kernel, with the session's one kernel client.

        nbclient otherwise starts a kernel client per notebook, whose ``wait_for_ready`` listens
        0.2 s for stray messages (and is never stopped when the kernel manager is not its own).
        """
        from jupyter_core.utils import run_sync
        from nbclient import NotebookClient

        if self.kc is None:
            kc = self.km.client()
            kc.start_channels()
            run_sync(kc.wait_for_ready)(timeout=self.timeout)
            kc.allow_stdin = False
            self.kc = kc
        client = NotebookClient(notebook, km=self.km, timeout=self.timeout, kernel_name=self.kernel_name, allow_errors=False)
        client.kc = self.kc
        return client

    def pid(self) -> int | None:
        """Process id of the kernel (None before it started)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def alive(self) -> bool:
        """True while the kernel runs."""
        from jupyter_core.utils import run_sync

        try:
            return self.km is not None and bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001 - a half-dead kernel manager counts as dead
            return False

    def kill(self) -> None:
        """Stop the kernel at once with SIGKILL, with every process it started.

        jupyter_client starts a kernel in a new session, so its process group holds
        the kernel and its children; a kernel that ignores SIGTERM stops all the same.
        """
        pid = self.pid()
        if not pid:
            return
        try:
            group = os.getpgid(pid)
            if group == pid and group != os.getpgrp():
                os.killpg(group, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def run(self, notebook: str | Path, parameters: dict | None = None, cwd: str | Path | None = None):
        """Execute ``notebook`` with papermill-style parameters; returns the executed node.

        Raises ``nbclient.exceptions.CellExecutionError`` when a cell fails.
        """
        import nbformat
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        path = Path(notebook)
        nb = load_notebook_node(str(path))
        if parameters:
            nb = parameterize_notebook(nb, parameters, kernel_name=self.kernel_name, language="python")
        # after the reset's full garbage collection, what is still alive (the imported libraries) is frozen:
        # the next notebook's reset then scans only the objects made since, not all of pandas again
        setup = nbformat.v4.new_code_cell(
            "get_ipython().run_line_magic('reset', '-f')\nimport gc as _plg_gc\n_plg_gc.freeze()\ndel _plg_gc\n"
            f"import os as _plg_os\n_plg_os.chdir({str(Path(cwd or path.parent).resolve())!r})\ndel _plg_os"
        )
        nb.cells.insert(0, setup)
        self._client(nb).execute()
        nb.cells.pop(0)
        return nb

    def run_code(self, code: str) -> None:
        """Run a snippet in the kernel (e.g. to import libraries while waiting)."""
        import nbformat

        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(code))
        self._client(nb).execute()
