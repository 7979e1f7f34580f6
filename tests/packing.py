"""Several known-wrong cases of one lesson in one hand-in, when none can change what another is
graded on.

Each case of ``tests/submissions/`` changes a few answer cells and expects exact points. Grading a
hand-in costs a kernel, the lesson's own cells and the checker, whatever it changes, so cases that
touch separate exercises are handed in together: one *pack*, graded once, whose expected points are
the members' (each test at the points the member that changes it expects, every other test at full
marks). A pack is only formed when a static reading of the lesson proves that no member's answers
can reach a cell that another member's answers reach (:func:`influence`), so every test scores in
the pack what it scores in its own case; the harness still checks the pack exactly, and grades its
members one by one when it does not match.

What a cell can change, for this reading: the names it assigns or deletes (at its top level, or
declared ``global``), the objects it mutates (``x[...] = ``, ``x.attr = ``, ``x.append(...)``, any call
with ``inplace=``, and the arguments of a function that an influenced cell defined), functions it
defines (and what they read when called), and files (``to_csv``, ``open(``...). A cell is influenced
when it is a changed cell or reads a name (or a file, once one was written) that an influenced cell
changed. A case whose answers do anything this reading cannot follow (imports, ``globals()``, dunders,
``exec``, names owned by the tests, global random state) is never packed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import NamedTuple

#: Methods that change the object they are called on (without ``inplace=``).
MUTATORS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "sort",
    "reverse", "add", "discard", "popitem", "__setitem__", "__delitem__", "set_index", "drop",
})  # fmt: skip
FILE_WRITES = ("to_csv", "to_excel", "to_parquet", "to_json", "to_feather", "to_pickle",
               "write_text", "write_bytes", "open(", "savetxt", "mkdir", "unlink", "rmtree")
FILE_READS = ("read_", "open(", "Path(", "glob(", "exists(", "is_file(", "listdir", "loadtxt")
#: What a packable answer never contains (the reading above cannot follow it).
UNFOLLOWABLE = re.compile(
    r"\bimport\b|globals|locals|vars\(|__|\bexec\b|\beval\b|setattr|getattr|delattr|\bsys\b|"
    r"builtins|get_ipython|\bos\.|subprocess|np\.random|\brandom\.|\.sample\(|\bopen\("
)
MAX_PACK = 8


class Effects(NamedTuple):
    """What a cell's code reads and changes (see :func:`effects`)."""

    reads: set[str]
    writes: set[str]
    #: each function the cell defines -> the names its body reads
    functions: dict[str, set[str]]
    #: names bound by an import: the same module whatever ran before, so they carry no influence
    imports: set[str]


