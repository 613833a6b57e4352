"""What every compat class shares, and the bridge between core and compat objects.

A compat object *is* a core object: ``virDomain`` derives from `virt.Domain`,
so one wrapper owns one libvirt reference with the core's ownership logic.
What compat adds is a ``__dict__`` (programs set attributes and replace
methods on live objects), libvirt-python's constructor and helpers, and its
method names.

Two ways lead from a core object to its compat class:

`take`
    for an object the compat layer just received from a core call and that
    nobody else has seen: the reference moves to a new compat object (no C
    call) and the core object is left empty.
`as_compat`
    for an object a caller still holds: the compat *view* shares the core
    object's reference (no new one) and keeps it alive; closing either closes
    both, and a view of a closed object passes NULL to libvirt, which then
    reports "invalid … pointer" (never a dangling pointer).
"""

from __future__ import annotations

import ctypes
import sys
import types

import virt
from virt import _marshal, raw
from virt._lazy import import_module
from virt._objects import CORE, Wrappers

from .._libvirt_error import ErrorTuple, libvirtError, set_last_error_reader

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, ClassVar

__all__ = ["COMPAT", "CORE_NAMES", "GROUPS", "Child", "CompatObject", "LazyModule", "as_compat",
           "compat_class", "compat_class_named", "define", "error_tuple", "init", "is_core_class",
           "last_error_tuple", "libvirtError", "rebind", "report", "take", "take_all"]


#: The compat classes by group.  Each group is defined by its own modules,
#: ``_classes<suffix>`` on the generated ``_methods<suffix>``, imported when
#: one of its classes is first needed (a connection, a look-up, an attribute of
#: the package): as the core defines its classes in modules imported on first
#: use (the suffix names the core's module), so a program that never sees a
#: network does not build ``virNetwork``.  ``tools/gencompat.py`` reads this table.
GROUPS: dict[str, tuple[str, ...]] = {
    "": ("virConnect", "virDomain"),
    "_snapshots": ("virDomainSnapshot", "virDomainCheckpoint"),
    "_network": ("virNetwork", "virNetworkPort"),
    "_host": ("virInterface", "virNodeDevice", "virSecret", "virNWFilter", "virNWFilterBinding"),
    "_storage": ("virStoragePool", "virStorageVol"),
    "_stream": ("virStream",),
}
_GROUP_OF = {name: suffix for suffix, names in GROUPS.items() for name in names}

#: core class name -> the name of its compat class
COMPAT_NAMES = {
    "Connection": "virConnect", "Domain": "virDomain", "DomainSnapshot": "virDomainSnapshot",
    "DomainCheckpoint": "virDomainCheckpoint", "Network": "virNetwork",
    "NetworkPort": "virNetworkPort", "Interface": "virInterface", "StoragePool": "virStoragePool",
    "StorageVol": "virStorageVol", "NodeDevice": "virNodeDevice", "Secret": "virSecret",
    "NWFilter": "virNWFilter", "NWFilterBinding": "virNWFilterBinding", "Stream": "virStream",
}

#: The names of the core classes compat has a class for.  By name: most of them
#: live in modules ``import virt`` leaves out until first use (~6 ms for all).
CORE_NAMES = frozenset(COMPAT_NAMES)

#: core class (and its compat class) -> the compat class, for those defined so far
_COMPAT_OF: dict[type, Any] = {}
#: compat class name -> the compat class, for those defined so far
_COMPAT_BY_NAME: dict[str, Any] = {}
#: the compat classes
_COMPAT_CLASSES: set[type] = set()


def report() -> None:
    """Print the exception being handled, as the official binding does for an
    exception escaping a callback (through ``sys.excepthook``).  Nothing may
    escape into C: should printing fail too (stderr closed), that is dropped."""
    try:
        sys.excepthook(*sys.exc_info())
    except BaseException:  # noqa: B036 - nowhere left to report it
        pass


class LazyModule:
    """Module *name*, imported when one of its attributes is first read; each
    attribute is then found by plain attribute look-up on this object."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(import_module(self._name), attribute)
        setattr(self, attribute, value)
        return value


_decode = _marshal.optional_decode


def error_tuple(error: Any) -> ErrorTuple:
    """libvirt-python's 9-tuple of a ``virError`` struct."""
    return (error.code, error.domain, _decode(error.message) or "", error.level,
            _decode(error.str1), _decode(error.str2), _decode(error.str3),
            error.int1, error.int2)


