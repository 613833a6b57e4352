"""Hand-written stream wrappers: C function -> dotted Python name (see shapes.HAND_WRITTEN).

``virStreamFree`` and ``virStreamRef`` are the object life cycle
(`virt.Stream.close`, `virt.Stream.from_pointer`), mapped with every other
class's.  The methods of `virt.Connection`, `virt.Domain` and
`virt.StorageVol` here live in ``virt/_stream_methods.py``.
"""

from __future__ import annotations

STREAM_HAND_WRITTEN: dict[str, str] = {
    "virStreamNew": "virt.Connection.new_stream",
    "virStreamRecv": "virt.Stream.recv",
    "virStreamRecvFlags": "virt.Stream.recv_flags",
    "virStreamRecvHole": "virt.Stream.recv_hole",
    "virStreamSend": "virt.Stream.send",
    "virStreamSendHole": "virt.Stream.send_hole",
    "virStreamFinish": "virt.Stream.finish",
    "virStreamAbort": "virt.Stream.abort",
    "virStreamEventAddCallback": "virt.Stream.event_add_callback",
    "virStreamEventUpdateCallback": "virt.Stream.event_update_callback",
    "virStreamEventRemoveCallback": "virt.Stream.event_remove_callback",
    "virStreamRecvAll": "virt.Stream.recv_all",
    "virStreamSparseRecvAll": "virt.Stream.sparse_recv_all",
    "virStreamSendAll": "virt.Stream.send_all",
    "virStreamSparseSendAll": "virt.Stream.sparse_send_all",
    "virStorageVolDownload": "virt.StorageVol.download",
    "virStorageVolUpload": "virt.StorageVol.upload",
    "virDomainScreenshot": "virt.Domain.screenshot",
    "virDomainOpenConsole": "virt.Domain.open_console",
    "virDomainOpenChannel": "virt.Domain.open_channel",
}
