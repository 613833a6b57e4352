"""The awaitable API behind `virt.aio.connect`: see `virt.aio` and docs/asyncio.rst.

``_runtime`` is the worker pool and the per-connection bookkeeping (pending
calls, cancellation, closing); ``objects`` the async classes, made of the
generated methods (``virt/_generated/async_methods.py``) and a few
hand-written ones.
"""
