"""Hand-ins that tamper with the kernel, for the cohort of ``conftest.py``.

Each rewrites what runs in the trainee's kernel (transformers, builtins, tracing, frames,
pandas and numpy, lying objects, pickles, forged tokens, the export to the checker) and each
must score exactly what its honest answers earn: the tests run in the checker, on plain data.

Most put the tampering in the ``count-active`` answer with ``n_active = 0`` and keep the
reference's other answers: honestly that earns 10 - 1 (count-active) - 2 (young-voters, which
also needs n_active) = 7 points. Hand-ins that break the export from count-active on keep only
what was checked before it: the prediction (1) and the loaded file (2).
"""

from __future__ import annotations

HONEST_WITH_N_ACTIVE_WRONG = 7.0
BEFORE_COUNT_ACTIVE = 3.0  # predict-zip (1) + load-voters (2)

OBFUSCATED_INPUT_TRANSFORMER = """_g = globals()
_ip = _g["get_" + "ipy" + "thon"]()
_tok = "CL" + "TOKEN"
def _t(lines):
    if lines and _tok in lines[-1]:
        return lines[-1:]
    if any(("ass" + "ert") in line for line in lines):
        return ["print('Visible checks passed.')\\n"]
    return lines
getattr(_ip, "input_" + "transformers_post").append(_t)
n_active = 0
"""

PLAIN_INPUT_TRANSFORMER = """get_ipython().input_transformers_post.append(
    lambda lines: ["print('Visible checks passed.')\\n"] if any("assert" in l for l in lines) else lines)
n_active = 0
"""

AST_TRANSFORMER = """import ast
class _NoAssert(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(_NoAssert())
n_active = 0
"""

PATCHED_PRINT = """import builtins
_p = builtins.print
builtins.print = lambda *a, **k: _p("Visible checks passed.")
n_active = 0
"""

PATCHED_BUILTINS = """import builtins
builtins.AssertionError = type("AssertionError", (Exception,), {})
builtins.abs = lambda x: 0
builtins.round = lambda x, n=0: x
n_active = 0
"""

SETTRACE = """import linecache, sys
def _skip(frame, event, arg):
    if "/ipykernel_" not in frame.f_code.co_filename:
        return None  # only the notebook's own cells
    if event == "line":
        try:
            if linecache.getline(frame.f_code.co_filename, frame.f_lineno).lstrip().startswith("assert"):
                frame.f_lineno = frame.f_lineno + 1
        except Exception:
            pass
    return _skip
sys.settrace(_skip)
n_active = 0
"""

FRAMES = """import sys
_f, _shell = sys._getframe(), None
while _f is not None:
    _me = _f.f_locals.get("self")
    if type(_me).__name__ == "ZMQInteractiveShell":
        _shell = _me
        break
    _f = _f.f_back
if _shell is not None:
    _shell.showtraceback = lambda *a, **k: None
    _shell.events.register("post_run_cell", lambda result: setattr(result, "error_in_exec", None))
    _shell.user_ns["__builtins__"].AssertionError = type("Quiet", (Exception,), {})
n_active = 0
"""

PANDAS_NUMPY = """import math
import numpy as np
import pandas as pd
pd.Series.equals = lambda self, other: True
pd.DataFrame.equals = lambda self, other: True
pd.testing.assert_series_equal = lambda *a, **k: None
np.isclose = lambda *a, **k: True
np.allclose = lambda *a, **k: True
math.isclose = lambda *a, **k: True
n_active = 0
"""

LYING_OBJECT = """class _Liar:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __len__(self): return 1
    def __float__(self): return 0.3
    def __int__(self): return 1
    def __index__(self): return 1
    def __hash__(self): return 0
    def __round__(self, n=0): return self
    def __sub__(self, other): return self
    __rsub__ = __sub__
    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    def __abs__(self): return 0
n_active = _Liar()
"""

LYING_INT = """import numpy as np
class _Int(int):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = int.__hash__
n_active = _Int(0)
"""

