# plgdata — two commands: `make demo` (install + run the sample cycle) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test install install-test benchmark clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (plgdata)" >/dev/null
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)
install-test: $(TSTAMP)

demo: $(STAMP)
	$(BIN)/plgdata demo --out reports
	@echo ""
	@echo "Verder zonder code: $(BIN)/plgdata app   (de cyclus als webpagina met formulieren, alleen op deze computer)"
	@echo "De voorbeeldcyclus van de demo bekijken: $(BIN)/plgdata app --werkmap <werkgegevens>/gegevens --cyclus <werkgegevens>/cyclus_begrijpend_lezen.yaml"
	@echo "  (<werkgegevens> is de map die de demo hierboven noemt bij 'Werkgegevens': buiten reports/, want reports/ deel je met het team)"
	@echo "Of in JupyterLab (Nederlands): $(BIN)/plgdata lab"

# the browser test needs Debian's Chromium; as root we install it, otherwise we say how
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Installeer eerst Chromium: sudo apt-get install chromium"; exit 1; fi; }

test: $(TSTAMP) chromium
	$(BIN)/ruff check plgdata tests benchmarks
	$(BIN)/ruff format --check plgdata tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_read.py
	$(BIN)/python benchmarks/bench_xlsx.py
	$(BIN)/python benchmarks/bench_spread.py
	$(BIN)/python benchmarks/bench_stats.py
	$(BIN)/python benchmarks/bench_demo.py
	$(BIN)/python benchmarks/bench_privacy.py
	$(BIN)/python benchmarks/bench_app.py

clean:
	rm -rf $(VENV) reports/*.html reports/*.xlsx
