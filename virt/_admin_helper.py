"""The helper process that runs libvirt-admin for `virt.admin` (see virt/_admin_remote.py).

Run as ``python -m virt._admin_helper`` by the program it serves, talking to
it over its stdin and stdout; it ends when its stdin closes.
"""

from __future__ import annotations

import itertools
import sys
import threading
from typing import Any

from . import admin, events
from ._admin_remote import decode_refs, encode, read_message, write_message
from ._exceptions import Error


def serve(requests: Any, replies: Any) -> None:
    objects: dict[int, Any] = {}
    subscriptions: dict[int, Any] = {}
    ids = itertools.count(1)
    lock = threading.Lock()

    def send(message: Any) -> None:
        with lock:
            try:
                write_message(replies, message)
            except Exception as error:  # an unpicklable result or exception
                if message[0] == "event":
                    raise
                fallback = Error(f"{type(error).__name__}: {error}")
                write_message(replies, ("error", message[1], fallback))

    while True:
        message = read_message(requests)
        if message is None:
            break
        kind, number, *rest = message
        try:
            if kind == "connect":
                uri, flags = rest
                value = encode(admin.connect(uri, flags=flags, in_process=True), objects, ids)
            elif kind == "call":
                number_of_object, name, args, kwargs = rest
                method = getattr(objects[number_of_object], name)
                value = encode(method(*decode_refs(args, objects),
                                      **decode_refs(kwargs, objects)), objects, ids)
            elif kind == "release":
                obj = objects.pop(rest[0], None)
                if obj is not None:
                    obj.close()
                continue
            elif kind == "subscribe_close":
                number_of_object, token = rest
                if not events.default_loop_running():
                    events.start_default_loop()
                subscriptions[token] = objects[number_of_object].subscribe_close(
                    lambda event, token=token: send(("event", token, event)))
                value = None
            elif kind == "unsubscribe":
                subscription = subscriptions.pop(rest[0], None)
                if subscription is not None:
                    subscription.close()
                value = None
            elif kind == "version":
                value = admin.get_version(in_process=True)
            else:
                raise ValueError(f"unknown request {kind!r}")
        except Exception as error:
            send(("error", number, error))
        else:
            send(("ok", number, value))


def main() -> None:
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # the protocol owns the real stdout
    serve(requests, replies)


if __name__ == "__main__":
    main()