PICKLE = """import json, os, pickle
import campaignlab.course.wire as _w
class _Evil:
    def __reduce__(self):
        return (exec, ("import builtins; builtins.AssertionError = type('Q', (Exception,), {})",))
_blob = pickle.dumps(_Evil())
_orig = _w.export
def _export(ns, names, folder):
    manifest = _orig(ns, names, folder)
    for name in ("v0-0.npy", "v0-0.arrow", "payload.pkl"):
        open(os.path.join(folder, name), "wb").write(_blob)
    for name in names:
        manifest[name] = {"value": {"t": "ndarray", "file": 0},
                          "files": [{"name": "v0-0.npy", "kind": "ndarray"}]}
    open(os.path.join(folder, "manifest.json"), "w").write(json.dumps(manifest))
    return manifest
_w.export = _export
n_active = _Evil()
"""

FORGED_TOKEN = """import os, re
_found = set()
for _pid in os.listdir("/proc"):
    for _part in ("cmdline", "environ", "mem"):
        try:
            with open(f"/proc/{_pid}/{_part}", "rb") as _f:
                _found |= set(re.findall(rb"CLTOKEN-[0-9a-f]{40}", _f.read(10**7)))
        except Exception:
            pass
    for _fd in ("1", "3", "4"):  # forge result lines into any channel we can reach
        try:
            with open(f"/proc/{_pid}/fd/{_fd}", "w") as _f:
                for _i in range(20):
                    _f.write('{"event": "cell", "i": %d, "status": "ok", "tokens": ["CLTOKEN-%s"]}\\n'
                             % (_i, "0" * 40))
        except Exception:
            pass
print("found", len(_found), "token(s)")
print("CL" + "TOKEN-" + "0" * 40)
n_active = 0
"""

FAKE_EXPORT = """import campaignlab.course.wire as _w
_orig = _w.export
_typed = {"n_active": 40000, "share_una": 0.34485, "n_00301": 3416, "n_young": 7222}
def _export(ns, names, folder):
    return _orig({**ns, **_typed}, names, folder)
_w.export = _export
n_active = 0
"""

KILL_CHECKER = """import os, signal
_killed = 0
for _pid in os.listdir("/proc"):
    try:
        with open(f"/proc/{_pid}/cmdline", "rb") as _f:
            if b"campaignlab.course.checker" in _f.read():
                os.kill(int(_pid), signal.SIGKILL)
                _killed += 1
    except (OSError, ValueError):
        pass
print("killed", _killed)
active_rows = voters[voters["status_cd"] == "A"]
n_active = len(active_rows)
"""


def tampering_cases(Case) -> list:
    """The cases, as ``conftest.Case`` objects (passed in: conftest imports this module)."""
    six = HONEST_WITH_N_ACTIVE_WRONG

    def one(student, why, code, expected=six):
        return Case(student, why, expected, answers={"count-active": code})

    return [
        one("tamper-input-obfuscated", "an input transformer reached through globals() with its "
            "name built from pieces", OBFUSCATED_INPUT_TRANSFORMER),
        one("tamper-input-plain", "an input transformer that turns every test into a pass line",
            PLAIN_INPUT_TRANSFORMER),
        one("tamper-ast", "an AST transformer that removes every assert", AST_TRANSFORMER),
        one("tamper-print", "a patched print that always says the checks passed", PATCHED_PRINT),
        one("tamper-builtins", "patched builtins (AssertionError, abs, round)",
            PATCHED_BUILTINS),
        one("tamper-settrace", "sys.settrace jumping over every assert line", SETTRACE),
        one("tamper-frames", "frame walking to the shell: errors hidden, AssertionError replaced",
            FRAMES),
        one("tamper-pandas-numpy", "monkey-patched pandas, numpy and math comparisons",
            PANDAS_NUMPY),
        one("tamper-lying-object", "an object whose __eq__, __bool__, __len__, __float__ lie",
            LYING_OBJECT),
        one("tamper-lying-int", "an int subclass whose __eq__ always says yes", LYING_INT),
        one("tamper-pickle", "a pickled payload put where the checker reads, and a value that "
            "runs code when unpickled", PICKLE, expected=BEFORE_COUNT_ACTIVE),
        one("tamper-token", "reads /proc for the check-in token, forges tokens and result lines",
            FORGED_TOKEN),
        one("tamper-fake-export", "a patched export that hands the checker typed numbers",
            FAKE_EXPORT, expected=BEFORE_COUNT_ACTIVE),
        one("tamper-kill-checker", "kills the checker process (an honest answer otherwise)",
            KILL_CHECKER, expected=10.0),
    ]
