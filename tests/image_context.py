"""What repo2docker puts into a Binder image's copy of a repository, found without Docker.

``jupyter-repo2docker --no-build`` only prints the Dockerfile: it never assembles the build
context, and the context is where ``binder/.dockerignore`` takes effect (``BuildPack.build``
reads it and tars what is left for the Dockerfile's ``COPY src/ ${REPO_DIR}/``).  So
``image_files`` runs that same ``BuildPack.build`` of the pinned repo2docker with an engine that
only keeps the tar it is handed, and lists the repository files in it.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path


class _KeepContext:
    """A stand-in container engine: keeps the build context instead of building."""

    string_output = True

    def __init__(self):
        self.context = b""

    def build(self, *, fileobj, **_):
        self.context = fileobj.getvalue()
        return iter(())


def image_files(repo: Path | str) -> set[str]:
    """The files (paths relative to ``repo``) the image built from ``repo`` gets a copy of."""
    from repo2docker.app import Repo2Docker
    from repo2docker.utils import chdir

    r2d = Repo2Docker()
    engine = _KeepContext()
    with chdir(str(repo)):
        pack = next(bp for bp in (BP(base_image=r2d.base_image) for BP in r2d.buildpacks)
                    if bp.detect())
        pack.platform = r2d.platform or "linux/amd64"
        list(pack.build(engine, "context-only", 0, {"NB_USER": "jovyan", "NB_UID": "1000"},
                        [], {}))
    with tarfile.open(fileobj=io.BytesIO(engine.context)) as tar:
        return {m.name.removeprefix("src/") for m in tar.getmembers()
                if m.isfile() and m.name.startswith("src/")}