def last_error_tuple() -> ErrorTuple | None:
    """The calling thread's last libvirt error as a 9-tuple, or None."""
    if _marshal._READ_A_COPY:  # PyPy: read from a copy (see there)
        return _marshal.copied_last_error(error_tuple)
    error = raw.virGetLastError()
    if not error:
        return None
    contents = error.contents  # each read of .contents makes a struct object
    return error_tuple(contents) if contents.code else None


set_last_error_reader(last_error_tuple)


class CompatObject:
    """Mixed in front of a core class to make its compat class.

    A subclass names the core class it extends in its bases, after this one:
    ``class virDomain(CompatObject, virt.Domain)``.
    """

    # No __slots__: compat instances have a __dict__.
    _as_parameter_: Any
    _parent: Any
    _shared_after_fork: ClassVar[bool]
    _view_class: ClassVar[type]
    _own: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if cls.__dict__.get("_is_view") or "_open_class" in cls.__dict__:
            super().__init_subclass__(**kwargs)  # a view, or the core's closed variant
            return
        super().__init_subclass__(**kwargs)
        core = next((b for b in cls.__mro__[1:] if is_core_class(b)), None)
        if core is None:
            return
        module = cls.__module__
        if module.startswith("virt.compat"):
            # One of compat's own classes (not a program's subclass of one):
            # registered by `define` once its module has set it up.
            module = cls.__module__ = "libvirt"
            _COMPAT_CLASSES.add(cls)
        # The closed variant.  The core's refuses every method; libvirt-python
        # passes NULL to libvirt, which reports "invalid connection pointer in
        # virConnectGetURI" (code, domain and text as programs expect).  So
        # does this one: its methods run with a NULL handle, which every
        # libvirt function checks.
        cls._closed_class = type(cls.__name__, (cls,), {  # type: ignore[attr-defined]
            "__slots__": (), "__module__": module, "__qualname__": cls.__qualname__,
            "_open_class": cls, "closed": property(_true)})
        # The view class (see `as_compat`) is made on first use.

    def c_pointer(self) -> int:
        """The address of the C object (an ``int``)."""
        handle = self._as_parameter_
        if handle is None:
            raise virt.ClosedError(f"this {type(self).__name__} is closed")
        return int(handle)

    def __repr__(self) -> str:
        return f"<libvirt.{type(self).__qualname__} object at {id(self):#x}>"


class Child:
    """``connect()`` for objects whose parent is their connection."""

    __slots__ = ()
    _parent: Any

    def connect(self) -> Any:
        """The connection this object belongs to."""
        return as_compat(self._parent)


def init(self: Any, parent: Any, _obj: Any) -> None:
    """libvirt-python's constructor, ``virDomain(conn, _obj=...)``, for every class.

    *_obj* is what to wrap: a core or compat object of the same kind (the
    result takes a reference of its own) or a raw handle of the right type
    (likewise).  Objects otherwise come from the library.
    """
    cls = type(self)
    handle: int | raw.Handle | None
    self._as_parameter_ = None  # until adopted: nothing to free if this fails
    if _obj is None:
        raise TypeError(f"{cls.__name__}() needs _obj, an object of the same kind or a raw "
                        f"handle: objects come from libvirt (look-ups, lists)")
    if isinstance(_obj, virt.LibvirtObject):
        core = next(base for base in cls.__mro__ if is_core_class(base))
        if not isinstance(_obj, core):
            raise TypeError(f"_obj must be a {cls.__name__}, not {type(_obj).__name__}")
        handle = _obj._as_parameter_
        if handle is None:
            raise virt.ClosedError(f"_obj is a closed {type(_obj).__name__}")
        parent = _obj._parent
    elif isinstance(_obj, raw.Handle):
        handle = _obj
    else:
        raise TypeError(f"_obj must be a virt object or a raw handle, not {type(_obj).__name__}")
    adopted = cls._adopt(handle, parent)
    # Move the new reference into this instance.
    self._as_parameter_ = adopted._as_parameter_
    self._parent = adopted._parent
    if cls._shared_after_fork:
        self._generation = adopted._generation
    adopted._as_parameter_ = None


