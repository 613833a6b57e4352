"""Secrets planted in URIs and typed parameters never show in a repr or an error message."""

from __future__ import annotations

from typing import Any

import pytest

import virt
import virt.typedparams as typedparams
from rig import SessionDaemon
from virt.connection import redact_uri

PLANTED = "PLANTED-s3cr3t"


def texts_of(error: BaseException) -> list[str]:
    """Everything an exception shows: str, repr and libvirt's extra strings."""
    texts = [str(error), repr(error)]
    if isinstance(error, virt.Error):
        texts += [error.message, *(s for s in (error.str1, error.str2, error.str3) if s)]
    return texts


def test_uris_lose_their_password() -> None:
    cases = {
        f"qemu+ssh://alice:{PLANTED}@host/system": "qemu+ssh://alice:***@host/system",
        f"qemu+tcp://a:{PLANTED}:x@[::1]:16509/system?k=v": "qemu+tcp://a:***@[::1]:16509/system?k=v",
        "qemu+ssh://alice@host/system": "qemu+ssh://alice@host/system",
        "test:///default": "test:///default",
        "qemu:///system?socket=/a:b@c": "qemu:///system?socket=/a:b@c",
    }
    for uri, shown in cases.items():
        assert redact_uri(uri) == shown


def test_a_failed_connect_does_not_show_the_password() -> None:
    for uri in (f"test+tcp://alice:{PLANTED}@127.0.0.1:1/default",
                f"test+tcp://alice:{PLANTED.replace('-', '%2D')}@127.0.0.1:1/default"):
        with pytest.raises(virt.Error) as caught:
            virt.connect(uri)
        for text in texts_of(caught.value):
            assert PLANTED not in text


def test_a_connections_repr_does_not_show_the_password(libvirtd: SessionDaemon) -> None:
    uri = libvirtd.test_uri.replace("test+unix:///", f"test+unix://alice:{PLANTED}@/")
    with virt.connect(uri) as conn:
        assert PLANTED not in repr(conn) and "alice:***@" in repr(conn)
        assert PLANTED in conn.get_uri()  # asked for explicitly: the URI as given
        domain = conn.domain_lookup_by_name("test")
        assert PLANTED not in repr(domain)


def secret_parameter_sets() -> list[tuple[type[typedparams.ParamSet], list[str]]]:
    found = []
    for name in virt.__all__:
        cls = getattr(virt, name)
        if isinstance(cls, type) and issubclass(cls, typedparams.ParamSet):
            secret = [field for field, key in cls.KEYS.items() if typedparams.is_secret(key)]
            if secret:
                found.append((cls, secret))
    return found


def test_secret_typed_parameters_are_not_shown() -> None:
    sets = secret_parameter_sets()
    names = {(cls.__name__, field) for cls, fields in sets for field in fields}
    assert {("LaunchSecurityState", "sev_secret"),
            ("LaunchSecurityState", "sev_secret_header")} <= names
    assert not typedparams.is_secret("sev-secret-set-address")  # an address, shown
    for cls, fields in sets:
        values: dict[str, Any] = {field: PLANTED for field in fields}
        instance = cls(**values)
        assert PLANTED not in repr(instance) and PLANTED not in str(instance)
        assert "<secret>" in repr(instance)
        assert instance.to_mapping()  # the values themselves are there, for libvirt
    unknown = virt.LaunchSecurityState.from_mapping({"newer.password": PLANTED, "n": 1})
    assert PLANTED not in repr(unknown) and "'n': 1" in repr(unknown)


def test_errors_about_secret_parameters_do_not_show_them(conn: virt.Connection) -> None:
    domain = conn.domain_lookup_by_name("test")
    attempts: list[Any] = [
        lambda: typedparams.pack_params({"sev-secret": PLANTED + "\0"},
                                        virt.LaunchSecurityState),
        lambda: typedparams.pack({"x.password": 2**70 + 7}),  # its value is the secret
        lambda: domain.set_launch_security_state(
            virt.LaunchSecurityState(sev_secret=PLANTED, sev_secret_header=PLANTED)),
    ]
    for attempt in attempts:
        with pytest.raises(Exception) as caught:  # noqa: B017 - each has its own kind
            attempt()
        for text in texts_of(caught.value):
            assert PLANTED not in text and str(2**70 + 7) not in text, text
