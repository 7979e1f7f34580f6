"""Import hand-ins from a folder or an LMS bulk-download zip into nbgrader's layout
(``<root>/submitted/<student>/<module>/<lesson>.ipynb``), matched to a roster.

Every file found gets a row in ``<root>/campaignlab/<module>/collect.csv``: placed, superseded
(an older copy of the same student's lesson) or unplaced *with the reason* (not a notebook,
no lesson of that name, student not on the roster, name matches no pattern).  Nothing is
dropped silently; nothing is parsed or run here (a broken notebook is placed as it is and
reported by autograde).

File names are matched with regular expressions against the path inside the folder/zip;
groups ``student`` (required) and ``notebook`` (the lesson file).  The defaults cover a
folder per student and the usual LMS download names::

    >>> student_and_lesson("ana/00-start-here.ipynb")
    ('ana', '00-start-here.ipynb')
    >>> student_and_lesson("smithana_12345_678901_00-start-here-1.ipynb")
    ('smithana', '00-start-here-1.ipynb')
    >>> student_and_lesson("smithana_LATE_12345_678901_00-start-here.ipynb")
    ('smithana', '00-start-here.ipynb')
    >>> match_lesson("00-start-here-1.ipynb", ["00-start-here.ipynb"])
    '00-start-here.ipynb'
    >>> match_lesson("00-Start-Here (2).ipynb", ["00-start-here.ipynb"])
    '00-start-here.ipynb'
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

DEFAULT_PATTERNS = (
    # a folder per student: ana/00-start-here.ipynb (deeper folders allowed)
    r"^(?P<student>[^/_][^/]*)/(?:.*/)?(?P<notebook>[^/]+)$",
    # LMS bulk download (Canvas-style): lastfirst[_LATE]_<ids>_<original name>
    r"^(?:.*/)?(?P<student>[A-Za-z0-9.@-]+)_(?:LATE_)?(?:\d+_)+(?P<notebook>[^/]+)$",
    # student_lesson.ipynb
    r"^(?:.*/)?(?P<student>[A-Za-z0-9.@-]+)_(?P<notebook>[^/_][^/]*)$",
)
MAX_ZIP_BYTES = 1024 * 1024 * 1024


@dataclass
class Placement:
    file: str
    student: str = ""
    lesson: str = ""
    status: str = "unplaced"  # placed | superseded | unplaced
    reason: str = ""
    destination: str = ""


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def student_and_lesson(rel: str, patterns=DEFAULT_PATTERNS) -> tuple[str, str] | None:
    for pat in patterns:
        m = re.match(pat, rel)
        if m and m.groupdict().get("student"):
            return m.group("student"), m.groupdict().get("notebook") or PurePosixPath(rel).name
    return None


def match_lesson(name: str, lessons: list[str]) -> str | None:
    """The lesson a handed-in file name stands for (LMS/browser copy suffixes tolerated)."""
    stem = re.sub(r"\.ipynb$", "", name, flags=re.I)
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    candidates = [stem, re.sub(r"[-_ ]\d+$", "", stem)]
    by = {_norm(lesson[:-6]): lesson for lesson in lessons}
    for c in candidates:
        if _norm(c) in by:
            return by[_norm(c)]
    return None


def read_roster(path: Path | str) -> list[dict]:
    """Rows ``{id, first_name, last_name, email, aliases}`` of a roster CSV.

    The id column may be called id, student_id, username or login; ``aliases`` (optional,
    ``;``-separated) lists other names the LMS uses for the student."""
    with Path(path).open(newline="", encoding="utf-8-sig") as f:
        rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in r.items()}
                for r in csv.DictReader(f)]
    out = []
    for n, r in enumerate(rows, start=2):
        sid = next((r[k] for k in ("id", "student_id", "username", "login") if r.get(k)), "")
        if not sid:
            raise ValueError(f"{path}, line {n}: no id (columns: id/student_id/username/login)")
        if not re.fullmatch(r"[A-Za-z0-9_.@-]+", sid):
            raise ValueError(f"{path}, line {n}: id {sid!r} may only use letters, digits, _ . @ -")
        out.append({"id": sid, "first_name": r.get("first_name", ""),
                    "last_name": r.get("last_name", ""), "email": r.get("email", ""),
                    "aliases": r.get("aliases", "")})
    return out


def _roster_index(roster: list[dict]) -> dict[str, str]:
    idx: dict[str, str] = {}
    for r in roster:
        keys = [r["id"], r.get("email", ""), r.get("email", "").split("@")[0],
                r.get("last_name", "") + r.get("first_name", ""),
                r.get("first_name", "") + r.get("last_name", ""),
                *r.get("aliases", "").split(";")]
        for k in keys:
            if _norm(k) and len(_norm(k)) > 1:
                idx.setdefault(_norm(k), r["id"])
    return idx


def _files(source: Path, tmp: Path) -> list[tuple[str, Path, float]]:
    """(path shown to the instructor, real path, mtime) of every file of a folder or zip."""
    if source.is_dir():
        return [(p.relative_to(source).as_posix(), p, p.stat().st_mtime)
                for p in sorted(source.rglob("*")) if p.is_file()]
    if zipfile.is_zipfile(source):
        out, total = [], 0
        with zipfile.ZipFile(source) as z:
            for k, info in enumerate(z.infolist()):
                if info.is_dir():
                    continue
                parts = [p for p in PurePosixPath(info.filename.replace("\\", "/")).parts
                         if p not in ("", ".", "..", "/")]
                if not parts:
                    continue
                total += info.file_size
                if total > MAX_ZIP_BYTES:
                    raise ValueError(f"{source}: more than {MAX_ZIP_BYTES // 2**20} MB unpacked")
                dest = tmp / str(k) / parts[-1]
                dest.parent.mkdir(parents=True)
                with z.open(info) as fin, dest.open("wb") as fout:
                    shutil.copyfileobj(fin, fout)
                out.append(("/".join(parts), dest, time.mktime(info.date_time + (0, 0, -1))))
        return out
    raise ValueError(f"{source} is neither a folder nor a zip file")


def collect(root: Path | str, module: str, source: Path | str, *, lessons: list[str],
            roster: list[dict] | None = None, patterns: list[str] | None = None,
            log=print) -> list[Placement]:
    """Place every hand-in of ``source`` (folder or zip); return one ``Placement`` per file."""
    root, source = Path(root).resolve(), Path(source)
    pats = list(patterns) if patterns else list(DEFAULT_PATTERNS)
    for p in pats:
        if "(?P<student>" not in p:
            raise ValueError(f"pattern {p!r} has no (?P<student>...) group")
    index = _roster_index(roster) if roster else None
    rows: list[Placement] = []
    chosen: dict[tuple[str, str], tuple[float, Placement, Path]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for shown, real, mtime in _files(source, Path(tmp)):
            row = Placement(file=shown)
            rows.append(row)
            name = PurePosixPath(shown).name
            if name.startswith(".") or "__MACOSX" in shown or ".ipynb_checkpoints" in shown:
                row.reason = "system or checkpoint file (not a hand-in)"
                continue
            got = student_and_lesson(shown, pats)
            if got is None:
                row.reason = "the file name matches no hand-in pattern (set --pattern)"
                continue
            who, nbname = got
            row.student = who
            if not nbname.lower().endswith(".ipynb"):
                row.reason = f"not a notebook ({PurePosixPath(nbname).suffix or 'no extension'})"
                continue
            lesson = match_lesson(nbname, lessons) if len(lessons) > 1 else (
                lessons[0] if lessons and match_lesson(nbname, lessons) else None)
            if lesson is None:
                row.reason = (f"{nbname!r} is not a lesson of {module} "
                              f"(lessons: {', '.join(lessons)})")
                continue
            row.lesson = lesson
            if index is not None:
                sid = index.get(_norm(who))
                if sid is None:
                    row.reason = f"student {who!r} is not on the roster"
                    continue
            else:
                sid = re.sub(r"[^A-Za-z0-9_.@-]", "-", who)
            row.student = sid
            key = (sid, lesson)
            if key in chosen and chosen[key][0] >= mtime:
                row.status, row.reason = "superseded", f"a newer file was kept: {chosen[key][1].file}"
                continue
            if key in chosen:
                old = chosen[key][1]
                old.status, old.reason = "superseded", f"a newer file was kept: {shown}"
            chosen[key] = (mtime, row, real)
            row.status, row.reason = "placed", ""
        for (sid, lesson), (mtime, row, real) in chosen.items():
            folder = root / "submitted" / sid / module
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(real, folder / lesson)
            (folder / "timestamp.txt").write_text(
                time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(mtime)))
            row.destination = str(folder / lesson)
    state = root / "campaignlab" / module
    state.mkdir(parents=True, exist_ok=True)
    with (state / "collect.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(asdict(rows[0]).keys()) if rows else ["file"])
        w.writeheader()
        w.writerows(asdict(r) for r in rows)
    if roster is not None:
        with (root / "campaignlab" / "roster.csv").open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["id", "first_name", "last_name", "email", "aliases"])
            w.writeheader()
            w.writerows(roster)
    placed = sum(r.status == "placed" for r in rows)
    log(f"collected {placed} hand-in(s) of {module} from {len(rows)} file(s)")
    for r in rows:
        if r.status != "placed":
            log(f"  NOT PLACED {r.file}: {r.status}: {r.reason}")
    if roster:
        have = {r.student for r in rows if r.status == "placed"}
        for s in roster:
            if s["id"] not in have:
                log(f"  no hand-in from {s['id']}")
    return rows
