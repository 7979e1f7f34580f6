"""Alumni playbooks: the course's methods on a campaign's own files, one notebook per job.

A playbook is a notebook in the repository's ``playbooks/`` folder with a cell tagged
``parameters`` (papermill's convention). It runs in JupyterLab, under ``papermill``, or with
``campaignlab playbook NAME --param key=value ...``, which is this module: it checks the
parameter names against the notebook's parameters cell, turns ``key=value`` text into the
declared type, refuses an output folder inside the repository (real voter data must never
sit next to git), and runs the notebook with papermill, writing the executed notebook into
the output folder too.

>>> sorted(PLAYBOOKS)
['clean-voter-file', 'digital-report', 'match-list-to-file', 'turnout-targets']
>>> parse_params(["voter_file=ncvoter.txt", "columns={\\"id\\": \\"VOTER_ID\\"}", "history_file="])
{'voter_file': 'ncvoter.txt', 'columns': {'id': 'VOTER_ID'}, 'history_file': None}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["PLAYBOOKS", "PlaybookError", "playbook_path", "parse_params", "output_folder", "run_playbook",
           "repository_root"]  # fmt: skip

#: Playbook name -> what it does (the notebook is ``playbooks/<name>.ipynb``).
PLAYBOOKS = {
    "clean-voter-file": "read (any layout the toolkit knows), clean, dedupe and household a voter file; "
    "write the clean file, a set-aside file (one row per record set aside or changed, with the reason) "
    "and a reconciliation report",
    "match-list-to-file": "match a volunteer, donor or email list to the voter file: matched, needs review and "
    "not found, with probabilities, the evidence and the reason, a summary an organizer can read, and a "
    "reconciliation",
    "turnout-targets": "Module 02's turnout model on your file and its history, honest in time and back-tested "
    "(AUC, calibration), a score for everyone who can vote, universes (GOTV, persuasion with support IDs, "
    "registration chase) with the reason, and walk lists in walk order",
    "digital-report": "Module 03's readout of your email, text and donation exports: rates over the right denominator "
    "against the M+R benchmarks, A/B tests with intervals, p-values and the \"was this test big enough?\" check, the "
    "list's growth and churn, donors (one-time vs recurring, gift sizes, retention by cohort, RFM segments), a short "
    "report, and a reconciliation",
}
#: Parameters holding paths: resolved against the folder the command runs in.
PATH_PARAMS = ("voter_file", "history_file", "list_file", "contacts_file", "unregistered_file", "email_file", "ab_file",
               "sms_file", "donations_file", "output_dir")


class PlaybookError(ValueError):
    """A playbook cannot start as asked; the message says what to change."""


def repository_root() -> Path | None:
    """The source checkout the package runs from (the folder with ``playbooks/``), if any.

    >>> (repository_root() / "playbooks").is_dir()
    True
    """
    root = Path(__file__).resolve().parents[3]
    return root if (root / "playbooks").is_dir() and (root / "pyproject.toml").is_file() else None


def playbook_path(name: str) -> Path:
    """The notebook of playbook ``name`` (or ``name`` itself when it is a notebook path).

    >>> playbook_path("clean-voter-file").name
    'clean-voter-file.ipynb'
    >>> playbook_path("clean-voters")
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: no playbook called 'clean-voters'; the playbooks are: clean-voter-file, digital-report, match-list-to-file, turnout-targets
    """
    if name.endswith(".ipynb"):
        path = Path(name).expanduser().resolve()
        if not path.is_file():
            raise PlaybookError(f"no notebook at {path}")
        return path
    if name not in PLAYBOOKS:
        raise PlaybookError(f"no playbook called {name!r}; the playbooks are: {', '.join(sorted(PLAYBOOKS))}")
    root = repository_root()
    if root is None:
        raise PlaybookError("the playbooks/ folder is not next to this installation of campaignlab: run from a "
                            "checkout of the repository (pip install -e .), or give the notebook's path")  # fmt: skip
    return root / "playbooks" / f"{name}.ipynb"


def _value(text: str):
    """``key=value`` text -> a value: JSON for maps, lists, numbers and true/false/null; blank is None."""
    text = text.strip()
    if text == "" or text.lower() in ("none", "null"):
        return None
    if text[0] in "{[" or text.lower() in ("true", "false"):
        try:
            return json.loads(text.lower() if text.lower() in ("true", "false") else text)
        except json.JSONDecodeError as err:
            raise PlaybookError(f"{text!r} is not valid JSON ({err.msg}); write maps as "
                                "'{\"your column\": \"role\"}' with double quotes") from None  # fmt: skip
    return text


def parse_params(pairs: Iterable[str]) -> dict:
    """``["key=value", ...]`` -> ``{key: value}``; maps and lists as JSON, a blank value is None.

    Numbers stay text here: :func:`run_playbook` converts them to the type the notebook declares.

    >>> parse_params(["show_rows=5", "progress=false"])
    {'show_rows': '5', 'progress': False}
    >>> parse_params(["voter_file"])
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: --param voter_file: write it as key=value
    """
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise PlaybookError(f"--param {pair}: write it as key=value")
        out[key.strip()] = _value(value)
    return out


def _declared(notebook: Path) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(str(notebook))


def _coerce(name: str, value, declared: Mapping[str, dict]):
    kind = (declared[name].get("inferred_type_name") or "").replace(" ", "")
    if not isinstance(value, str):
        return value
    try:
        if kind.startswith("int") or kind.endswith("|int") or kind == "Optional[int]":
            return int(value)
        if kind.startswith("float"):
            return float(value)
        if kind.startswith("bool"):
            if value.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(value)
            return value.lower() in ("true", "yes", "1")
    except ValueError:
        raise PlaybookError(f"--param {name}={value}: {name} is {kind}, not {value!r}") from None
    return value


def output_folder(path: str | Path | None) -> Path:
    """Create (if needed) and return the output folder, refusing one inside the repository.

    Playbooks read real people's records: their outputs belong outside any git checkout, so
    they are never committed or pushed by accident.

    >>> output_folder(repository_root() / "out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    campaignlab.playbooks.PlaybookError: output_dir .../out is inside the campaignlab repository (...): outputs hold real voters' records and must stay out of git; choose a folder outside it, e.g. ~/campaign-data/clean
    """
    if path is None or str(path).strip() == "":
        raise PlaybookError("output_dir is not set: name the folder the outputs go to (outside this repository), "
                            "e.g. output_dir=~/campaign-data/clean")  # fmt: skip
    out = Path(path).expanduser().resolve()
    root = repository_root()
    if root is not None and out.is_relative_to(root):
        raise PlaybookError(f"output_dir {out} is inside the campaignlab repository ({root}): outputs hold real voters' "
                            "records and must stay out of git; choose a folder outside it, e.g. ~/campaign-data/clean")  # fmt: skip
    if out.exists() and not out.is_dir():
        raise PlaybookError(f"output_dir {out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_playbook(name: str, params: Mapping[str, object], *, progress: bool = True,
                 log_output: bool = False, kernel_name: str | None = None) -> Path:  # fmt: skip
    """Run a playbook with papermill; return the executed notebook (saved in ``output_dir``).

    Unknown parameter names are refused with the list of known ones; path parameters are
    resolved against the current folder; values given as text are converted to the type the
    parameters cell declares. A failing cell raises papermill's ``PapermillExecutionError``
    (its message is the toolkit's: file, line, problem, fix); the executed notebook with
    the error is still saved in the output folder.
    """
    import papermill

    notebook = playbook_path(name)
    declared = _declared(notebook)
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise PlaybookError(f"{notebook.stem} has no parameter {', '.join(map(repr, unknown))}; "
                            f"its parameters are: {', '.join(declared)}")  # fmt: skip
    values = {k: _coerce(k, v, declared) for k, v in params.items()}
    for key in PATH_PARAMS:
        if isinstance(values.get(key), str):
            values[key] = str(Path(values[key]).expanduser().resolve())
    out = output_folder(values.get("output_dir"))
    values["output_dir"] = str(out)
    target = out / notebook.name
    papermill.execute_notebook(str(notebook), str(target), parameters=values, progress_bar=progress,
                               log_output=log_output, kernel_name=kernel_name, cwd=str(out))  # fmt: skip
    return target
