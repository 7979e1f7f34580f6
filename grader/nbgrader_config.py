"""nbgrader configuration for Campaign Data Lab.

Every ``nbgrader`` command of the course runs with this file::

    nbgrader generate_assignment 00-start-here --NbGrader.config_file=grader/nbgrader_config

(nbgrader 0.9.6 ignores ``--config``; the file name goes without ``.py``.  ``campaignlab.course``
passes it for you.)  Paths are absolute and computed from this file's location, so the commands
work from any working directory.

- Source: ``<repo>/curriculum`` (one module folder = one assignment).  Tests point it elsewhere
  with ``CAMPAIGNLAB_CURRICULUM``.
- Course root: ``<repo>/build/course`` (release/, submitted/, autograded/, feedback/ and the
  gradebook live there; all build output).  Override with ``CAMPAIGNLAB_COURSE_ROOT``.
- Time bounds: every cell gets ``Execute.timeout`` seconds.  The course itself runs nbgrader only
  to build student versions (``campaignlab.course.release``, with a wall-clock limit); hand-ins
  are graded by ``campaignlab grade autograde``, sandboxed, with its own limits.  Plain
  ``nbgrader autograde`` with this file is the baseline ``bench/bench_autograde.py`` measures.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

c = get_config()  # noqa: F821 (injected by traitlets when nbgrader loads this file)

REPO = Path(__file__).resolve().parent.parent

COURSE_ROOT = Path(os.environ.get("CAMPAIGNLAB_COURSE_ROOT") or REPO / "build" / "course")
CURRICULUM = Path(os.environ.get("CAMPAIGNLAB_CURRICULUM") or REPO / "curriculum")

c.CourseDirectory.course_id = "campaign-data-lab"
c.CourseDirectory.root = str(COURSE_ROOT.expanduser().resolve())
# An absolute source_directory is used as is: curriculum/<module>/ is assignment <module>.
c.CourseDirectory.source_directory = str(CURRICULUM.expanduser().resolve())
c.CourseDirectory.db_url = "sqlite:///" + str(COURSE_ROOT.expanduser().resolve() / "gradebook.db")

# Never copy into a release (or a submission) anything but the lesson itself: a jupytext-paired
# .py would carry the solutions, and exports/ holds what a lesson writes when the instructor runs
# it (an exercise's answer, as a CSV).  nbgrader's defaults are kept.
_default_ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
c.CourseDirectory.ignore = _default_ignore + ["*.py", "exports", ".DS_Store", "*.swp", ".~*"]

# Autograding: deterministic, quiet kernels; bounded cells.
c.Execute.timeout = 120  # seconds per cell
c.Execute.startup_timeout = 120  # seconds for a kernel to start on a loaded machine
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    "--InteractiveShell.xmode=Minimal",
]

# Feedback never shows hidden tests (nbgrader's default feedback does).  Failing assertion
# messages still show: they are written for trainees.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
