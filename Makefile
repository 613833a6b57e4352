# virt: see README.md.  Every target installs what it needs first (Debian
# packages through apt, Python packages into .venv), so a fresh Debian 12
# machine needs nothing but `make`.

PYTHON    ?= python3
VENV      := .venv
PY        := $(VENV)/bin/python
# libvirt 12.8.0's API XML (Debian sid) is what the facts are made from.
FACTS     := tools/api/libvirt-12.8.0.json
# The official binding (the compat layer's oracle) and the facts read from it.
ORACLE    := libvirt-python==12.8.0
PYFACTS   := tools/api/libvirt-python-12.8.0.json
SID_API   := build/libvirt-sid/usr/share/libvirt/api

DEMO_DEBS := libvirt0 python3-venv
TEST_DEBS := $(DEMO_DEBS) libvirt-dev libvirt-clients libvirt-daemon \
             libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils \
             python3-typing-extensions pkg-config

# The version-skew tier: older and newer libvirt client libraries, unpacked
# from other Debian suites without being installed.
SKEW      := build/libvirt-7.0/.unpacked build/libvirt-11.3/.unpacked
# The Python documentation's inventory, for intersphinx without docs.python.org.
PY_INVENTORY := build/python-doc/usr/share/doc/python3.11/html/objects.inv

.PHONY: demo test test-skew test-py39 test-interpreters lint docs generate check-generated facts \
        pyfacts ci clean bench

demo: $(VENV)/.demo
	$(PY) -m virt

# The oldest Python supported, when the machine has it (pyenv's 3.9 here).
PYTHON39  ?= $(firstword $(wildcard /root/.pyenv/versions/3.9*/bin/python /usr/bin/python3.9))

test: $(VENV)/.dev $(VENV)/.oracle $(SKEW) $(PY_INVENTORY)
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-skew
	$(MAKE) --no-print-directory test-py39

test-py39:
	@if [ -z "$(PYTHON39)" ]; then echo "== no Python 3.9 here: tier skipped"; exit 0; fi; \
	test -x build/venv39/bin/python || $(PYTHON39) -m venv build/venv39; \
	build/venv39/bin/python -m pip install -q pytest pytest-timeout typing_extensions; \
	echo "== in-process tests under $$(build/venv39/bin/python -V)"; \
	build/venv39/bin/python -m pytest -m "not daemon and not oracle" -p no:cacheprovider \
	    --deselect tests/test_events.py::test_mypy_rejects_a_callback_for_another_event \
	    --deselect tests/test_aio_api.py::test_mypy_checks_async_code_as_strictly \
	    --ignore tests/test_typing.py --ignore tests/test_docs_reference.py

# The other CPython releases supported, where pyenv has them, and PyPy: the
# in-process suite under each (not part of `make test` yet: see CHANGELOG).
PYTHONS   ?= $(wildcard /root/.pyenv/versions/3.10*/bin/python /root/.pyenv/versions/3.12*/bin/python \
                        /root/.pyenv/versions/3.13*/bin/python /usr/bin/pypy3)

test-interpreters: $(VENV)/.dev
	@status=0; for python in $(PYTHONS); do \
	    venv=build/venv-$$($$python -c 'import sys; print(sys.implementation.name + "%d.%d" % sys.version_info[:2])'); \
	    test -x $$venv/bin/python || $$python -m venv $$venv; \
	    $$venv/bin/python -m pip install -q pytest pytest-timeout typing_extensions; \
	    echo "== in-process tests under $$($$venv/bin/python -V 2>&1 | head -n 1)"; \
	    $$venv/bin/python -m pytest -m "not daemon" -p no:cacheprovider -q \
	        --deselect tests/test_events.py::test_mypy_rejects_a_callback_for_another_event \
	        --ignore tests/test_typing.py --ignore tests/test_docs_reference.py || status=1; \
	done; exit $$status

test-skew: $(VENV)/.dev $(SKEW)
	for dir in build/libvirt-7.0 build/libvirt-11.3; do \
	    lib=$$(find $$dir -name libvirt.so.0 | head -n 1); \
	    echo "== in-process tests against $$lib"; \
	    VIRT_LIBVIRT_LIBRARY=$$PWD/$$lib $(PY) -m pytest -m "not daemon and not oracle" \
	        --ignore tests/test_typing.py --ignore tests/test_docs_reference.py || exit 1; \
	done

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

docs: $(VENV)/.docs $(PY_INVENTORY)
	$(VENV)/bin/sphinx-build -q -n -W -b html docs docs/_build/html

$(PY_INVENTORY):
	tools/fetch-libvirt.sh bookworm python3.11-doc build/python-doc

# Ratios against the official binding (libvirt-python), each measured in one run.
bench: $(VENV)/.oracle
	for bench in benchmarks/bench_*.py; do echo "== $$bench"; $(PY) $$bench || exit 1; done

generate:
	$(PYTHON) tools/generate.py

check-generated:
	$(PYTHON) tools/generate.py --check

# Refresh the API facts from libvirt-dev 12.8.0 in Debian sid.
facts:
	tools/fetch-libvirt.sh sid libvirt-dev build/libvirt-sid
	$(PYTHON) tools/apifacts.py $(SID_API) $(FACTS)
	$(PYTHON) tools/generate.py

# Refresh the facts about the official binding (names, parameters, C calls).
pyfacts: $(VENV)/.oracle
	$(PY) tools/pyfacts.py $(PYFACTS)

ci: test lint check-generated docs

clean:
	rm -rf build $(VENV) .mypy_cache .ruff_cache .pytest_cache

$(VENV)/.debs-demo:
	tools/ensure-debs.sh $(DEMO_DEBS)
	@mkdir -p $(VENV) && touch $@

$(VENV)/.debs-test:
	tools/ensure-debs.sh $(TEST_DEBS)
	@mkdir -p $(VENV) && touch $@

$(VENV)/bin/python: | $(VENV)/.debs-demo
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.demo: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.debs-test | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The official binding, compiled against the system's libvirt-dev: the oracle of
# the compat layer's differential tests (never in the version-skew tiers), and
# what the migration guide's "before" examples run with.
$(VENV)/.oracle: $(VENV)/.dev
	tools/ensure-debs.sh gcc pkg-config libvirt-dev
	$(PY) -m pip install -q '$(ORACLE)'
	touch $@

$(VENV)/.docs: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[docs]'
	touch $@

build/libvirt-7.0/.unpacked:
	tools/fetch-libvirt.sh bullseye libvirt0 build/libvirt-7.0
	touch $@

build/libvirt-11.3/.unpacked:
	tools/fetch-libvirt.sh bookworm-backports libvirt0 build/libvirt-11.3
	touch $@

# libvirt 12.8's API XML (sid's libvirt-dev, unpacked, not installed): the test of
# the docstrings' prose checks that it shares no sentence with its descriptions.
test test-skew test-py39: build/libvirt-sid/.unpacked

build/libvirt-sid/.unpacked:
	tools/fetch-libvirt.sh sid libvirt-dev build/libvirt-sid
	touch $@
