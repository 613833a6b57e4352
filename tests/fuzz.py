"""Misuse fuzzing: every public callable of virt with adversarial arguments.

The catalogue is every function in the ``__all__`` of virt's public modules,
every class there (its constructor) and every public method or classmethod
its classes define.  Each gets cases: each parameter in turn set to each
adversarial value (the others plausible, from their annotations), and for a
method also a wrong ``self`` (None, an object of another class, a closed
object).  The calls run against the test driver in child processes, in
batches; the parent (`run`) restarts after a crash or a hang and tallies the
outcomes.

A case fails on a crash, a hang, an exception a Python caller does not
expect from bad arguments (`ctypes.ArgumentError`, `AttributeError`,
`SystemError`, `StopIteration`, `MemoryError`, a `virt.Error` whose code is
``OK``), or an unraisable error (an exception reported from a callback or a
finalizer: the argument was accepted, then failed later), or a leak: a
planted secret (the connection URI's password, secret typed parameters)
shown in the repr or message of any result or exception.  The child's
address space is limited, so an allocation proportional to an unchecked size
fails as `MemoryError` instead of swapping.

    python tests/fuzz.py            # run everything, print the tallies
    python tests/fuzz.py --child A B  # (internal) run cases A..B-1
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import faulthandler
import inspect
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: Callables left out, each for a reason that is not misuse handling.
EXCLUDED = {
    # Raw adoption wraps an arbitrary address: it can crash by design (DESIGN.md
    # "Raw adoption"; moving it to virt.raw is issue 10's item 4).
    "from_pointer",
    # Waits for the next event by design (there may never be one).
    "virt.events.run_default_impl_once",
}

#: Exceptions that mean "the argument was handled badly".
BAD = ("ArgumentError", "AttributeError", "SystemError", "StopIteration", "MemoryError",
       "ErrorCodeOK", "crash", "hang", "unraisable", "leak")

#: A secret planted where calls can reach it: the connection's URI password and
#: every secret-valued typed parameter the calls pass; a repr or message that
#: shows it counts as a "leak".
PLANTED = "PLANTED-fuzz-s3cr3t"
SECRET_URI = f"test://fuzz:{PLANTED}@/default"

#: Exceptions about an argument, whose message should name it (else the case
#: counts as "unnamed": reported, not failed).
NAMING = ("TypeError", "ValueError", "OverflowError")

HANG_SECONDS = 10
MEMORY_LIMIT = 3 << 30  # bytes of address space for a child

DOMAIN_XML = ("<domain type='test'><name>fuzz-{}</name><memory>65536</memory>"
              "<os><type>hvm</type></os></domain>")


class _Closed:
    """Marker: a closed object of the method's own class."""


class _NoObject(Exception):
    """The test driver has no object of the method's class (a checkpoint…)."""


class _Other:
    """Marker: an object of another class than the method's."""


def adversarial() -> list[tuple[str, Any]]:
    """(label, value) pairs; markers are resolved per call."""
    return [
        ("None", None), ("True", True), ("-1", -1), ("2**31", 2**31), ("2**31-1", 2**31 - 1),
        ("2**64", 2**64), ("-2**63-1", -(2**63) - 1), ("nan", float("nan")), ("1.5", 1.5),
        ("''", ""), ("'a\\0b'", "a\0b"), ("surrogate", "\udc80"), ("b'\\0'", b"\0"),
        ("bytearray()", bytearray()), ("[]", []), ("[None]", [None]), ("{}", {}),
        ("{'a': object()}", {"a": object()}), ("object()", object()),
        ("other class", _Other), ("closed", _Closed),
    ]


# -- what to call -------------------------------------------------------------------------


def _modules() -> list[Any]:
    import virt
    import virt.aio
    import virt.connection
    import virt.errors
    import virt.events
    import virt.lxc
    import virt.qemu
    import virt.records
    import virt.stream
    import virt.typedparams

    return [virt, virt.events, virt.typedparams, virt.errors, virt.aio, virt.qemu, virt.lxc,
            virt.admin, virt.stream, virt.connection, virt.records]


def _ours(function: Any) -> bool:
    return str(getattr(function, "__module__", "") or "").startswith("virt")


