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
import tempfile
from pathlib import Path


def new_kernel_manager(kernel_name: str = "python3"):
    """A kernel manager on local (IPC) sockets in a private temporary folder.

    jupyter_client's default TCP transport picks free ports by binding and releasing
    them, so two kernels started at the same moment can race for a port and one dies
    ("Kernel died before replying to kernel_info").  Unix sockets have no ports.
    """
    from jupyter_client.manager import KernelManager

    folder = tempfile.mkdtemp(prefix="plgdata-kernel-")
    km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "kernel"))
    km._plgdata_folder = folder
    return km


def shutdown_kernel_manager(km) -> None:
    """Stop the kernel (if running) and remove its socket folder."""
    try:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    finally:
        shutil.rmtree(getattr(km, "_plgdata_folder", ""), ignore_errors=True)


def execute_fresh(notebook, output, parameters: dict | None = None, *, cwd=None, kernel_name: str = "python3", timeout: int | None = None):
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

    def __enter__(self) -> "KernelSession":
        self.km = new_kernel_manager(self.kernel_name)
        self.km.start_kernel()
        return self

    def __exit__(self, *exc) -> None:
        if self.km is not None:
            shutdown_kernel_manager(self.km)

    def run(self, notebook: str | Path, parameters: dict | None = None, cwd: str | Path | None = None):
        """Execute ``notebook`` with papermill-style parameters; returns the executed node.

        Raises ``nbclient.exceptions.CellExecutionError`` when a cell fails.
        """
        import nbformat
        from nbclient import NotebookClient
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        path = Path(notebook)
        nb = load_notebook_node(str(path))
        if parameters:
            nb = parameterize_notebook(nb, parameters, kernel_name=self.kernel_name, language="python")
        setup = nbformat.v4.new_code_cell(
            "get_ipython().run_line_magic('reset', '-f')\n"
            f"import os as _plg_os\n_plg_os.chdir({str(Path(cwd or path.parent).resolve())!r})\ndel _plg_os"
        )
        nb.cells.insert(0, setup)
        client = NotebookClient(nb, km=self.km, timeout=self.timeout, kernel_name=self.kernel_name, allow_errors=False)
        client.execute()
        nb.cells.pop(0)
        return nb

    def run_code(self, code: str) -> None:
        """Run a snippet in the kernel (e.g. to import libraries while waiting)."""
        kc = self.km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            kc.execute_interactive(code, timeout=self.timeout, output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
