"""What every playbook test reads from a run: the executed notebook, its outputs, and personal data shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd


class Run:
    """One executed playbook: its output folder, notebook, and the files it wrote."""

    def __init__(self, out: Path, name: str):
        self.out = out
        self.notebook = nbformat.read(out / f"{name}.ipynb", as_version=4)

    def csv(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.out / name, dtype=str, keep_default_na=False, na_values=[""])

    def json(self) -> dict:
        return json.loads((self.out / "reconciliation.json").read_text())

    def output_text(self) -> str:
        """Everything the notebook shows: stream text, displayed tables, errors (not its code)."""
        parts = []
        for cell in self.notebook.cells:
            for o in cell.get("outputs", []):
                parts.append(o.get("text", ""))
                parts += [str(v) for v in o.get("data", {}).values()]
                parts += [o.get("evalue", ""), *o.get("traceback", [])]
        return "\n".join(parts)

    def error(self) -> tuple[int, dict] | None:
        """(which step cell, error output) of the cell that raised, if any: 0 is the first cell
        after the parameters (papermill's injected parameters cell and the parameters cell
        are not steps)."""
        code = [c for c in self.notebook.cells if c.cell_type == "code"
                and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))]  # fmt: skip
        for i, cell in enumerate(code):
            for o in cell.get("outputs", []):
                if o.get("output_type") == "error":
                    return i, o
        return None


def personal_values(path: Path, columns: list[str]) -> set[str]:
    """IDs, names and addresses in a file, for checking that no notebook output shows them."""
    head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace").splitlines()[0]
    raw = pd.read_csv(path, sep="\t" if "\t" in head else ",", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig", on_bad_lines="skip")  # fmt: skip
    raw.columns = [c.strip() for c in raw.columns]
    values = set()
    for c in columns:
        if c in raw.columns:
            values |= {v.strip() for v in raw[c] if len(v.strip()) >= 3}
    return values - {"REMOVED", "CONFIDENTIAL"}  # placeholders the reasons name, not people


def shown(text: str, values: set[str]) -> list[str]:
    """The ``values`` that appear in ``text`` as whole words (case-insensitive)."""
    words = set(re.findall(r"[\w'’-]+", text.upper()))
    candidates = [v for v in values if all(w in words for w in re.findall(r"[\w'’-]+", v.upper()))]
    return sorted(v for v in candidates if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text, flags=re.I))


def execute(name: str, folder: Path, out_name: str = "out", expect_error: bool = False, **params) -> Run:
    """Run playbook ``name`` with papermill into ``folder/out_name``; return its :class:`Run`.

    ``expect_error``: the run must stop at a cell (the error is kept in the notebook).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from campaignlab.playbooks import playbook_path

    out = folder / out_name
    out.mkdir(exist_ok=True)
    params = {"output_dir": str(out), "progress": False,
              **{k: str(v) if isinstance(v, Path) else v for k, v in params.items()}}  # fmt: skip
    try:
        papermill.execute_notebook(str(playbook_path(name)), str(out / f"{name}.ipynb"), parameters=params,
                                   progress_bar=False, cwd=str(folder))  # fmt: skip
    except PapermillExecutionError:
        if not expect_error:
            raise
    else:
        assert not expect_error, "the playbook ran to the end on input it should have refused"
    return Run(out, name)


def check_stored(name: str) -> None:
    """The playbook as stored in the repository: a ``parameters`` cell first, and no outputs."""
    from campaignlab.playbooks import playbook_path

    nb = nbformat.read(playbook_path(name), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code), "store the playbook without outputs"