def catalogue() -> list[tuple[str, Any, Any, bool]]:
    """(name, owner class or None, callable, takes self) in a stable order."""
    entries: dict[str, tuple[str, Any, Any, bool]] = {}
    classes: dict[str, type] = {}
    for module in _modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isclass(obj):
                if _ours(obj):
                    classes[f"{obj.__module__}.{obj.__qualname__}"] = obj
            elif callable(obj) and _ours(obj) and not name.startswith("_"):
                key = f"{obj.__module__}.{obj.__qualname__}"
                entries[key] = (key, None, obj, False)
    seen: set[Any] = set()  # a function inherited by many classes is fuzzed once
    for key, cls in sorted(classes.items()):
        if not _is_data(cls):
            entries[key] = (key, None, cls, False)  # the constructor
        for name in sorted(dir(cls)):
            if name.startswith("_") or name in EXCLUDED:
                continue
            raw_attr = inspect.getattr_static(cls, name)
            if isinstance(raw_attr, (classmethod, staticmethod)):
                function = getattr(cls, name)
                if _ours(raw_attr.__func__) and raw_attr.__func__ not in seen:
                    seen.add(raw_attr.__func__)
                    entries[f"{key}.{name}"] = (f"{key}.{name}", cls, function, False)
            elif inspect.isfunction(raw_attr) and _ours(raw_attr) and raw_attr not in seen:
                seen.add(raw_attr)
                entries[f"{key}.{name}"] = (f"{key}.{name}", cls, raw_attr, True)
    return [entry for key, entry in sorted(entries.items()) if key not in EXCLUDED]


def _is_data(cls: type) -> bool:
    """Enums, exceptions, records, event and parameter dataclasses: their
    constructors take any value, as data classes do (their methods are fuzzed)."""
    import dataclasses
    import enum

    return (issubclass(cls, (enum.Enum, BaseException, tuple))
            or dataclasses.is_dataclass(cls))



def _parameters(function: Any) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    return [p for p in signature.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def cases() -> list[tuple[int, str, int, int]]:
    """(entry, variant, parameter, value): variant "self" puts the value in the
    self position; "arg" puts it in parameter *parameter*."""
    result = []
    values = adversarial()
    for index, (_name, _owner, function, takes_self) in enumerate(catalogue()):
        params = _parameters(function)
        if takes_self:
            params = params[1:]
            for v in range(len(values)):
                result.append((index, "self", -1, v))
        if not params:
            result.append((index, "plain", -1, -1))
        for p in range(len(params)):
            for v in range(len(values)):
                result.append((index, "arg", p, v))
    return result


# -- the child ---------------------------------------------------------------------------


class World:
    """The objects calls are made on: one of each class, remade when closed."""

    def __init__(self) -> None:
        import virt

        self.virt = virt
        self.made: dict[str, Any] = {}
        self.counter = 0

    def conn(self) -> Any:
        conn = self.made.get("Connection")
        if conn is None or conn.closed or not conn.is_alive():
            conn = self.virt.connect(SECRET_URI)  # the test driver, with a password
            self.made.clear()
            self.made["Connection"] = conn
        return conn

    def make(self, name: str) -> Any:
        obj = self.made.get(name)
        if obj is not None and not getattr(obj, "closed", False):
            return obj
        obj = self._build(name)
        self.made[name] = obj
        return obj

    def _build(self, name: str) -> Any:
        virt = self.virt
        conn = self.conn()
        self.counter += 1
        builders: dict[str, Callable[[], Any]] = {
            "Connection": lambda: conn,
            "Domain": lambda: conn.domain_lookup_by_name("test"),
            "Network": lambda: conn.network_lookup_by_name("default"),
            "StoragePool": lambda: conn.storage_pool_lookup_by_name("default-pool"),
            "StorageVol": lambda: conn.storage_pool_lookup_by_name("default-pool")
            .storage_vol_create_xml(f"<volume><name>fuzz{self.counter}.img</name>"
                                    f"<capacity>1024</capacity></volume>"),
            "Interface": lambda: conn.interface_lookup_by_name("eth1"),
            "NodeDevice": lambda: conn.node_device_lookup_by_name("computer"),
            "DomainSnapshot": lambda: conn.domain_lookup_by_name("test")
            .snapshot_create_xml(f"<domainsnapshot><name>s{self.counter}</name>"
                                 f"</domainsnapshot>"),
            "Stream": lambda: conn.new_stream(),
            "StreamFile": lambda: conn.new_stream().as_file("wb"),
            "Subscription": lambda: conn.subscribe(virt.DomainLifecycle, lambda event: None),
        }
        builder = builders.get(name)
        if builder is None:
            return None
        try:
            return builder()
        except Exception:
            return None

    def closed(self, name: str) -> Any:
        obj = self._build(name)
        if obj is not None and hasattr(obj, "close"):
            try:
                obj.close()
            except Exception:
                pass
        return obj

    def other(self, name: str) -> Any:
        return self.make("Network" if name != "Network" else "Domain")

    def plausible(self, annotation: Any, name: str = "") -> Any:
        """A value of the annotated type that a call would accept, or close."""
        import enum

        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__",
                                                                       str(annotation))
        first = text.split(" | ")[0].split("[")[0].strip()
        if first.startswith("virt."):
            first = first[5:]
        if first in ("Connection", "DomainSnapshot", "Domain", "Network", "StoragePool",
                     "StorageVol", "Interface", "NodeDevice", "StreamFile", "Stream"):
            return self.make(first)
        known = getattr(self.virt, first, None)
        if isinstance(known, type) and issubclass(known, enum.Enum):
            return 0
        if isinstance(known, type) and issubclass(known, self.virt.typedparams.ParamSet):
            is_secret = getattr(self.virt.typedparams, "is_secret", lambda key: False)
            secret = {field: PLANTED for field, key in known.KEYS.items() if is_secret(key)}
            return known(**secret) if secret else {}
        if "Callable" in text or "Handler" in text or "Callback" in text:
            return lambda *args: None
        if "type[" in text:
            return self.virt.DomainLifecycle
        if text.startswith("bool"):
            return False
        if text.startswith(("int", "float")) or "Flags" in text or "Type" in text:
            return 0 if name == "flags" or "Flags" in text else 1
        if text.startswith(("str", "os.PathLike")) or "str |" in text:
            return "x"
        if "bytes" in text or "Buffer" in text:
            return bytearray(8)
        if text.startswith(("Sequence", "list", "tuple", "Iterable")):
            return []
        if text.startswith(("Mapping", "dict")):
            return {}
        return None

    def resolve(self, value: Any, owner: Any) -> Any:
        name = owner.__name__ if owner is not None else "Domain"
        if value is _Closed:
            return self.closed(name if name in ("Connection", "Domain", "Network", "Stream",
                                                "StoragePool") else "Domain")
        if value is _Other:
            return self.other(name)
        return value


