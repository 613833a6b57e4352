"""The typed core against a real session libvirtd and real QEMU guests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import virt
from rig import SYSTEM_PYTHON, Guest, SessionDaemon, guest_xml, require


@pytest.fixture
def conn(libvirtd: SessionDaemon) -> Iterator[virt.Connection]:
    connection = virt.connect(libvirtd.qemu_uri)
    yield connection
    connection.close()


@pytest.fixture
def guest(conn: virt.Connection) -> Iterator[virt.Domain]:
    """A guest of this test's own, defined and started through virt."""
    domain = conn.domain_define_xml(guest_xml(f"virt-core-{uuid.uuid4().hex[:8]}"))
    domain.create()
    yield domain
    if domain.is_active():
        domain.destroy()
    domain.undefine_flags(flags=virt.DomainUndefineFlags.MANAGED_SAVE
                          | virt.DomainUndefineFlags.SNAPSHOTS_METADATA)


def test_connection_to_the_daemon(conn: virt.Connection) -> None:
    assert conn.get_type() == "QEMU"
    assert conn.is_alive()
    assert conn.get_version() > 0
    assert "<capabilities>" in conn.get_capabilities()
    assert conn.get_hostname()


def test_lifecycle_of_a_qemu_guest(guest: virt.Domain) -> None:
    info = guest.get_info()
    assert info.state is virt.DomainState.RUNNING
    assert info.max_mem == 64 * 1024 and info.nr_virt_cpu == 1
    guest.suspend()
    assert guest.get_state()[0] is virt.DomainState.PAUSED
    guest.resume()
    assert guest.get_state()[0] is virt.DomainState.RUNNING
    guest.destroy()
    state, reason = guest.get_state()
    assert state is virt.DomainState.SHUTOFF
    assert reason == virt.DomainShutoffReason.DESTROYED
    guest.create()
    assert guest.is_active()


def test_save_and_restore_through_a_file(guest: virt.Domain, conn: virt.Connection,
                                         libvirtd: SessionDaemon) -> None:
    image = libvirtd.tmpdir / "images" / f"{guest.get_name()}.save"
    guest.save(image)
    assert not guest.is_active()
    assert image.exists() and image.stat().st_size > 0
    assert guest.get_name() in conn.domain_save_image_get_xml_desc(image)
    conn.domain_restore(str(image))
    assert guest.is_active() and guest.get_state()[0] is virt.DomainState.RUNNING


def test_qmp_through_virt_qemu(qemu_guest: Guest, conn: virt.Connection) -> None:
    domain = conn.domain_lookup_by_name(qemu_guest.name)
    reply = json.loads(virt.qemu.monitor_command(domain, json.dumps({"execute": "query-status"})))
    assert reply["return"]["status"] == "running"
    human = virt.qemu.monitor_command(domain, "info name",
                                      flags=virt.DomainQemuMonitorCommandFlags.HMP)
    assert qemu_guest.name in human
    with pytest.raises(TypeError):
        virt.qemu.monitor_command("not a domain", "{}")  # type: ignore[arg-type]


