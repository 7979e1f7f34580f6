"""Answers as plain data: how a trainee's values cross from the kernel to the checker.

The kernel runs the trainee's code, so anything it hands over may lie.  It therefore hands over
data only, never objects: JSON for numbers, text, lists, tuples, sets and dicts (with a type tag
where JSON has none), Arrow IPC files for DataFrames, Series and Index, ``.npy`` files (never
pickled) for numpy arrays.  The checker decodes them with parsers that build plain pandas / numpy
/ Python values, whose ``__eq__`` is pandas' and numpy's own.  A function is not sent at all: the
checker gets a ``Proxy`` that asks the kernel to call it on plain-data arguments and send back
the plain-data result.  A value of any other type arrives as ``Unsendable`` (any use of it fails
with a message that says what it was).

>>> import pandas as pd, tempfile
>>> folder = tempfile.mkdtemp()
>>> ns = {"n": 3, "share": 0.25, "ids": ("a", "b"), "df": pd.DataFrame({"x": [1, 2]}), "f": len}
>>> manifest = export(ns, ["n", "share", "ids", "df", "f", "missing"], folder)
>>> got = load(folder, manifest, call=None)
>>> got["n"], got["share"], got["ids"], got["df"]["x"].tolist(), sorted(got)
(3, 0.25, ('a', 'b'), [1, 2], ['df', 'f', 'ids', 'n', 'share'])
>>> type(got["f"]).__name__
'Proxy'
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from pathlib import Path

#: Limits on what one export may hold (the checker reads nothing bigger).
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_DEPTH = 20
MAX_ITEMS = 1_000_000
#: Modules a test may find already imported in the notebook (``pd``): the checker imports its
#: own copy of these, never a module the kernel names otherwise.
MODULES = ("pandas", "numpy", "math", "re", "datetime", "collections", "statistics",
           "matplotlib", "matplotlib.pyplot", "pathlib", "campaignlab", "campaignlab.data",
           "campaignlab.voterfile")


class WireError(ValueError):
    """The kernel sent something that is not plain data of a known shape."""


# ------------------------------------------------------------------ kernel side: encode
def _numpy_scalar(value):
    import numpy as np

    if isinstance(value, np.generic) and value.dtype.kind in "biufcMmU":
        return {"t": "np", "dtype": value.dtype.str, "v": _encode(value.item(), None, 0)}
    return None


def _encode(value, files: list | None, depth: int):
    """A JSON-able tagged form of ``value``; frames and arrays go to ``files`` (a list of
    (kind, object)) and are referred to by index."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and type(value) is int:
        return value if abs(value) < 2**53 else {"t": "int", "v": str(value)}
    if isinstance(value, float) and type(value) is float:
        return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
    np_scalar = _numpy_scalar(value) if type(value).__module__ == "numpy" else None
    if np_scalar is not None:
        return np_scalar
    if type(value) in (list, tuple, set, frozenset):
        items = list(value) if type(value) in (list, tuple) else sorted(value, key=repr)
        if len(items) > MAX_ITEMS:
            raise WireError("too many items")
        return {"t": type(value).__name__, "v": [_encode(x, files, depth + 1) for x in items]}
    if type(value) is dict:
        return {"t": "dict", "v": [[_encode(k, files, depth + 1), _encode(v, files, depth + 1)]
                                   for k, v in value.items()]}
    if type(value) in (_dt.datetime, _dt.date, _dt.time):
        return {"t": type(value).__name__, "v": value.isoformat()}
    if type(value) is _dt.timedelta:
        return {"t": "timedelta", "v": value.total_seconds()}
    if isinstance(value, os.PathLike) and type(value).__module__ == "pathlib":
        return {"t": "path", "v": os.fspath(value)}
    kind = type(value).__module__.split(".")[0], type(value).__name__
    if kind[0] == "pandas":
        import pandas as pd

        if type(value) in (pd.DataFrame, pd.Series) or isinstance(value, pd.Index):
            if files is None:
                raise WireError("a table inside a table")
            files.append(value)
            return {"t": "frame", "file": len(files) - 1}
        if value is pd.NA:
            return {"t": "NA"}
        if value is pd.NaT:
            return {"t": "NaT"}
        if type(value) is pd.Timestamp:
            return {"t": "timestamp", "v": value.isoformat()}
        if type(value) is pd.Timedelta:
            return {"t": "pd.timedelta", "v": value.value}
    if kind[0] == "numpy" and kind[1] == "ndarray":
        if value.dtype.kind not in "biufcMmU":
            raise WireError(f"a numpy array of dtype {value.dtype}")
        if files is None:
            raise WireError("an array inside a table")
        files.append(value)
        return {"t": "ndarray", "file": len(files) - 1}
    raise WireError(f"a {kind[0]}.{kind[1]}")