def effects(code: str) -> Effects | None:
    """What a cell's code reads and changes, or None when it does not parse.

    >>> r, w, f, _ = effects("voters['phone'] = phone10(voters['raw'])\\nn = len(voters)")
    >>> sorted(r), sorted(w)
    (['len', 'phone', 'phone10', 'raw', 'voters'], ['n', 'voters'])
    >>> r, w, f, _ = effects("def f(p):\\n    d = p.strip()\\n    return d + suffix\\nlog.append(1)")
    >>> sorted(w), sorted(f["f"])
    (['f', 'log'], ['d', 'p', 'suffix'])
    >>> effects("x = (")
    """
    tree = _parse(code)
    if tree is None:
        return None
    reads: set[str] = set()
    writes: set[str] = set()
    functions: dict[str, set[str]] = {}
    imports: set[str] = set()

    def base(node):
        while isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                bound = {n.id for g in child.generators for n in ast.walk(g.target)
                         if isinstance(n, ast.Name)}
                reads.update(_loads(child) - bound)  # its loop names are its own
                writes.update(n.target.id for n in ast.walk(child)
                              if isinstance(n, ast.NamedExpr))
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                body_reads = _loads(child)
                if not isinstance(child, ast.Lambda):
                    writes.add(child.name)
                    functions[child.name] = body_reads
                    for deco in child.decorator_list:
                        reads.update(_loads(deco))
                else:
                    reads.update(body_reads)
                for sub in ast.walk(child):  # what the body changes outside itself
                    if isinstance(sub, (ast.Global, ast.Nonlocal)):
                        writes.update(sub.names)
                    elif isinstance(sub, (ast.Subscript, ast.Attribute)) and isinstance(
                            sub.ctx, (ast.Store, ast.Del)) and base(sub):
                        writes.add(base(sub))
                    elif _mutating_call(sub) and base(sub.func.value):
                        writes.add(base(sub.func.value))
                continue
            if isinstance(child, ast.Name):
                if isinstance(child.ctx, (ast.Store, ast.Del)):
                    writes.add(child.id)
                else:
                    reads.add(child.id)
            elif isinstance(child, (ast.Subscript, ast.Attribute)) and isinstance(
                    child.ctx, (ast.Store, ast.Del)) and base(child):
                writes.add(base(child))
            elif isinstance(child, ast.AugAssign) and base(child.target):
                reads.add(base(child.target))  # n += 1 reads n
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                imports.update((a.asname or a.name).split(".")[0] for a in child.names)
            elif _mutating_call(child) and base(child.func.value):
                writes.add(base(child.func.value))
            elif isinstance(child, ast.Constant) and isinstance(child.value, str) \
                    and child.value.isidentifier():
                reads.add(child.value)  # "phone10" in globals()
            visit(child)

    visit(tree)
    return Effects(reads, writes - imports, functions, imports)