def _true(_self: Any) -> bool:
    return True


def _view_class(cls: type) -> type:
    """Make the class of compat class *cls*'s views (see `as_compat`)."""
    view = type(cls.__name__, (cls,), {
        "__slots__": (), "__module__": cls.__module__, "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__, "_is_view": True,
        "_as_parameter_": property(_view_handle), "__del__": _view_del,
        "close": _view_close,
    })
    cls._view_class = view  # type: ignore[attr-defined]
    return view


def _view_handle(self: Any) -> Any:
    return self.__dict__["_core"]._as_parameter_


def _view_del(self: Any) -> None:
    pass  # the core object owns the reference


def _view_close(self: Any) -> Any:
    core = self.__dict__["_core"]
    core.close()
    return 0


def is_core_class(cls: Any) -> bool:
    """Whether *cls* is one of the core classes of `CORE_NAMES` (``virt.Domain``)."""
    name = getattr(cls, "__name__", None)
    return name in CORE_NAMES and CORE.__dict__.get(name) is cls


def compat_class_named(name: str) -> Any:
    """Compat class *name* (``"virDomain"``), defined with its group on first use.

    Another thread defining the group meanwhile, this waits for it (the
    module's import lock), so every thread gets the same classes.
    """
    try:
        return _COMPAT_BY_NAME[name]
    except KeyError:
        import_module(f"virt.compat._classes{_GROUP_OF[name]}")
        return _COMPAT_BY_NAME[name]


def compat_class(cls: type) -> Any:
    """The compat class of core class *cls* (``virt.Domain`` -> ``virDomain``)."""
    try:
        return _COMPAT_OF[cls]
    except KeyError:
        if not is_core_class(cls):
            raise
        return compat_class_named(COMPAT_NAMES[cls.__name__])


