"""The gradebook (nbgrader's SQLite database): only the trusted grading process writes it, one
finished hand-in at a time, and keeps a ledger of what it wrote so that changes made behind its
back are reported.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from campaignlab.course.cells import same_text

if TYPE_CHECKING:
    from campaignlab.course.autograde import HandinResult


@contextlib.contextmanager
def scripts_on_path():
    """Opening a gradebook runs ``alembic``, a script of this environment: make sure it is found
    even when the environment is not activated (``.venv/bin/pytest``)."""
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), old])
    try:
        yield
    finally:
        os.environ["PATH"] = old


class GradebookWriter:
    """The only code that writes the gradebook: scores of finished runs, one at a time.

    It also keeps a ledger of every score it set (``<root>/campaignlab/ledger.json``): on a
    re-grade, an automatic score that differs from what the workflow last wrote is reset (and
    reported), and a manual score or extra credit the workflow has not seen before is reported.
    """

    def __init__(self, root: Path, module: str, trusted: dict, roster: list[dict]):
        from nbgrader.api import Gradebook

        self.root, self.module, self.trusted = root, module, trusted
        self.roster = {r["id"]: r for r in roster}
        self.ledger_path = root / "campaignlab" / "ledger.json"
        self.ledger = json.loads(self.ledger_path.read_text()) if self.ledger_path.is_file() else {}
        self.mine = self.ledger.setdefault(module, {})
        self.flags: dict[str, dict[str, list[str]]] = {}
        self.global_flags: list[str] = []
        self._path = scripts_on_path()
        self._path.__enter__()
        self.gb = Gradebook("sqlite:///" + str(root / "gradebook.db"))

    def _flag(self, student, notebook, text):
        self.flags.setdefault(student, {}).setdefault(notebook, []).append(text)

    def _check_ledger(self, student: str, nb_name: str, grades) -> None:
        seen = self.mine.get(student, {}).get(nb_name, {})
        for g in grades:
            was = seen.get(g.name)
            if was is None:
                if g.manual_score is not None or g.extra_credit:
                    self._flag(student, nb_name, f"{g.name}: manual score {g.manual_score} / "
                               f"extra credit {g.extra_credit} set outside `campaignlab grade` "
                               "(kept: check it in formgrader)")
                continue
            if g.auto_score is not None and was.get("auto") is not None and float(
                    g.auto_score) != float(was["auto"]):
                self._flag(student, nb_name, f"{g.name}: automatic score changed outside the "
                           f"workflow ({was['auto']} -> {g.auto_score}); reset")
            if (g.manual_score, g.extra_credit) != (was.get("manual"), was.get("extra")):
                self._flag(student, nb_name, f"{g.name}: manual score/extra credit changed outside "
                           f"the workflow ({was.get('manual')}/{was.get('extra')} -> "
                           f"{g.manual_score}/{g.extra_credit}): kept, check it")

    def write(self, res: HandinResult, graded) -> None:
        if res.notebook not in self.trusted:
            return
        import nbformat

        info = self.roster.get(res.student, {})
        kw = {k: info[k] for k in ("first_name", "last_name", "email") if info.get(k)}
        self.gb.update_or_create_student(res.student, **kw)
        ts = None
        stamp = self.root / "submitted" / res.student / self.module / "timestamp.txt"
        if stamp.is_file():
            from nbgrader.utils import parse_utc

            try:
                ts = parse_utc(stamp.read_text().strip())
            except Exception:  # noqa: BLE001 - a bad timestamp is not worth failing for
                ts = None
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy autoflush chatter inside nbgrader
            sub = self.gb.update_or_create_submission(self.module, res.student,
                                                      **({"timestamp": ts} if ts else {}))
        nb_id = res.notebook[: -len(".ipynb")]
        snb = next(n for n in sub.notebooks if n.name == nb_id)
        self._check_ledger(res.student, res.notebook, snb.grades)
        trusted = self.trusted[res.notebook]
        answers = {c.gid: c for c in trusted.cells}
        entry = {}
        for g in snb.grades:
            tc = answers.get(g.name)
            if tc is None:
                continue
            if tc.role == "test":
                tr = res.tests.get(g.name)
                g.auto_score = tr.points if tr else 0.0
                g.needs_manual_grade = False
            elif tc.role == "manual":
                cell = None
                if graded is not None:
                    cell = next((c for c in graded.cells
                                 if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == g.name),
                                None)
                unchanged = cell is None or same_text(cell.source, tc.public)
                g.auto_score = 0.0 if unchanged else None
                g.needs_manual_grade = not unchanged
            entry[g.name] = {"auto": g.auto_score, "manual": g.manual_score,
                             "extra": g.extra_credit}
        snb.flagged = bool(res.review)
        self.gb.db.commit()
        self.mine.setdefault(res.student, {})[res.notebook] = entry
        if graded is not None:
            dest = self.root / "autograded" / res.student / self.module / res.notebook
            dest.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(graded, dest)
            if stamp.is_file():
                (dest.parent / "timestamp.txt").write_text(stamp.read_text())

    def finish(self, students_graded: set[str]) -> None:
        """Report gradebook submissions of this module that no hand-in backs any more."""
        from nbgrader.api import MissingEntry

        try:
            subs = self.gb.find_assignment(self.module).submissions
        except MissingEntry:
            return
        for sub in subs:
            if sub.student.id not in students_graded and sub.student.id not in self.mine:
                self.global_flags.append(
                    f"{sub.student.id}: has a submission of {self.module} in the gradebook that "
                    "this workflow never graded and no hand-in backs (check or remove it)")

    def close(self) -> None:
        try:
            self.gb.close()
        finally:
            self._path.__exit__(None, None, None)
            self.ledger_path.parent.mkdir(parents=True, exist_ok=True)
            self.ledger_path.write_text(json.dumps(self.ledger, indent=1))
