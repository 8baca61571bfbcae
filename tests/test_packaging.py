"""A plain (not editable) ``pip install .`` carries everything ``plgdata demo`` needs.

The notebooks and the sample school are package data (``plgdata/notebooks`` and
``plgdata/sample/voorbeeldschool`` are links to the repository's ``notebooks/`` and
``data/sample/`` in the source tree and real files in the wheel).  The test installs the
package into a fresh virtual environment and runs the demo from an unrelated folder.  To keep
it offline and fast, the fresh environment borrows the already installed *dependencies* through
a path file (and their data files through JUPYTER_PATH); plgdata itself is the freshly built, non-editable copy (asserted).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _site_packages(prefix: Path) -> Path:
    return Path(sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)}))


def test_pip_install_then_demo_from_another_folder(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    fresh_site = _site_packages(env_dir)
    deps_site = Path(sysconfig.get_paths()["purelib"])
    # a plain path line: the dependencies' folder joins sys.path, its .pth files (the editable
    # install of plgdata among them) are not processed
    (fresh_site / "zz_plgdata_test_dependencies.pth").write_text(str(deps_site) + "\n", encoding="utf-8")
    py = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # the borrowed dependencies' data files (nbconvert's base templates) live under their prefix
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(fresh_site), str(REPO)],
        check=True,
        env=env,
        cwd=tmp_path,
        capture_output=True,
    )
    where = subprocess.run(
        [str(py), "-c", "import plgdata; print(plgdata.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(fresh_site), where
    assert not (fresh_site / "plgdata" / "notebooks").is_symlink()
    # the notebooks' kernel must be the fresh environment's python too (the borrowed "python3"
    # kernel would import the developer's editable plgdata): a kernelspec of its own, found first
    subprocess.run(
        [str(py), "-m", "ipykernel", "install", "--prefix", str(env_dir), "--name", "python3"],
        check=True,
        env=env,
        cwd=tmp_path,
        capture_output=True,
    )
    env["JUPYTER_PATH"] = os.pathsep.join([str(env_dir / "share" / "jupyter"), env["JUPYTER_PATH"]])

    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    out = tmp_path / "rapporten"
    run = subprocess.run(
        [str(py), "-m", "plgdata", "demo", "--out", str(out)], env=env, cwd=elsewhere, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    reports = sorted(p.name for p in out.glob("*.html"))
    assert "index.html" in reports
    assert {"trendanalyse.html", "cyclusrapport_begrijpend_lezen.html"} <= set(reports)
    assert len(reports) >= 12
    assert "stap 8" in run.stdout