class _CompatWrappers(Wrappers):
    """The compat family of wrapper classes: the core's methods called on a
    compat object wrap the objects they return in these
    (``self._wrappers.Domain``), each defined on first use; classes compat
    does not have (the admin API's) are the core's."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"no wrapper class {name!r}")
        cls = compat_class_named(COMPAT_NAMES[name]) if name in CORE_NAMES else getattr(CORE, name)
        self.__dict__[name] = cls  # found by plain attribute look-up from now on
        return cls


COMPAT = _CompatWrappers()


def define(namespaces: dict[str, CoreFunctions], *classes: Any) -> None:
    """Finish compat classes *classes* of a group, defined by its module.

    The core methods that build objects build compat ones, on compat objects
    and in the generated methods (through *namespaces*, by compat class: see
    `_rebind_core_methods`); then the classes are registered, so that another
    thread finds them only once they are complete.
    """
    for cls in classes:
        cls._wrappers = COMPAT
        _rebind_core_methods(namespaces[cls.__name__], cls)
    package = vars(sys.modules["virt.compat"])  # ``libvirt.virDomain``: a plain look-up
    for cls in classes:
        core = next(base for base in cls.__mro__ if is_core_class(base))
        _COMPAT_OF[cls] = cls
        _COMPAT_OF[core] = cls
        _COMPAT_BY_NAME[cls.__name__] = cls
        package.setdefault(cls.__name__, cls)


def take(obj: Any) -> Any:
    """The compat object of *obj*, a core object fresh from a core call.

    The libvirt reference moves from *obj* (left empty, so it frees nothing)
    to the result.  Anything that is not a core object is returned as it is.
    """
    cls = _COMPAT_OF.get(type(obj))
    if cls is None:
        if not is_core_class(type(obj)):
            return obj
        cls = compat_class(type(obj))  # the first object of its kind compat takes
    if cls is type(obj):
        return obj
    new: Any = object.__new__(cls)
    new._as_parameter_ = obj._as_parameter_
    new._parent = obj._parent
    if cls._shared_after_fork:
        new._generation = obj._generation
    obj._as_parameter_ = None
    return new


def take_all(objects: Iterable[Any]) -> list[Any]:
    """`take` of each of *objects*, as a list (as it is when they are compat objects
    already, which a rebound core method's are)."""
    if isinstance(objects, list) and (not objects or type(objects[0]) in _COMPAT_CLASSES):
        return objects
    return [take(obj) for obj in objects]


def as_compat(obj: Any) -> Any:
    """The compat view of *obj*, a core object a caller holds.

    Compat objects and anything that is not a libvirt object come back as
    they are.  The view shares *obj*'s libvirt reference and keeps *obj*
    alive.
    """
    cls = _COMPAT_OF.get(type(obj))
    if cls is None:
        if not is_core_class(type(obj)):
            return obj
        cls = compat_class(type(obj))
    if isinstance(obj, cls):
        return obj
    view: Any = object.__new__(cls.__dict__.get("_view_class") or _view_class(cls))
    view.__dict__["_core"] = obj
    view._parent = obj._parent
    if cls._shared_after_fork:
        view._generation = obj._generation
    return view


class _Stand:
    """A core class's stand-in inside a core function `rebind` made for compat.

    Core methods build their results with the class they name
    (``Domain._own(result, self)``, ``take_objects(array, n, Domain, self)``).
    In the rebound copy that name means this object: it builds the compat
    class's objects, while ``isinstance(x, Domain)`` still accepts every core
    domain (compat or not), as the core's argument checks expect.
    """

    __slots__ = ("_core", "_compat", "_own", "_handle_type", "__name__")

    def __init__(self, core: type) -> None:
        self._core = core
        self.__name__ = core.__name__

    def __instancecheck__(self, obj: Any) -> bool:
        return isinstance(obj, self._core)

    def __subclasscheck__(self, cls: Any) -> bool:
        return issubclass(cls, self._core)

    def __getattr__(self, name: str) -> Any:
        if name in ("_compat", "_own", "_handle_type"):
            # The compat class, defined when a rebound function first needs it:
            # from then on these are plain slots.
            compat = self._compat = compat_class(self._core)
            self._own = compat._own
            self._handle_type = compat._handle_type
            return getattr(self, name)
        return getattr(self._compat, name)


class _ParamsStand:
    """A typed-parameter class's stand-in inside a `rebind` copy with *params*.

    Unpacking gives libvirt-python's plain dict, in libvirt's order; packing
    (setters) still uses the class's declared types.
    """

    __slots__ = ("_cls", "__name__")

    def __init__(self, cls: type) -> None:
        self._cls = cls
        self.__name__ = cls.__name__

    @staticmethod
    def _unpack(params: Any, nparams: int) -> dict[str, Any]:
        return _unpack_params(params, nparams)

    @staticmethod
    def _unpack_at(address: int, nparams: int) -> dict[str, Any]:
        """`_unpack` of the array at *address*."""
        params = ctypes.cast(address, raw.pointer_type(raw.virTypedParameter)) if address else None
        return _unpack_params(params, nparams)

    @staticmethod
    def _unpack_many_at(arrays: Iterable[tuple[int, int]]) -> list[dict[str, Any]]:
        """`_unpack` of each (address, nparams) array (the core's domain statistics path)."""
        return _unpack_many_params_at(arrays)

    def __instancecheck__(self, obj: Any) -> bool:
        return isinstance(obj, self._cls)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cls, name)


_STANDS: dict[tuple[type, bool], Any] = {}
#: (id of a module's globals, params) -> the globals its rebound functions run with
_REBOUND_GLOBALS: dict[tuple[int, bool], dict[str, Any]] = {}
_params_module = import_module("virt._generated.params")


def _load_typedparams() -> None:
    """Bind the typed-parameter helpers below to `virt.typedparams`'s, which is
    imported (~1 ms) when the first of them is called, not with compat."""
    from virt import typedparams

    # (Not a ``global`` statement: PyPy refuses one for an annotated module name.)
    globals().update(_unpack_params=typedparams.unpack,
                     _unpack_many_params_at=typedparams._unpack_many_at,
                     _take_buffer_dict=typedparams._take_buffer_dict)


def _first_unpack_params(params: Any, nparams: int) -> dict[str, Any]:
    _load_typedparams()
    return _unpack_params(params, nparams)


