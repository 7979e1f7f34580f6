"""The one output cap: what of a notebook's outputs is kept, in the sandbox (as it runs) and in
the trusted parent (before anything is stored), and the check-in tokens taken out of it.

>>> cap_text("abc\\n" + "y" * 50, budget=1000, line_chars=10)[0]
'abc\\nyyyyyyyyyy ... [line cut: 50 characters]'
"""

from __future__ import annotations

import json
import re

#: A test cell's check-in token (``assemble.token``): never stored, never shown.
TOKEN_RE = re.compile(r"CLTOKEN-[0-9a-f]{40}")


def cap_text(text: str, budget: int, line_chars: int) -> tuple[str, bool]:
    """Cut long lines and the whole text to ``budget`` bytes; return (text, truncated?)."""
    cut = False
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if len(line) > line_chars:
            lines[k] = line[:line_chars] + f" ... [line cut: {len(line)} characters]"
            cut = True
    text = "\n".join(lines)
    raw = text.encode("utf-8", "replace")
    if len(raw) > budget:
        text = raw[: max(budget, 0)].decode("utf-8", "ignore")
        cut = True
    return text, cut


def cap_outputs(outputs: list, limits) -> list:
    """Cap a cell's outputs as the trusted parent keeps them: tokens removed, each text and the
    whole cell bounded by ``limits`` (a ``sandbox.Limits``).  The runner's caps are not trusted.

    >>> from campaignlab.course.sandbox import Limits
    >>> outs = [{"output_type": "stream", "name": "stdout", "text": "x" * 3000}]
    >>> len(cap_outputs(outs, Limits(line_chars=100))[0]["text"]) < 200
    True
    """
    kept, used = [], 0
    for out in outputs[:200]:
        if not isinstance(out, dict):
            continue
        out = json.loads(json.dumps(out, default=str))
        kind = out.get("output_type")
        if kind == "stream":
            text = TOKEN_RE.sub("", str(out.get("text", "")))
            out["text"], _ = cap_text(text, limits.output_bytes, limits.line_chars)
        elif kind == "error":
            out["evalue"] = TOKEN_RE.sub("", cap_text(str(out.get("evalue", "")), 2000,
                                                       limits.line_chars)[0])
            out["traceback"] = [
                TOKEN_RE.sub("", cap_text(str(t), 4000, limits.line_chars)[0])
                for t in list(out.get("traceback", []))[-20:]
            ]
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {}) if isinstance(out.get("data"), dict) else {}
            for k, v in list(data.items()):
                if isinstance(v, str) and k.startswith("text/"):
                    data[k] = TOKEN_RE.sub("", cap_text(v, limits.output_bytes, limits.line_chars)[0])
            out["data"] = data
        else:
            continue
        size = len(json.dumps(out))
        if used + size > limits.output_bytes:
            kept.append({"output_type": "stream", "name": "stderr",
                         "text": f"[output cut: more than {limits.output_bytes} bytes]\n"})
            break
        used += size
        kept.append(out)
    return kept