def test_snapshots_of_a_qcow2_disk(conn: virt.Connection, libvirtd: SessionDaemon) -> None:
    require(shutil.which("qemu-img") is not None, "qemu-img is missing: install qemu-utils")
    disk = libvirtd.tmpdir / "images" / "snap.qcow2"
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", str(disk), "16M"], check=True)
    import os

    os.chown(disk, libvirtd.uid, libvirtd.gid)
    xml = guest_xml("virt-snap", extra_devices=(
        f"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        f"<source file='{disk}'/><target dev='vda' bus='virtio'/></disk>"))
    domain = conn.domain_define_xml(xml)
    try:
        first = domain.snapshot_create_xml("<domainsnapshot><name>first</name></domainsnapshot>")
        second = domain.snapshot_create_xml(
            "<domainsnapshot><name>second</name></domainsnapshot>")
        assert first.get_name() == "first"
        assert domain.snapshot_num() == 2
        assert sorted(s.get_name() for s in domain.list_all_snapshots()) == ["first", "second"]
        assert second.get_parent() == first
        assert second.get_domain() is domain
        assert domain.snapshot_current().get_name() == "second"
        assert domain.snapshot_lookup_by_name("first") == first
        assert "<name>first</name>" in first.get_xml_desc()
        first.revert()
        assert domain.snapshot_current() == first
        second.delete()
        assert domain.snapshot_list_names() == ["first"]
        first.delete()
        assert domain.has_current_snapshot() is False
    finally:
        domain.undefine_flags(flags=virt.DomainUndefineFlags.SNAPSHOTS_METADATA)


def test_storage_pool_and_volumes(conn: virt.Connection, libvirtd: SessionDaemon) -> None:
    path = libvirtd.tmpdir / "images" / "pool"
    pool = conn.storage_pool_define_xml(
        f"<pool type='dir'><name>virt-pool</name><target><path>{path}</path></target></pool>")
    try:
        pool.build()
        pool.create()
        assert pool.is_active() and pool.get_info().state is virt.StoragePoolState.RUNNING
        volume = pool.storage_vol_create_xml(
            "<volume><name>a.raw</name><capacity unit='MiB'>4</capacity>"
            "<target><format type='raw'/></target></volume>")
        assert volume.get_info().capacity == 4 * 2**20
        assert Path(volume.get_path()).exists()
        clone = pool.storage_vol_create_xml_from(
            "<volume><name>b.raw</name><capacity unit='MiB'>4</capacity></volume>", volume)
        assert sorted(v.get_name() for v in pool.list_all_volumes()) == ["a.raw", "b.raw"]
        assert pool.storage_vol_lookup_by_name("b.raw") == clone
        assert conn.storage_vol_lookup_by_path(clone.get_path()) == clone
        assert clone.storage_pool_lookup_by_volume() == pool
        clone.delete()
        volume.delete()
        assert pool.list_all_volumes() == []
        pool.destroy()
    finally:
        pool.undefine()


def test_names_that_are_not_utf8_come_back_with_surrogates(conn: virt.Connection,
                                                            libvirtd: SessionDaemon) -> None:
    # A file a dir pool finds is a volume named by its file name's bytes: what
    # libvirt hands back undecoded, through generated methods and helpers alike.
    path = libvirtd.tmpdir / "images" / "latin1-pool"
    path.mkdir()
    (path / os.fsdecode(b"caf\xe9.raw")).write_bytes(b"\0" * 512)
    pool = conn.storage_pool_create_xml(
        f"<pool type='dir'><name>latin1-pool</name><target><path>{path}</path></target></pool>")
    try:
        [volume] = pool.list_all_volumes()
        name = volume.get_name()  # a static string
        assert name == "caf\udce9.raw" and name.encode("utf-8", "surrogateescape") == b"caf\xe9.raw"
        assert volume.get_path() == f"{path}/caf\udce9.raw"  # a string libvirt hands over
        assert pool.storage_vol_lookup_by_name(name) == volume  # and back to C
        assert [volume.get_name() for volume in pool.list_all_volumes()] == [name]
    finally:
        pool.destroy()


def test_network_define_and_undefine(conn: virt.Connection) -> None:
    network = conn.network_define_xml(
        "<network><name>virt-net</name><bridge name='virtbr0'/></network>")
    try:
        assert network.get_name() == "virt-net" and not network.is_active()
        assert conn.network_lookup_by_uuid(network.get_uuid()) == network
        assert "virt-net" in conn.list_defined_networks()
        network.set_autostart(True)
        assert network.get_autostart() is True
    finally:
        network.undefine()
    with pytest.raises(virt.NoNetworkError):
        conn.network_lookup_by_name("virt-net")


def test_secret_values(conn: virt.Connection) -> None:
    secret = conn.secret_define_xml(
        "<secret ephemeral='no' private='no'><usage type='volume'>"
        "<volume>/var/lib/virt-test/x.img</volume></usage></secret>")
    try:
        value = b"pass\x00word\xff"
        secret.set_value(value)
        assert secret.get_value() == value
        assert conn.secret_lookup_by_usage(virt.SecretUsageType.VOLUME,
                                           "/var/lib/virt-test/x.img") == secret
        assert secret.get_usage_type() is virt.SecretUsageType.VOLUME
        assert secret.get_usage_id() == "/var/lib/virt-test/x.img"
        with pytest.raises(TypeError):
            secret.set_value("text")  # type: ignore[arg-type]
    finally:
        secret.undefine()


ADMIN_SCRIPT = """
import json, sys
import virt
in_process = sys.argv[1] == "in-process"
with virt.admin.connect({uri!r}, in_process=in_process) as admin:
    server = admin.lookup_server("libvirtd")
    clients = server.list_clients()
    print(json.dumps({{
        "alive": admin.is_alive(),
        "servers": [s.get_name() for s in admin.list_servers()],
        "server": server.get_name(),
        "transports": [c.get_transport().name for c in clients],
        "timestamps": [c.get_timestamp() for c in clients],
        "ids": [c.get_id() for c in clients],
        "outputs": admin.get_logging_outputs(),
        "uri": admin.get_uri(),
        "version": virt.admin.get_version(in_process=in_process),
        "libversion": admin.get_lib_version(),
        "classes": [type(admin).__name__, isinstance(admin, virt.AdminConnection),
                    isinstance(server, virt.AdminServer)],
    }}))
    try:
        admin.lookup_server("no-such-server")
    except virt.Error as error:
        print("error:", type(error).__name__, isinstance(error, LookupError))
try:
    with virt.connect({qemu_uri!r}) as conn:
        print("domains:", len(conn.list_all_domains()))
except virt.OperationInvalidError as error:
    print("refused:", error)
"""

BOTH_SCRIPT = """
import sys
import virt
# Domains first, then the admin API, in one program: the admin side runs in its
# helper process.
conn = virt.connect({qemu_uri!r})
names = [d.get_name() for d in conn.list_all_domains()]
admin = virt.admin.connect({uri!r})
server = admin.lookup_server("libvirtd")
clients = server.list_clients()
print("clients:", len(clients) >= 1, "transport:", clients[0].get_transport().name)
print("info:", sorted(clients[0].get_info().to_mapping())[:1] != [])
print("limits:", server.get_client_limits().nclients_max is not None)
closed = []
subscription = admin.subscribe_close(closed.append)
subscription.close()
admin.close()
try:
    server.get_name()
    print("server still usable")
except virt.Error as error:
    print("after close:", type(error).__name__)
try:
    admin.get_uri()
except virt.ClosedError:
    print("closed: ClosedError")
print("domains again:", [d.get_name() for d in conn.list_all_domains()] == names)
"""


def _admin_run(libvirtd: SessionDaemon, script: str, *args: str) -> list[str]:
    require(Path(SYSTEM_PYTHON).exists(), f"{SYSTEM_PYTHON} is missing")
    code = script.format(uri=libvirtd.admin_uri, qemu_uri=libvirtd.qemu_uri)
    result = libvirtd.run_python(f"import sys; sys.argv[1:] = {list(args)!r}\n" + code)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("where", ["helper", "in-process"])
def test_admin_api(libvirtd: SessionDaemon, conn: virt.Connection, where: str) -> None:
    """The admin API against the session daemon, from a process of the daemon's user
    (libvirtd only lets its own user administer it), through the helper process and
    in-process.  *conn* is a client it must list."""
    assert conn.is_alive()
    report, error, last = _admin_run(libvirtd, ADMIN_SCRIPT, where)
    facts = json.loads(report)
    assert facts["alive"] is True
    assert "libvirtd" in facts["servers"] and facts["server"] == "libvirtd"
    assert "UNIX" in facts["transports"]
    assert all(stamp > 0 for stamp in facts["timestamps"])
    assert "libvirtd.log" in facts["outputs"]
    assert facts["uri"].startswith("libvirtd+unix:///session")
    assert tuple(facts["version"]) == virt.get_version()
    assert facts["libversion"] > 0
    assert facts["classes"][1:] == [True, True]
    # The same exception, whichever process raised it.
    assert error == "error: NoServerError True"
    if where == "helper":
        assert facts["classes"][0] == "RemoteAdminConnection"
        assert last.startswith("domains:")  # libvirt itself works beside it
    else:
        assert last.startswith("refused: libvirt cannot be used in a process that has used "
                               "libvirt-admin")


ADMIN_MISUSE_SCRIPT = """
import sys
import virt
in_process = sys.argv[1] == "in-process"
with virt.admin.connect({uri!r}, in_process=in_process) as admin:
    server = admin.lookup_server("libvirtd")
    [client, *_] = server.list_clients()
    # libvirt-admin does not check the kind of object it is given: each of
    # these would hand it an object of another class.
    for call in (lambda: virt.AdminServer.get_name(client),
                 lambda: virt.AdminServer.list_clients(admin),
                 lambda: virt.AdminClient.get_info(server),
                 lambda: virt.AdminConnection.get_uri(client),
                 lambda: virt.AdminConnection.lookup_server(server, "libvirtd")):
        try:
            call()
            print("reached libvirt-admin")
        except TypeError as error:
            print(error)
    print("still usable:", server.get_name(), client.get_id() == client.get_id())
"""


@pytest.mark.parametrize("where", ["helper", "in-process"])
def test_admin_methods_refuse_an_object_of_another_class(libvirtd: SessionDaemon,
                                                         conn: virt.Connection,
                                                         where: str) -> None:
    """An admin method called unbound on another admin object raises before
    libvirt-admin, which would crash on it; in process and through the helper."""
    assert conn.is_alive()  # a client for the server to list
    lines = _admin_run(libvirtd, ADMIN_MISUSE_SCRIPT, where)
    kind = "Remote" if where == "helper" else ""
    assert lines == [f"self must be a virt.AdminServer, not {kind}AdminClient",
                     f"self must be a virt.AdminServer, not {kind}AdminConnection",
                     f"self must be a virt.AdminClient, not {kind}AdminServer",
                     f"self must be a virt.AdminConnection, not {kind}AdminClient",
                     f"self must be a virt.AdminConnection, not {kind}AdminServer",
                     "still usable: libvirtd True"]


def test_admin_api_beside_domain_calls(libvirtd: SessionDaemon) -> None:
    """One program manages domains and administers the daemon (the helper process)."""
    lines = _admin_run(libvirtd, BOTH_SCRIPT)
    assert lines == ["clients: True transport: UNIX", "info: True", "limits: True",
                     "server still usable", "closed: ClosedError", "domains again: True"]


def test_admin_in_process_after_libvirt_is_refused_not_a_crash(
        conn: virt.Connection, libvirtd: SessionDaemon) -> None:
    with pytest.raises(virt.OperationInvalidError, match="separate process"):
        virt.admin.connect(libvirtd.admin_uri, in_process=True)


def test_all_domain_stats_of_a_qemu_guest(qemu_guest: Guest, conn: virt.Connection) -> None:
    domain = conn.domain_lookup_by_name(qemu_guest.name)
    [record] = conn.domain_list_get_stats([domain])
    stats = record.stats
    assert stats.state_state == virt.DomainState.RUNNING
    assert stats.cpu_time is not None and stats.cpu_time > 0
    assert stats.balloon_maximum == 64 * 1024
    assert stats.vcpu_current == 1
    assert record.vcpu and record.vcpu[0]["state"] == virt.VcpuState.RUNNING
    assert record.raw["cpu.time"] == stats.cpu_time
    every = conn.get_all_domain_stats(flags=virt.ConnectGetAllDomainStatsFlags.ACTIVE)
    assert domain in [r.domain for r in every]


def test_get_info_and_tunables_of_a_qemu_guest(qemu_guest: Guest,
                                                conn: virt.Connection) -> None:
    domain = conn.domain_lookup_by_name(qemu_guest.name)
    info = domain.get_info()
    assert info.state is virt.DomainState.RUNNING and info.cpu_time > 0
    assert domain.get_max_memory() == 64 * 1024
    assert domain.get_vcpus_flags(flags=virt.DomainVcpuFlags.LIVE) == 1
    # A session daemon has no cgroups: libvirt refuses CPU tuning with its own error.
    with pytest.raises(virt.UnsupportedError, match="session mode"):
        domain.get_scheduler_parameters_flags()
    assert virt.DomainMemoryStatTags.ACTUAL_BALLOON in domain.memory_stats()


def test_monitor_command_with_files(qemu_guest: Guest, conn: virt.Connection) -> None:
    domain = conn.domain_lookup_by_name(qemu_guest.name)
    reply, files = virt.qemu.monitor_command_with_files(
        domain, json.dumps({"execute": "query-name"}))
    assert json.loads(reply)["return"]["name"] == qemu_guest.name
    assert files == []


def test_lxc_functions_on_a_qemu_domain_raise(qemu_guest: Guest, conn: virt.Connection) -> None:
    domain = conn.domain_lookup_by_name(qemu_guest.name)
    with pytest.raises(virt.Error):
        virt.lxc.open_namespace(domain)


def test_a_forked_child_leaves_the_parents_connection_alone(conn: virt.Connection) -> None:
    """The child inherits the connection's socket: closing it there would close
    the parent's session with the daemon.  Wrappers from before fork() are not
    freed in the child."""
    import gc
    import os

    hostname = conn.get_hostname()
    pid = os.fork()
    if pid == 0:
        try:
            conn.close()
            gc.collect()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert conn.get_hostname() == hostname  # still connected
    assert conn.is_alive()
