# The course's commands. Each one creates the virtual environment and installs what is missing.
#   make lab      set everything up and open JupyterLab on notebooks/
#   make test     unit tests + every notebook re-executed and validated with nbval (quick profile, offline)
#                 + every notebook again with seed 1, strictly (OTHER_SEEDS=)
#                 + every notebook in the full profile capped at FULL_SMOKE training steps per run, not strict
#                 (FULL_SMOKE=; executed copies in test-artifacts/full-capped)
#                 + the widgets in JupyterLab in headless Chromium (tests/test_browser.py installs Debian's
#                 chromium with apt-get when it is missing; screenshots and latencies in test-artifacts/browser)
#   make course   execute every notebook in place, headless (GANLAB_PROFILE picks the profile)
#   make figures  regenerate figures/ from the notebooks' code (NB="05 06" for some; GANLAB_PROFILE picks the profile)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8888
NB ?=

.PHONY: lab test unit notebooks course figures bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt -e '.[lab]'
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ganlab)" >/dev/null
	touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(if $(filter 0,$(shell id -u)),--allow-root,)

# The test command: quick profile, strict checklists, no downloads; every notebook also re-executed
# strictly with the other seed(s) in OTHER_SEEDS (tests/test_notebook_runs.py).
# Every notebook also runs in the full profile with at most FULL_SMOKE training steps per run (the full
# profile's sizes, widgets and figures, on the CPU; results not checked).
# JOBS workers (pytest-xdist, --dist loadscope: a notebook's cells stay together) with one thread each:
# on 2 cores, two notebooks at a time on one thread each do more work per second than one notebook on
# two threads (small ops scale poorly across threads).
OTHER_SEEDS ?= 1
FULL_SMOKE ?= 2
JOBS ?= 2
test: $(STAMP)
	GANLAB_PROFILE=quick GANLAB_STRICT=1 GANLAB_OFFLINE=1 MPLBACKEND=Agg GANLAB_FIGURES=$(CURDIR)/test-artifacts/figures \
	  GANLAB_OTHER_SEEDS=$(OTHER_SEEDS) GANLAB_FULL_SMOKE=$(FULL_SMOKE) OMP_NUM_THREADS=1 \
	  $(PY) -m pytest -q -n $(JOBS) --dist loadscope tests notebooks --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=900 -p no:cacheprovider --ignore=notebooks/src

unit: $(STAMP)
	GANLAB_PROFILE=quick GANLAB_STRICT=1 GANLAB_OFFLINE=1 MPLBACKEND=Agg $(PY) -m pytest -q tests -p no:cacheprovider

course: $(STAMP)
	$(PY) tools/course.py build $(NB)

figures: $(STAMP)
	$(PY) tools/figures.py $(NB)

bench: $(STAMP)
	$(PY) benchmarks/loop_overhead.py
	$(PY) benchmarks/seed_sweep.py
	$(PY) benchmarks/full_profile_cost.py

clean:
	rm -rf $(VENV)