def _write_frame(value, path: Path) -> str:
    import pandas as pd
    import pyarrow as pa

    if isinstance(value, pd.Index):
        kind, frame = "index", pd.DataFrame(index=value)
    elif isinstance(value, pd.Series):
        kind, frame = "series", value.to_frame(name="__series__")
    else:
        kind, frame = "frame", value
    table = pa.Table.from_pandas(frame, preserve_index=True)
    meta = dict(table.schema.metadata or {})
    if kind == "series":
        meta[b"campaignlab"] = json.dumps({"name": _encode(value.name, None, 0)}).encode()
    table = table.replace_schema_metadata(meta)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return kind


def encode_value(value, folder: Path | str, stem: str) -> dict:
    """``{"value": tagged, "files": [{"name", "kind"}]}``, frames written to ``folder``."""
    import numpy as np

    folder = Path(folder)
    files: list = []
    if callable(value) and not isinstance(value, type) and (
            type(value).__name__ in ("function", "method", "builtin_function_or_method")):
        return {"value": {"t": "function", "name": getattr(value, "__name__", "")}, "files": []}
    tagged = _encode(value, files, 0)
    out = []
    for k, obj in enumerate(files):
        name = f"{stem}-{k}.arrow"
        if isinstance(obj, np.ndarray):
            name = f"{stem}-{k}.npy"
            np.save(folder / name, obj, allow_pickle=False)
            out.append({"name": name, "kind": "ndarray"})
        else:
            out.append({"name": name, "kind": _write_frame(obj, folder / name)})
    return {"value": tagged, "files": out}


def export(ns: dict, names: list[str], folder: Path | str) -> dict:
    """Kernel side: the values of ``names`` found in ``ns`` (a notebook's globals), as data in
    ``folder``.  Returns the manifest (also written to ``folder/manifest.json``)."""
    import types

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict = {}
    for k, name in enumerate(names):
        if name not in ns:
            continue
        value = ns[name]
        if isinstance(value, types.ModuleType):
            manifest[name] = {"value": {"t": "module", "name": value.__name__}, "files": []}
            continue
        try:
            manifest[name] = encode_value(value, folder, f"v{k}")
        except Exception as err:  # noqa: BLE001 - any value grading cannot read
            manifest[name] = {"value": {"t": "unsendable", "type": _type_name(value),
                                        "why": str(err)[:200]}, "files": []}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def call(ns: dict, name: str, request: Path | str, reply: Path | str) -> None:
    """Kernel side: call the notebook's function ``name`` on the arguments in ``request``
    (a folder written by the checker) and write the result, or the error, to ``reply``."""
    reply = Path(reply)
    reply.mkdir(parents=True, exist_ok=True)
    try:
        args = load(request, json.loads((Path(request) / "manifest.json").read_text()), call=None)
        result = ns[name](*args["args"], **args["kwargs"])
        doc = {"ok": True, **encode_value(result, reply, "r")}
    except Exception as err:  # noqa: BLE001 - the trainee's function failed: the test says so
        doc = {"ok": False, "ename": type(err).__name__, "evalue": str(err)[:2000]}
    (reply / "manifest.json").write_text(json.dumps(doc))


def _type_name(value) -> str:
    t = type(value)
    return f"{t.__module__}.{t.__qualname__}"


# ------------------------------------------------------------------ checker side: decode
class Unsendable:
    """Stands for a value grading could not read as data: every use of it fails, saying why."""

    def __init__(self, name: str, type_name: str, why: str):
        self._message = (f"{name} is a {type_name}, which grading cannot read as data ({why}): "
                         "store a number, text, list, dict, DataFrame or Series")

    def _fail(self, *args, **kwargs):
        raise TypeError(self._message)

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __len__ = __iter__ = _fail
    __getitem__ = __call__ = __float__ = __int__ = __contains__ = _fail
    __hash__ = None

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        self._fail()

    def __repr__(self):
        return f"<{self._message}>"


class Proxy:
    """Stands for a trainee's function: calling it asks the kernel to run it on plain data."""

    def __init__(self, name: str, call):
        self.__name__ = name
        self._call = call

    def __call__(self, *args, **kwargs):
        if self._call is None:
            raise TypeError(f"{self.__name__} cannot be called here")
        return self._call(self.__name__, args, kwargs)

    def __repr__(self):
        return f"<function {self.__name__} (runs in the notebook)>"


def _read_frame(path: Path, kind: str):
    # pandas registers its Arrow types for Period and Interval columns (months from
    # ``dt.to_period``, bins from ``pd.cut``) only when this module is imported; a fresh checker
    # process that has not imported it reads them back as plain integers and structs.
    import pandas.core.arrays.arrow.extension_types  # noqa: F401
    import pyarrow as pa

    if path.stat().st_size > MAX_FILE_BYTES:
        raise WireError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
    with pa.memory_map(str(path), "r") as source:
        table = pa.ipc.open_file(source).read_all()
    extra = json.loads((table.schema.metadata or {}).get(b"campaignlab", b"{}"))
    frame = table.to_pandas()
    if kind == "index":
        return frame.index
    if kind == "series":
        s = frame["__series__"]
        s.name = _decode(extra.get("name"), [], Path(), 0)
        return s
    return frame


