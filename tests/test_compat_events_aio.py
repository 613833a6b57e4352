"""``libvirtaio``'s building blocks (`Callback`, `Descriptor`, `DescriptorDict`,
`FDCallback`, `TimeoutCallback`, `virEventAsyncIOImpl` unregistered), the same
test run on the official module and on ``virt.compat.aio``.

These pieces need no libvirt: they drive an asyncio loop.  (libvirt's events
through ``virEventRegisterAsyncIOImpl`` are in tests/test_compat_events.py,
each binding in a fresh process.)
"""

from __future__ import annotations

import asyncio
import importlib
import os
import warnings
from typing import Any

import pytest

import virt.compat as libvirt


@pytest.fixture(params=[pytest.param("official", marks=pytest.mark.oracle), "compat"])
def aio(request: pytest.FixtureRequest) -> Any:
    if request.param == "official":
        request.getfixturevalue("oracle")
        return importlib.import_module("libvirtaio")
    return importlib.import_module("virt.compat.aio")


def test_a_descriptor_dispatches_to_its_callbacks(aio: Any) -> None:
    async def main() -> list[Any]:
        impl = aio.virEventAsyncIOImpl(asyncio.get_running_loop())
        descriptors = aio.DescriptorDict(impl)
        read_end, write_end = os.pipe()
        seen: list[Any] = []
        arrived = asyncio.Event()

        def on_ready(iden: int, fd: int, event: int, opaque: Any) -> None:
            seen.append([fd == read_end, event, opaque])
            os.read(fd, 1)
            arrived.set()

        descriptor = descriptors[read_end]
        assert descriptors[read_end] is descriptor and isinstance(descriptor, aio.Descriptor)
        callback = aio.FDCallback(impl, on_ready, "opaque", descriptor=descriptor,
                                  event=libvirt.VIR_EVENT_HANDLE_READABLE)
        descriptor.add_handle(callback)
        os.write(write_end, b"x")
        await asyncio.wait_for(arrived.wait(), 5)
        callback.update(0)  # waits for nothing now
        os.write(write_end, b"y")
        await asyncio.sleep(0.05)
        assert descriptor.remove_handle(callback.iden) is callback
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            callback.update(libvirt.VIR_EVENT_HANDLE_ERROR)
            descriptor.add_handle(callback)
        assert [w.category for w in caught] == [UserWarning]
        descriptor.remove_handle(callback.iden)
        os.close(read_end)
        os.close(write_end)
        return seen

    assert asyncio.run(main()) == [[True, libvirt.VIR_EVENT_HANDLE_READABLE, "opaque"]]


def test_a_timeout_callback_fires_until_stopped(aio: Any) -> None:
    async def main() -> list[Any]:
        impl = aio.virEventAsyncIOImpl(asyncio.get_running_loop())
        fired: list[Any] = []
        timer = aio.TimeoutCallback(impl, lambda iden, opaque: fired.append(opaque), "t")
        assert isinstance(timer, aio.Callback) and isinstance(timer.iden, int)
        await asyncio.sleep(0.05)
        assert fired == []  # a new timer is disabled
        timer.update(10)
        while len(fired) < 3:
            await asyncio.sleep(0.01)
        timer.update(-1)
        count = len(fired)
        await asyncio.sleep(0.05)
        assert len(fired) == count
        return fired[:3]

    assert asyncio.run(main()) == ["t", "t", "t"]


def test_the_implementation_before_registering(aio: Any) -> None:
    async def main() -> Any:
        impl = aio.virEventAsyncIOImpl()  # the running loop
        assert impl.loop is asyncio.get_running_loop()
        await impl.drain()
        return [impl.is_idle(), repr(impl).startswith("<virEventAsyncIOImpl")]

    assert asyncio.run(main()) == [True, True]


def test_closing_a_compat_callback_releases_its_opaque() -> None:
    import virt.compat.aio as aio

    async def main() -> bool:
        impl = aio.virEventAsyncIOImpl()
        timer = aio.TimeoutCallback(impl, print, (None, "opaque", None))
        timer.update(1000)
        timer.close()  # the free callback (none here) is scheduled in the loop
        assert not impl.is_idle()
        await impl.drain()
        return bool(impl.is_idle())

    assert asyncio.run(main())
