"""The admin API in a helper process: usable from any program.

libvirt and libvirt-admin cannot share a process (each registers the same
GObject types on first use, and the second crashes the process).  So that a
program managing domains can also administer daemons, `virt.admin.connect`
runs libvirt-admin in a helper process of its own — ``python -m
virt._admin_helper``, started on first use, ending when this process closes
its end of the pipe — and gives back objects with the same classes, methods,
results and exceptions as in-process ones: `virt.AdminConnection`,
`virt.AdminServer` and `virt.AdminClient`, whose calls travel over the pipe.

The protocol is pickles on the helper's stdin and stdout, each preceded by
its length.  Requests carry an id; the helper answers each with its result or
the exception it raised, and sends close events as they happen.  Objects
never cross the pipe: the helper keeps them in a table and sends `_Ref`
markers, which this side turns into proxies (and back).
"""

from __future__ import annotations

import itertools
import os
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from ._exceptions import Error, error_class
from ._generated import enums as _enums

__all__ = ["Ref", "Channel", "read_message", "write_message"]

_LENGTH = struct.Struct("!Q")


class Ref:
    """An object that stays in the helper: its class name and table id (0: released).

    A plain class rather than a NamedTuple: this module is imported by every
    ``import virt``, and building a NamedTuple class costs most of a millisecond.
    """

    __slots__ = ("cls", "id")

    def __init__(self, cls: str, id: int) -> None:
        self.cls = cls
        self.id = id

    def __reduce__(self) -> tuple[Any, ...]:
        return Ref, (self.cls, self.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and (self.cls, self.id) == (other.cls, other.id)

    def __hash__(self) -> int:
        return hash((self.cls, self.id))

    def __repr__(self) -> str:
        return f"Ref({self.cls!r}, {self.id})"


# pickle and subprocess are imported on first use: `import virt` does without them.


def write_message(stream: Any, message: Any) -> None:
    import pickle

    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def read_message(stream: Any) -> Any:
    """The next message, or None at the end of the stream."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    data = stream.read(length)
    if len(data) < length:
        return None
    import pickle

    return pickle.loads(data)


def _lost(why: str) -> Error:
    code = _enums.ErrorNumber.INTERNAL_ERROR
    return error_class(code)(f"the libvirt-admin helper process {why}", code=code)


class Channel:
    """The pipe to one helper process, shared by every remote admin object."""

    _current: ClassVar[Channel | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def get(cls) -> Channel:
        """The helper of this process, started on first use (again after fork)."""
        with cls._lock:
            channel = cls._current
            if channel is None or channel.pid != os.getpid() or not channel.alive:
                channel = cls._current = cls()
            return channel

    def __init__(self) -> None:
        import subprocess

        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ,
               "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
        self.pid = os.getpid()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "virt._admin_helper"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env, close_fds=True)
        self.alive = True
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._waiting: dict[int, list[Any]] = {}  # request id -> [event, reply]
        self._wakeup = threading.Condition()
        self.callbacks: dict[int, Callable[[Any], object]] = {}
        self._reader = threading.Thread(target=self._read, name="virt-admin-helper",
                                        daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        while True:
            try:
                message = read_message(stdout)
            except Exception:  # a broken pipe or a truncated pickle: the helper is gone
                message = None
            if message is None:
                break
            if message[0] == "event":
                callback = self.callbacks.get(message[1])
                if callback is not None:
                    callback(message[2])  # an exception goes to threading.excepthook
                continue
            with self._wakeup:
                self._waiting[message[1]] = list(message)
                self._wakeup.notify_all()
        with self._wakeup:
            self.alive = False
            self._wakeup.notify_all()

    def request(self, *request: Any) -> Any:
        """Send *request*, wait for its answer, return it (or raise what it raised)."""
        if not self.alive:
            raise _lost("has ended")
        number = next(self._ids)
        try:
            with self._send_lock:
                write_message(self.process.stdin, (request[0], number, *request[1:]))
        except (OSError, ValueError):
            raise _lost("has ended") from None
        with self._wakeup:
            while number not in self._waiting:
                if not self.alive:
                    raise _lost("ended during the call")
                self._wakeup.wait()
            kind, _, value = self._waiting.pop(number)
        if kind == "error":
            raise value
        return value

    def post(self, *request: Any) -> None:
        """Send *request* without waiting (releasing an object)."""
        if self.alive and self.pid == os.getpid():
            try:
                with self._send_lock:
                    write_message(self.process.stdin, (request[0], 0, *request[1:]))
            except (OSError, ValueError):
                pass


def encode(value: Any, objects: dict[int, Any], ids: Any) -> Any:
    """*value* for the pipe, helper side: objects into the table, as `Ref` markers."""
    from_class = getattr(type(value), "_handle_type", None)  # a virt object wrapper
    if from_class is not None:
        number = next(ids)
        objects[number] = value
        return Ref(type(value).__name__, number)
    if type(value) in (list, tuple):
        return type(value)(encode(item, objects, ids) for item in value)
    return value


def decode_refs(value: Any, objects: dict[int, Any]) -> Any:
    """*value* from the pipe, helper side: `Ref` markers back to the objects."""
    if type(value) is Ref:
        return objects[value.id]
    if type(value) in (list, tuple):
        return type(value)(decode_refs(item, objects) for item in value)
    if type(value) is dict:
        return {key: decode_refs(item, objects) for key, item in value.items()}
    return value
