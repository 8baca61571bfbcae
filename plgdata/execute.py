"""Executing notebooks: one kernel for several notebooks, so imports happen once.

A team runs the notebooks one by one (each in its own kernel).  When plgdata itself
runs many notebooks in a row — the demo, a batch of reports — starting a kernel and
importing pandas, matplotlib and statsmodels for every notebook costs more than the
work.  :class:`KernelSession` starts one kernel, and before each notebook clears the
namespace (``%reset -f``) and changes to the notebook's folder, so every notebook
still starts from its own parameters and imports.
"""

from __future__ import annotations

from pathlib import Path


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
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name=self.kernel_name)
        self.km.start_kernel()
        return self

    def __exit__(self, *exc) -> None:
        if self.km is not None and self.km.has_kernel:
            self.km.shutdown_kernel(now=True)

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
