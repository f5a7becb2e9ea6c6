# ARNet: `make run` serves the embedded default; `make test` runs the whole suite. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The exact versions installed, resolved from setup.cfg by `make lock`.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
NODE_STAMP := node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help install install-dev lock run test lint db demo system-deps translations i18n-extract i18n-check bench screenshots clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): setup.cfg pyproject.toml $(RUNTIME_LOCK)
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(RUNTIME_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) $(DEV_LOCK)
	$(PY) -m pip install --quiet -r $(DEV_LOCK)
	touch $(DEV_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --omit=dev
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP) translations ## Create .venv with what serving needs (the locked runtime set)

install-dev: install $(DEV_STAMP) ## Add the locked test and development tools to .venv

lock: install-dev ## Re-resolve setup.cfg into requirements/*.txt (then review and commit the diff)
	$(VENV)/bin/uv pip compile setup.cfg --python-version 3.11 --quiet --upgrade -o $(RUNTIME_LOCK)
	$(VENV)/bin/uv pip compile setup.cfg --python-version 3.11 --quiet --extra test --extra dev \
		--constraint $(RUNTIME_LOCK) -o $(DEV_LOCK)

translations: $(STAMP) ## Compile the message catalogs (.mo files are never committed)
	@if ls network/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(VENV)/bin/pybabel -q compile -d network/translations; fi

i18n-extract: $(STAMP) ## Extract messages and merge them into every catalog
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ -k _l -k lazy_pgettext:1c,2 -k N_p:1c,2 -o network/translations/messages.pot network templates
	for locale in ar zh fr ru es; do \
		if [ -f network/translations/$$locale/LC_MESSAGES/messages.po ]; then \
			$(VENV)/bin/pybabel -q update -i network/translations/messages.pot -d network/translations -l $$locale --no-fuzzy-matching; \
		else \
			$(VENV)/bin/pybabel -q init -i network/translations/messages.pot -d network/translations -l $$locale; \
		fi; \
	done

i18n-check: $(STAMP) ## Fail when a catalog misses or has fuzzy entries, or a template holds a literal
	$(PY) -m network.i18n_check

db: install ## Apply the database migrations and load the reference States (both idempotent)
	$(FLASK) db upgrade
	$(FLASK) network sync-states

demo: db ## Load the demo directory and users (idempotent)
	$(FLASK) network seed-demo

run: demo ## Set everything up and serve ARNet on http://127.0.0.1:5000
	@echo
	@echo "ARNet is starting on http://$${ARNET_HOST:-127.0.0.1}:$${ARNET_PORT:-5000}"
	@echo "Sign in as any demo user above with the demo password shown (the sign-in page lists them too)."
	@echo
	ARNET_ENV=$${ARNET_ENV:-development} $(PY) wsgi.py

system-deps: ## Install Debian's Chromium, fonts and nginx for the browser and deployment tests, where missing
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v nginx >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk nginx-light >/dev/null; \
	fi

test: install-dev system-deps i18n-check ## Check the import contracts, then run the whole test suite
	$(VENV)/bin/lint-imports --no-logo
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev ## ruff, mypy and the import contracts (setup.cfg [importlinter])
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo

screenshots: install-dev system-deps ## Write PNGs of the main pages in English and Arabic to screenshots/
	$(PY) -m tests.browser.screenshots screenshots

bench: install ## Run the benchmarks and write bench/results/latest.md
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run_all.py

clean: ## Remove the virtualenv, node_modules and the embedded database
	rm -rf $(VENV) node_modules instance