def _first_unpack_many_params_at(arrays: Iterable[tuple[int, int]]) -> list[dict[str, Any]]:
    _load_typedparams()
    return _unpack_many_params_at(arrays)


def _first_take_buffer_dict(buffer: Any, nparams: int) -> dict[str, Any]:
    _load_typedparams()
    return _take_buffer_dict(buffer, nparams)


_unpack_params: Callable[[Any, int], dict[str, Any]] = _first_unpack_params
_unpack_many_params_at: Callable[[Iterable[tuple[int, int]]], list[dict[str, Any]]] = \
    _first_unpack_many_params_at
_take_buffer_dict: Callable[[Any, int], dict[str, Any]] = _first_take_buffer_dict


def _take_params_dict(cls: Any, params: Any, nparams: int) -> dict[str, Any]:
    """`virt._marshal.take_params` giving libvirt-python's dict (libvirt's order)."""
    try:
        return _unpack_params(params, nparams)
    finally:
        if params:
            raw.virTypedParamsFree(params, nparams)


def _take_param_buffer_dict(cls: Any, buffer: Any, nparams: int) -> dict[str, Any]:
    """`virt._marshal.take_param_buffer` giving libvirt-python's dict."""
    return _take_buffer_dict(buffer, nparams)


#: The core's helpers that build typed-parameter records, and their dict versions.
_PARAM_TAKERS = {_marshal.take_params: _take_params_dict,
                 _marshal.take_param_buffer: _take_param_buffer_dict}


class _ParamsModuleStand:
    """The typed-parameter module's stand-in (``_params.DomainStats._unpack``)
    inside a `rebind` copy with *params*: its classes are `_ParamsStand` s."""

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        # Only statistics, which are never packed: the core's packing checks
        # that it gets a real parameter set class.
        stand = _stand(value, True) if name == "DomainStats" else None
        result = value if stand is None else stand
        setattr(self, name, result)
        return result


def _stand(value: Any, params: bool) -> Any:
    """The stand-in for global *value* in a rebound function, or None."""
    if params and value is _params_module:
        stand = _STANDS.get((_ParamsModuleStand, True))
        if stand is None:
            stand = _STANDS[(_ParamsModuleStand, True)] = _ParamsModuleStand(value)
        return stand
    if params and callable(value) and not isinstance(value, type):
        try:
            return _PARAM_TAKERS.get(value)
        except TypeError:  # unhashable
            return None
    if not isinstance(value, type):
        return None
    stand = _STANDS.get((value, params))
    if stand is None:
        # (A typed-parameter class exists only once virt.typedparams is imported.)
        param_set = getattr(sys.modules.get("virt.typedparams"), "ParamSet", None)
        if is_core_class(value):
            stand = _Stand(value)
        elif params and param_set is not None and issubclass(value, param_set) and \
                value is not param_set:
            stand = _ParamsStand(value)
        else:
            return None
        _STANDS[(value, params)] = stand
    return stand


def rebind(function: Any, params: bool = False) -> Any:
    """A copy of core *function* whose results are compat objects.

    The copy runs the same code (no wrapper, no second marshalling) with
    globals in which each core class the function names stands for its
    compat class (see `_Stand`), and with *params*, each typed-parameter
    class for libvirt-python's dicts (see `_ParamsStand`).  The compat
    classes must exist (call it after defining them).
    """
    namespace = _rebound_globals(function.__globals__, params)
    if namespace is function.__globals__:
        return function
    rebound = types.FunctionType(function.__code__, namespace, function.__name__,
                                 function.__defaults__, function.__closure__)
    rebound.__kwdefaults__ = function.__kwdefaults__
    rebound.__qualname__ = function.__qualname__
    rebound.__doc__ = function.__doc__
    rebound.__annotations__ = function.__annotations__
    return rebound


