"""The reviewed tables: every per-function decision the C declarations do not say.

One module per subject, each entry a fact about one C function, argument, type or
error code, reviewed against libvirt's API reference.  The generators in
``tools/`` read only these tables and the API facts; what they decide for each C
function is written to the resolved record (``tools/api/shapes-<version>.json``),
which every layer above the raw one renders from.

``methods``  object classes, names, argument and result shapes of the core's methods
``events``   event IDs, their dataclasses, and the hand-written event functions
``streams``  the hand-written stream functions
``params``   typed-parameter families and the functions that take or return them
``errors``   error-code groups and the built-in exceptions they also derive from
``enums``    enum and flag type names that do not follow the rule
``types``    C types whose ctypes form the declaration alone does not decide
``stubs``    what the stubs of the official binding's API cannot derive (``stubs/``)
"""
