# Set-up and checks. `make demo` and `make test` each create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEED   ?= 20230701
export HYPOTHESIS_PROFILE ?= ci

.PHONY: demo test lint typecheck layers unit docs-strict schema docs clean messages

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,monitor,sign,docs,serve]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@echo "== attest-rules versions"
	@$(BIN)/attest-rules versions
	@echo
	@echo "== attest-rules evaluate examples/*.yaml (every question, its clause and reasons)"
	@$(BIN)/attest-rules evaluate examples/*.yaml

test: $(VENV)/.installed-test lint typecheck layers unit docs-strict

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks docs/hooks
	$(BIN)/ruff format --check src tests benchmarks docs/hooks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The import-linter contracts in pyproject.toml: the layers, and no cycles.
layers: $(VENV)/.installed-test
	$(BIN)/lint-imports

unit: $(VENV)/.installed-test
	@echo "hypothesis profile: $(HYPOTHESIS_PROFILE), seed: $(SEED)"
	$(BIN)/python -m pytest --hypothesis-seed=$(SEED) $(PYTEST_ARGS)

# The documentation site (MkDocs): `make docs` builds it into site/; `make test` builds it in
# strict mode, so a broken link or a bad API reference fails the tests.
docs: $(VENV)/.installed-test
	$(BIN)/mkdocs build --strict --site-dir site

docs-strict: $(VENV)/.installed-test
	$(BIN)/mkdocs build --strict --quiet --site-dir $(VENV)/site-check

# Regenerate the committed JSON Schemas after changing a pydantic model.
schema: $(VENV)/.installed
	$(BIN)/attest-rules schema spec > spec/regulation.schema.json
	$(BIN)/attest-rules schema calendar > spec/calendar.schema.json
	$(BIN)/attest-rules schema case > spec/case.schema.json
	$(BIN)/attest-rules schema result > spec/result.schema.json
	$(BIN)/attest-rules schema casefile > spec/casefile.schema.json
	$(BIN)/attest-rules schema error > spec/error.schema.json
	$(BIN)/attest-rules schema answers > spec/answers.schema.json
	for name in versions consolidated diff replay verify check term working-day add-working-days \
	    working-days coverage impact form interpretations health messages; do \
	    $(BIN)/attest-rules schema $$name > spec/$$name.schema.json; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis dist build site

# The library's own messages: extract the marked ones, update the kk and ru catalogues, compile
# them (translators edit src/attest_rules/messages/locale/<lang>/LC_MESSAGES/attest_rules.po).
MESSAGES := src/attest_rules/messages
KEYWORDS := -k msg -k said -k nmsg:1,2 -k words -k nwords:1,2 -k tr:2 -k ntr:2,3
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg $(KEYWORDS) --no-default-keywords --sort-by-file \
	    --project attest_rules --copyright-holder "attest_rules authors" \
	    -o $(MESSAGES)/attest_rules.pot src/attest_rules
	$(BIN)/pybabel update -i $(MESSAGES)/attest_rules.pot -d $(MESSAGES)/locale -D attest_rules \
	    --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(MESSAGES)/locale -D attest_rules --statistics
