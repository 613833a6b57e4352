"""Legacy-style streams: download and upload a volume with the all-in-one helpers."""

import os
import sys

import libvirt


def sink(stream: libvirt.virStream, data: bytes, fd: int) -> int:
    return os.write(fd, data)


def source(stream: libvirt.virStream, nbytes: int, fd: int) -> bytes:
    return os.read(fd, nbytes)


def hole(stream: libvirt.virStream, length: int, fd: int) -> int:
    os.lseek(fd, length, os.SEEK_CUR)
    return 0


def download(vol: libvirt.virStorageVol, path: str) -> None:
    stream = vol.connect().newStream(0)
    vol.download(stream, 0, 0, 0)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        stream.sparseRecvAll(sink, hole, fd)
        stream.finish()
    finally:
        os.close(fd)


def upload(vol: libvirt.virStorageVol, path: str) -> None:
    stream = vol.connect().newStream(0)
    vol.upload(stream, 0, os.path.getsize(path), 0)
    fd = os.open(path, os.O_RDONLY)
    try:
        stream.sendAll(source, fd)
        stream.finish()
    finally:
        os.close(fd)


def read_some(stream: libvirt.virStream) -> bytes:
    chunks = []
    while True:
        data = stream.recv(libvirt.virStorageVol.streamBufSize)
        if data == -2:
            continue
        if isinstance(data, int) or not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def main(uri: str, pool_name: str, path: str) -> None:
    conn = libvirt.open(uri)
    pool = conn.storagePoolLookupByName(pool_name)
    vol = pool.createXML("<volume><name>v</name><capacity>1024</capacity></volume>", 0)
    download(vol, path)
    upload(vol, path)
    vol.delete(0)


# The test driver has no volume streams: give a URI and a pool of a real host.
if len(sys.argv) == 4:
    main(*sys.argv[1:])
