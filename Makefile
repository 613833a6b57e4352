# virt: see README.md.  Every target installs what it needs first (Debian
# packages through apt, Python packages into .venv), so a fresh Debian 12
# machine needs nothing but `make`.

PYTHON    ?= python3
VENV      := .venv
PY        := $(VENV)/bin/python
# libvirt 12.8.0's API XML (Debian sid) is what the facts are made from.
FACTS     := tools/api/libvirt-12.8.0.json
SID_API   := build/libvirt-sid/usr/share/libvirt/api

DEMO_DEBS := libvirt0 python3-venv
TEST_DEBS := $(DEMO_DEBS) libvirt-dev libvirt-clients libvirt-daemon \
             libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils \
             python3-typing-extensions pypy3 pkg-config

# The version-skew tier: older and newer libvirt client libraries, unpacked
# from other Debian suites without being installed.
SKEW      := build/libvirt-7.0/.unpacked build/libvirt-11.3/.unpacked

# Real programs written for libvirt-python, run unchanged through the drop-in
# (tests/test_compat_real.py): virt-manager's virtinst, virtualbmc, sushy-tools,
# libvirt-python's examples; fetched by tools/fetch-real.sh, never committed.
REAL      := build/real/.ready
REAL_DEBS := python3-venv python3-dev python3-gi gir1.2-libosinfo-1.0 python3-libxml2 \
             python3-requests

.PHONY: demo test test-stubs test-skew test-py39 test-py310 test-py312 test-py313 test-pypy \
        test-interpreters lint docs generate pyfacts check-generated facts ci clean bench

demo: $(VENV)/.demo
	$(PY) -m virt

# Tests that do not depend on the libvirt virt loads or on the interpreter
# running pytest (mypy on an installed wheel, the stubs' checks, each in their
# own venvs): main tier only.
# The Python documentation's inventory, for intersphinx without docs.python.org.
PY_INVENTORY := build/python-doc/usr/share/doc/python3.11/html/objects.inv
ONCE      := --ignore tests/test_stubs.py --ignore tests/test_typing.py \
             --ignore tests/test_docs_reference.py

# Other interpreters run the in-process suite in venvs of their own under
# build/: the oldest Python supported and the newest (pyenv's here), and
# Debian's PyPy (Python 3.9).
PYTHON39  ?= $(firstword $(wildcard /root/.pyenv/versions/3.9*/bin/python /usr/bin/python3.9))
PYTHON310 ?= $(firstword $(wildcard /root/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10))
PYTHON312 ?= $(firstword $(wildcard /root/.pyenv/versions/3.12*/bin/python /usr/bin/python3.12))
PYTHON313 ?= $(firstword $(wildcard /root/.pyenv/versions/3.13*/bin/python /usr/bin/python3.13))
PYPY3     ?= $(firstword $(wildcard /usr/bin/pypy3))

test: $(VENV)/.dev $(VENV)/.oracle $(SKEW) $(REAL) $(PY_INVENTORY)
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-skew
	$(MAKE) --no-print-directory test-interpreters

# $(call in-process-tier,interpreter,venv directory)
define in-process-tier
	@if [ -z "$(1)" ]; then \
	    if [ -n "$$VIRT_TEST_STRICT" ]; then echo "== no interpreter for $@ here"; exit 1; fi; \
	    echo "== no interpreter for $@ here: tier skipped"; exit 0; \
	fi; \
	test -x $(2)/bin/python || $(1) -m venv $(2); \
	$(2)/bin/python -m pip install -q pytest pytest-timeout typing_extensions; \
	echo "== in-process tests under $$($(2)/bin/python -VV | head -n 1)"; \
	PYTHONPATH=$(CURDIR) $(2)/bin/python -m pytest -m "not daemon and not oracle" -p no:cacheprovider \
	    --deselect tests/test_events.py::test_mypy_rejects_a_callback_for_another_event \
	    --deselect tests/test_aio_api.py::test_mypy_checks_async_code_as_strictly \
	    $(ONCE)
endef

# The stubs alone: stubtest, result shapes, the corpus (venvs under build/).
test-stubs: $(VENV)/.dev
	$(PY) -m pytest tests/test_stubs.py

test-py39:
	$(call in-process-tier,$(PYTHON39),build/venv39)

test-py310:
	$(call in-process-tier,$(PYTHON310),build/venv310)

test-py312:
	$(call in-process-tier,$(PYTHON312),build/venv312)

test-py313:
	$(call in-process-tier,$(PYTHON313),build/venv313)

test-pypy: $(VENV)/.debs-test
	$(call in-process-tier,$(PYPY3),build/venvpypy)


# Every interpreter the classifiers name, one after the other.
test-interpreters: test-py39 test-py310 test-py312 test-py313 test-pypy

test-skew: $(VENV)/.dev $(SKEW)
	for dir in build/libvirt-7.0 build/libvirt-11.3; do \
	    lib=$$(find $$dir -name libvirt.so.0 | head -n 1); \
	    echo "== in-process tests against $$lib"; \
	    VIRT_LIBVIRT_LIBRARY=$$PWD/$$lib $(PY) -m pytest -m "not daemon and not oracle" \
	        $(ONCE) || exit 1; \
	done

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy


docs: $(VENV)/.docs $(PY_INVENTORY)
	$(VENV)/bin/sphinx-build -q -n -W -b html docs docs/_build/html

$(PY_INVENTORY):
	tools/fetch-libvirt.sh bookworm python3.11-doc build/python-doc

# Ratios against the official binding (libvirt-python), each measured in one run.
bench: $(VENV)/.dev $(VENV)/.oracle
	$(PY) benchmarks/run_all.py

# Refresh the facts about the official binding (names, parameters, C calls).
PYFACTS   := tools/api/libvirt-python-12.8.0.json
pyfacts: $(VENV)/.oracle
	$(PY) tools/pyfacts.py $(PYFACTS)

generate:
	$(PYTHON) tools/generate.py

check-generated:
	$(PYTHON) tools/generate.py --check

# Refresh the API facts from libvirt-dev 12.8.0 in Debian sid.
facts:
	tools/fetch-libvirt.sh sid libvirt-dev build/libvirt-sid
	$(PYTHON) tools/apifacts.py $(SID_API) $(FACTS)
	$(PYTHON) tools/generate.py

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

# The official binding, the tests' oracle (the migration guide's "before"
# examples run with it): compiled against the system's libvirt-dev.
ORACLE    := libvirt-python==12.8.0

$(VENV)/.oracle: $(VENV)/.dev
	tools/ensure-debs.sh gcc pkg-config libvirt-dev
	$(PY) -m pip install -q '$(ORACLE)'
	touch $@

$(VENV)/.docs: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[docs]'
	touch $@

$(REAL): tools/fetch-real.sh | $(VENV)/.debs-test
	tools/ensure-debs.sh $(REAL_DEBS)
	tools/fetch-real.sh build/real

build/libvirt-7.0/.unpacked:
	tools/fetch-libvirt.sh bullseye libvirt0 build/libvirt-7.0
	touch $@

build/libvirt-11.3/.unpacked:
	tools/fetch-libvirt.sh bookworm-backports libvirt0 build/libvirt-11.3
	touch $@

# libvirt 12.8's API XML (sid's libvirt-dev, unpacked, not installed): the test of
# the docstrings' prose checks that it shares no sentence with its descriptions.
test test-skew test-py39 test-py310 test-py312 test-py313 test-pypy: build/libvirt-sid/.unpacked

build/libvirt-sid/.unpacked:
	tools/fetch-libvirt.sh sid libvirt-dev build/libvirt-sid
	touch $@