def _rebound_globals(module_globals: dict[str, Any], params: bool) -> dict[str, Any]:
    """*module_globals* with each core class (and with *params*, each
    typed-parameter class) standing for its compat stand-in; *module_globals*
    itself where the module names none.  One copy of a module's globals
    serves all its rebound functions."""
    key = (id(module_globals), params)
    namespace = _REBOUND_GLOBALS.get(key)
    if namespace is None:
        names = {}
        for name, value in module_globals.items():
            stand = _stand(value, params)
            if stand is not None:
                names[name] = stand
        namespace = {**module_globals, **names} if names else module_globals
        _REBOUND_GLOBALS[key] = namespace
    return namespace


def _uses(code: Any, names: frozenset[str]) -> bool:
    """Whether *code* or the code nested in it (comprehensions, lambdas) uses
    one of global or attribute *names*."""
    if not names.isdisjoint(code.co_names):
        return True
    for const in code.co_consts:
        if hasattr(const, "co_names") and _uses(const, names):
            return True
    return False


def _function_member(cls: type, name: str) -> Any:
    """The plain Python function attribute look-up finds for *name* on *cls*,
    or None (a class method, property, slot, PyPy's built-in code, …)."""
    for base in cls.__mro__:
        if name in vars(base):
            function = vars(base)[name]
            if isinstance(function, types.FunctionType) and hasattr(function.__code__,
                                                                    "co_names"):
                return function
            return None
    return None


def _params_names() -> frozenset[str]:
    """The names by which core code builds typed-parameter records."""
    names = {"take_params", "take_param_buffer", "_take_params", "_take_param_buffer",
             "_params"}
    typedparams = sys.modules.get("virt.typedparams")  # no parameter class before it
    if typedparams is not None:
        names |= {cls.__name__ for cls in _all_subclasses(typedparams.ParamSet)}
    return frozenset(names)


class CoreFunctions:
    """A core class's functions as the generated compat methods call them.

    ``_Domain.get_info`` is ``virt.Domain.get_info`` itself; once
    `rebind_core_methods` has run, a function that builds objects
    (``_Connection.domain_lookup_by_name``) is its `rebind` copy, which builds
    compat objects directly.
    """

    def __init__(self, core: str) -> None:
        self._name = core
        #: set by `define`: from then on a function whose code names a core
        #: class or a typed-parameter class gets its `rebind` copy (compat
        #: objects, plain dicts) when a generated method first needs it
        self._defined = False

    def __getattr__(self, name: str) -> Any:
        if name == "_core":  # the core class, whose module is imported on first use
            value: Any = getattr(virt, self._name)
        else:
            value = getattr(self._core, name)
            if self._defined:
                function = _function_member(self._core, name)
                if function is not None and _uses(function.__code__,
                                                  CORE_NAMES | _params_names()):
                    value = rebind(value, params=True)
        setattr(self, name, value)  # found by plain attribute look-up from now on
        return value


def _all_subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        found |= {sub, *_all_subclasses(sub)}
    return found


def _rebind_core_methods(namespace: CoreFunctions, compat: Any) -> None:
    """Make the core methods that build objects build compat ones, on compat objects.

    Every function of the core class's hierarchy whose code names a core
    class gets a `rebind` copy on compat class *compat* (compat objects, the
    core's records), unless compat defines that name itself (``dom.create()``
    is libvirt-python's there); the generated compat methods get theirs
    (compat objects, plain dicts) through *namespace* when first called.
    So ``conn.lookupByName(…)`` and ``conn.domain_lookup_by_name(…)`` on a
    compat connection both return a ``virDomain``, with no wrapper in between.
    """
    for cls in namespace._core.__mro__:
        module = sys.modules.get(cls.__module__)
        if module is not None and _rebound_globals(vars(module), False) is vars(module):
            continue  # a class of a module that names no core class: the generated
            #           methods, which build objects with ``self._wrappers``
        for name, function in vars(cls).items():
            if name.startswith("__") or not isinstance(function, types.FunctionType) or \
                    not hasattr(function.__code__, "co_names"):
                continue  # plain Python functions only (not class methods, properties,
                #           slots, nor PyPy's built-in code)
            # What attribute look-up on compat finds (not a name compat
            # defines itself, nor one a class before this one overrides).
            if getattr(compat, name) is function and _uses(function.__code__, CORE_NAMES):
                rebound = rebind(function)  # compat objects, core records
                if rebound is not function:
                    setattr(compat, name, rebound)
    namespace._defined = True