def _shown(value: Any) -> str:
    """What a program may print of a call's result or exception: repr, str and,
    for a virt error, libvirt's extra strings (results that are the secret
    itself, such as a URI asked for, are the caller's)."""
    if isinstance(value, str):
        return ""
    try:
        texts = [repr(value), str(value)]
    except Exception:  # a repr that fails is not a leak (and not this test's business)
        return ""
    texts += [str(getattr(value, name, "")) for name in ("str1", "str2", "str3")]
    return "\n".join(texts)


def _classify(error: BaseException) -> str:
    import virt

    if isinstance(error, ctypes.ArgumentError):
        return "ArgumentError"
    if isinstance(error, virt.Error) and int(error.code) == 0:
        return "ErrorCodeOK"
    return type(error).__name__


def _call(function: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    result = function(*args, **kwargs)
    if inspect.iscoroutine(result):
        async def bounded() -> Any:
            return await asyncio.wait_for(result, 0.2)
        try:
            result = asyncio.run(bounded())
        except asyncio.TimeoutError:
            result = None
    elif inspect.isasyncgen(result) or hasattr(result, "__anext__"):
        pass
    return result


def child(start: int, end: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.environ.setdefault("LIBVIRT_DEFAULT_URI", "test:///default")
    world = World()
    unnamed = ""
    entries = catalogue()
    values = adversarial()
    all_cases = cases()
    unraisable: list[str] = []
    sys.unraisablehook = lambda args: unraisable.append(type(args.exc_value).__name__)
    out = sys.stdout
    for number in range(start, min(end, len(all_cases))):
        index, variant, position, value_index = all_cases[number]
        name, owner, function, takes_self = entries[index]
        out.write(f"start {number}\n")
        out.flush()
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
        label = values[value_index][0] if value_index >= 0 else ""
        try:
            params = _parameters(function)
            if takes_self:
                params = params[1:]
            args: list[Any] = []
            kwargs: dict[str, Any] = {}
            for p, param in enumerate(params):
                chosen = p == position and variant == "arg"
                if not chosen and param.default is not param.empty:
                    continue
                value = (world.resolve(values[value_index][1], owner) if chosen
                         else world.plausible(param.annotation, param.name))
                if param.kind == param.KEYWORD_ONLY:
                    kwargs[param.name] = value
                else:
                    while len(args) < p:  # earlier optional positionals: their defaults
                        earlier = params[len(args)]
                        args.append(earlier.default if earlier.default is not earlier.empty
                                    else world.plausible(earlier.annotation, earlier.name))
                    args.append(value)
            if takes_self:
                if variant == "self":
                    self_value = world.resolve(values[value_index][1], owner)
                else:
                    self_value = world.make(owner.__name__)
                    if self_value is None:  # no such object on the test driver
                        raise _NoObject
                args.insert(0, self_value)
            try:
                result = _call(function, args, kwargs)
                outcome = "leak" if PLANTED in _shown(result) else "ok"
            except BaseException as error:  # noqa: B036 - what the fuzzer tallies
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                outcome = "leak" if PLANTED in _shown(error) else _classify(error)
                if variant == "arg" and outcome in NAMING and \
                        params[position].name.split("_")[0] not in str(error):
                    unnamed = f"{outcome} {str(error)[:120]!r}"
                    outcome = "unnamed"
        except _NoObject:
            outcome = "skipped"
        finally:
            faulthandler.cancel_dump_traceback_later()
        if unraisable:
            outcome = "unraisable:" + ",".join(unraisable) if outcome == "ok" else outcome
            unraisable.clear()
        record = {"n": number, "name": name, "variant": variant, "position": position,
                  "value": label, "outcome": outcome}
        if outcome == "unnamed":
            record["detail"] = unnamed
        out.write(json.dumps(record) + "\n")
        out.flush()


# -- the parent --------------------------------------------------------------------------


def listing() -> dict[str, Any]:
    """What a child sees: the callables' names and, per case, (callable, variant,
    parameter, value label) — the parent may import another virt than the child."""
    labels = [label for label, _ in adversarial()]
    return {"names": [entry[0] for entry in catalogue()],
            "cases": [(index, variant, position, labels[value] if value >= 0 else "")
                      for index, variant, position, value in cases()]}


def _run_range(python: str, start: int, end: int, environment: dict[str, str], cwd: str,
               listed: dict[str, Any],
               ) -> tuple[collections.Counter[str], list[dict[str, Any]]]:
    """Run cases *start*..*end*-1 in as many children as crashes and hangs need."""
    tallies: collections.Counter[str] = collections.Counter()
    failures: list[dict[str, Any]] = []
    names, every = listed["names"], listed["cases"]
    while start < end:
        process = subprocess.run([python, str(Path(__file__).resolve()), "--child",
                                  str(start), str(end)], capture_output=True, text=True,
                                 env=environment, cwd=cwd,
                                 timeout=HANG_SECONDS * 3 + (end - start))
        last_started = start - 1
        done = start
        for line in process.stdout.splitlines():
            if line.startswith("start "):
                last_started = int(line.split()[1])
                continue
            record = json.loads(line)
            done = record["n"] + 1
            kind = record["outcome"].split(":")[0]
            if kind == "skipped":
                continue
            tallies[kind] += 1
            if kind in BAD or kind == "unnamed":
                failures.append(record)
        if process.returncode == 0 and done >= end:
            break
        # died in the case it started last: a crash (signal) or a hang
        # (faulthandler's exit after HANG_SECONDS)
        number = max(last_started, done)
        kind = "hang" if process.returncode == 1 and "most recent call first" in \
            process.stderr else "crash"
        index, variant, position, label = every[number]
        failures.append({"n": number, "name": names[index], "variant": variant,
                         "position": position, "value": label, "outcome": kind,
                         "detail": process.stderr[-2000:]})
        tallies[kind] += 1
        start = number + 1
    return tallies, failures


def run(python: str = sys.executable, workers: int = 2, root: Path = ROOT) -> dict[str, Any]:
    """Run every case (*workers* children at a time, importing virt from *root*):
    the tallies and the failing cases."""
    import concurrent.futures
    import tempfile

    environment = {**os.environ, "PYTHONPATH": str(Path(root).resolve())}
    listed = json.loads(subprocess.run(
        [python, str(Path(__file__).resolve()), "--list"], capture_output=True, text=True,
        env=environment, check=True, timeout=120).stdout)
    total = len(listed["cases"])
    tallies: collections.Counter[str] = collections.Counter()
    failures: list[dict[str, Any]] = []
    began = time.monotonic()
    step = -(-total // (workers * 4))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool, \
            tempfile.TemporaryDirectory(prefix="virt-fuzz-") as scratch:
        # calls taking a path write there ("x", a surrogate name…)
        jobs = [pool.submit(_run_range, python, start, min(start + step, total), environment,
                            scratch, listed) for start in range(0, total, step)]
        for job in jobs:
            counted, failed = job.result()
            tallies.update(counted)
            failures.extend(failed)
    failures.sort(key=lambda failure: int(failure["n"]))
    return {"calls": sum(tallies.values()), "tallies": dict(tallies), "failures": failures,
            "callables": len(listed["names"]), "seconds": round(time.monotonic() - began, 1)}


def _report(result: dict[str, Any]) -> Iterator[str]:
    yield (f"{result['callables']} callables, {result['calls']} calls "
           f"in {result['seconds']} s")
    for kind, count in sorted(result["tallies"].items(), key=lambda item: -item[1]):
        yield f"  {kind}: {count}"
    by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for failure in result["failures"]:
        by_kind[failure["outcome"].split(":")[0]][failure["name"]] += 1
    for kind, names in sorted(by_kind.items()):
        yield f"{kind} in {len(names)} callables:"
        for name, count in names.most_common():
            yield f"  {name}: {count}"


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:] == ["--list"]:
        print(json.dumps(listing()))
    else:
        root = Path(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else ROOT
        outcome = run(root=root)
        print("\n".join(_report(outcome)))
        if "--json" in sys.argv:
            Path(sys.argv[sys.argv.index("--json") + 1]).write_text(json.dumps(outcome))
