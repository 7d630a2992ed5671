# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench screenshots clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(BIN)/.installed  ## set up and run one full cycle on the bundled 2022-12-06 court feeds
	$(BIN)/ipwatch demo

test: $(BIN)/.installed-test  ## install test extras, lint, run the suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core crawlers matcher alerts ipwatch
	$(BIN)/pytest

bench: $(BIN)/.installed  ## small benchmark runs; see README for the full sizes
	$(BIN)/python bench/match_bench.py --sizes 1000,10000 --parties 20000 --baseline-parties 200
	$(BIN)/python bench/nationwide.py --courts 8
	$(BIN)/python bench/console_bench.py

screenshots: $(BIN)/.installed-test  ## notice and digest to out/shots/*.png; console pages to docs/img/console/
	SCREENSHOT_DIR=out/shots $(BIN)/pytest tests/test_render_safety.py -k chromium
	$(BIN)/python tests/console_screenshots.py docs/img/console

clean:
	rm -rf $(VENV) data/ipwatch.db* data/out data/matcher-index