def _parse(code: str):
    code = "\n".join(ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!")))
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def _loads(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _mutating_call(node) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and (node.func.attr in MUTATORS or any(k.arg == "inplace" for k in node.keywords)))


def _call_args(code: str, functions: set[str]) -> set[str]:
    """Names passed to a call of one of ``functions`` (which may change them)."""
    out: set[str] = set()
    tree = _parse(code)
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else None
            if called in functions or (isinstance(node.func, ast.Attribute)
                                       and isinstance(node.func.value, ast.Name)
                                       and node.func.value.id in functions):
                out |= {n.id for a in [*node.args, *(k.value for k in node.keywords)]
                        for n in ast.walk(a) if isinstance(n, ast.Name)}
    return out


def influence(cells: list[str], changed: dict[int, str]) -> set[int] | None:
    """Indices of the code cells that the answers ``changed`` (index -> new code) can influence,
    the changed cells included; None when the lesson cannot be read (a cell does not parse).

    >>> cells = ["a = 1", "check(a)", "b = 2", "check(b)", "c = a + b", "check(c)"]
    >>> sorted(influence(cells, {0: "a = 5"}))
    [0, 1, 4, 5]
    >>> sorted(influence(cells, {2: "b = 7"}))
    [2, 3, 4, 5]
    >>> sorted(influence(["t = []", "t.append(1)", "check(t)"], {1: "t.append(2)"}))
    [1, 2]
    """
    tainted: set[str] = set()
    files = False
    deps: dict[str, set[str]] = {}
    out: set[int] = set()
    for i, code in enumerate(cells):
        eff = effects(code)
        if eff is None:
            return None
        reads, writes, functions, imports = eff
        tainted -= imports
        if i in changed:
            new = effects(changed[i])
            if new is not None:  # an answer that does not parse defines nothing the lesson's did
                writes = writes | new[1]
                functions = {**functions, **new[2]}
        expanded, todo = set(reads), list(reads)
        while todo:  # a call reads what the function's body reads
            for name in deps.get(todo.pop(), ()):
                if name not in expanded:
                    expanded.add(name)
                    todo.append(name)
        hit = (i in changed or bool(expanded & tainted)
               or (files and any(t in code for t in FILE_READS)))
        for name, body in functions.items():
            deps[name] = set(body)
        if not hit:
            # it reads nothing influenced, so what it assigns is clean again (a mutation of an
            # influenced object would have read it, and hit)
            tainted -= writes
            continue
        out.add(i)
        codes = [code] + ([changed[i]] if i in changed else [])
        for c in codes:
            tainted |= _call_args(c, tainted | set(functions))
        tainted |= writes
        files = files or any(t in c for c in codes for t in FILE_WRITES)
    return out


def packable(case) -> bool:
    """Whether :func:`influence` can follow the case's answers (see the module docstring)."""
    if case.base != "solution" or not case.answers:
        return False
    for code in case.answers.values():
        eff = effects(code)
        if UNFOLLOWABLE.search(code) or (eff and any(n.startswith("_") for n in eff.writes | eff.reads)):
            return False
    return True


def plan(cases, cells: list[str], ids: list[str | None], points: dict[str, float]):
    """Group the cases of one lesson into packs (lists of cases; a list of one is graded alone).

    ``cells``: the source code cells in order; ``ids``: their grade ids; ``points``: grade id ->
    points of each autograded test cell.
    """
    index = {gid: i for i, gid in enumerate(ids) if gid}
    full = sum(points.values())
    packs: list[tuple[list, set[int], set[int]]] = []
    alone = []
    # the cases that answer the same cell can never share a hand-in: each of the biggest such
    # group starts a pack, and the others fill them first-fit
    first = {id(c): min((index.get(g, -1) for g in c.answers), default=-1) for c in cases}
    size = {k: sum(first[id(c)] == k for c in cases) for k in first.values()}
    for case in sorted(cases, key=lambda c: (-size[first[id(c)]], first[id(c)], c.name)):
        reach = None
        listed = {t for t, v in case.tests.items() if v != points.get(t)}
        if packable(case) and set(case.answers) <= set(index) and set(case.tests) <= set(points):
            reach = influence(cells, {index[g]: code for g, code in case.answers.items()})
        lost = sum(points[t] - v for t, v in case.tests.items()) if reach is not None else None
        if reach is None or abs(full - lost - case.total) > 1e-9 \
                or not {index[t] for t in listed} <= reach:
            alone.append([case])  # its points are not all explained by the cells it reaches
            continue
        # what this case's points rest on: its answer cells and the tests it loses points on
        # (a test it expects at full marks may be reached by another member: the pack still
        # expects full marks there, and a loss would show)
        rests = {index[g] for g in case.answers} | {index[t] for t in listed}
        for members, reached, rested in packs:
            if len(members) < MAX_PACK and not reach & rested and not rests & reached:
                members.append(case)
                reached |= reach
                rested |= rests
                break
        else:
            packs.append(([case], set(reach), rests))
    return [members for members, _, _ in packs] + alone


def combined(members, name: str, points: dict[str, float]):
    """The case a pack stands for: every member's answers and expected points.

    >>> from harness import Case
    >>> a = Case("a", "l.ipynb", "why a", "solution", {"x": "x = 1"}, 8.0, {"x-tests": 0.0})
    >>> b = Case("b", "l.ipynb", "why b", "solution", {"y": "y = 1"}, 9.0, {"y-tests": 1.0})
    >>> c = combined([a, b], "pack", {"x-tests": 2.0, "y-tests": 2.0, "z-tests": 6.0})
    >>> c.total, c.tests, sorted(c.answers)
    (7.0, {'x-tests': 0.0, 'y-tests': 1.0}, ['x', 'y'])
    """
    if len(members) == 1:
        return members[0]
    answers: dict[str, str] = {}
    tests: dict[str, float] = {}
    for m in members:
        answers.update(m.answers)
        for t, v in m.tests.items():  # one member may list at full marks what another loses
            tests[t] = min(v, tests.get(t, v))
    total = sum(points.values()) - sum(points[t] - v for t, v in tests.items())
    why = "; ".join(f"{m.name}: {m.why}" for m in members)
    return replace(members[0], name=name, why=why, answers=answers, total=total, tests=tests)