def _decode(tagged, files: list, folder: Path, depth: int):
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if tagged is None or isinstance(tagged, (bool, int, float, str)):
        return tagged
    if not isinstance(tagged, dict) or not isinstance(tagged.get("t"), str):
        raise WireError(f"not a tagged value: {str(tagged)[:80]}")
    t, v = tagged["t"], tagged.get("v")
    if t in ("list", "tuple", "set", "frozenset"):
        items = [_decode(x, files, folder, depth + 1) for x in _as_list(v)]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[t](items)
    if t == "dict":
        return {_decode(k, files, folder, depth + 1): _decode(x, files, folder, depth + 1)
                for k, x in (_pair(p) for p in _as_list(v))}
    if t == "int":
        return int(str(v))
    if t == "float":
        return float(str(v))
    if t == "np":
        import numpy as np

        dtype = np.dtype(str(tagged.get("dtype")))
        if dtype.kind not in "biufcMmU":
            raise WireError(f"numpy dtype {dtype}")
        return dtype.type(_decode(v, files, folder, depth + 1))
    if t in ("datetime", "date", "time"):
        return getattr(_dt, t).fromisoformat(str(v))
    if t == "timedelta":
        return _dt.timedelta(seconds=float(v))
    if t == "path":
        return Path(str(v))
    if t in ("NA", "NaT", "timestamp", "pd.timedelta"):
        import pandas as pd

        return {"NA": lambda: pd.NA, "NaT": lambda: pd.NaT,
                "timestamp": lambda: pd.Timestamp(str(v)),
                "pd.timedelta": lambda: pd.Timedelta(int(v))}[t]()
    if t in ("frame", "ndarray"):
        k = tagged.get("file")
        if not isinstance(k, int) or not 0 <= k < len(files):
            raise WireError("a table without its file")
        entry = files[k]
        path = folder / Path(str(entry.get("name", ""))).name
        if t == "ndarray":
            import numpy as np

            if path.stat().st_size > MAX_FILE_BYTES:
                raise WireError(f"{path.name} is too large")
            return np.load(path, allow_pickle=False)
        return _read_frame(path, str(entry.get("kind")))
    raise WireError(f"unknown tag {t!r}")


def _as_list(v) -> list:
    if not isinstance(v, list):
        raise WireError("a list was expected")
    if len(v) > MAX_ITEMS:
        raise WireError("too many items")
    return v


def _pair(p):
    if not isinstance(p, list) or len(p) != 2:
        raise WireError("a key-value pair was expected")
    return p


def decode_value(entry: dict, folder: Path | str, name: str = "the value", call=None):
    """Checker side: one manifest entry back as a plain value (``Proxy``, ``Unsendable``)."""
    import importlib

    folder = Path(folder)
    tagged = entry.get("value") if isinstance(entry, dict) else None
    files = entry.get("files", []) if isinstance(entry, dict) else []
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        raise WireError("bad file list")
    if isinstance(tagged, dict) and tagged.get("t") == "function":
        return Proxy(name, call)
    if isinstance(tagged, dict) and tagged.get("t") == "module":
        mod = str(tagged.get("name"))
        if mod in MODULES:
            return importlib.import_module(mod)
        return Unsendable(name, f"module {mod}", "only common modules are passed on")
    if isinstance(tagged, dict) and tagged.get("t") == "unsendable":
        return Unsendable(name, str(tagged.get("type"))[:100], str(tagged.get("why"))[:200])
    return _decode(tagged, files, folder, 0)


def load(folder: Path | str, manifest: dict, call) -> dict:
    """Checker side: ``{name: value}`` for every entry of an export's ``manifest``; a value
    that fails to decode becomes ``Unsendable`` (the test that uses it fails)."""
    if not isinstance(manifest, dict):
        raise WireError("the manifest is not a mapping")
    out = {}
    for name, entry in manifest.items():
        try:
            out[str(name)] = decode_value(entry, folder, str(name), call)
        except Exception as err:  # noqa: BLE001 - malformed or hostile data
            out[str(name)] = Unsendable(str(name), "value", f"it could not be read: {err}"[:200])
    return out


def read_manifest(folder: Path | str) -> dict:
    path = Path(folder) / "manifest.json"
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise WireError("the manifest is too large")
    return json.loads(path.read_text(encoding="utf-8"))


def write_args(args: tuple, kwargs: dict, folder: Path | str) -> None:
    """Checker side: the arguments of a proxied call, as data in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"args": encode_value(tuple(args), folder, "a"),
                "kwargs": encode_value(dict(kwargs), folder, "k")}
    (folder / "manifest.json").write_text(json.dumps(manifest))
