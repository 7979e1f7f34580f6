"""The instructor workflow around nbgrader: release, collect, autograde (sandboxed, parallel),
feedback and the re-teach report.  ``campaignlab grade --help`` lists the commands;
``grader/README.md`` is the instructor guide.

Modules (small, one job each):

- ``release``   student versions into a folder/zip, Binder and nbgitpuller links;
- ``collect``   hand-ins from a folder or an LMS zip, matched to a roster (nothing dropped);
- ``sandbox``   bubblewrap + cgroups + rlimits around one untrusted run;
- ``runner``    runs *inside* the sandbox: executes one notebook, streams capped results;
- ``assemble``  builds the notebook to run from the trusted copy (gradebook + release);
- ``autograde`` the parallel batch, scoring in the trusted parent, gradebook writes;
- ``feedback``  per-student HTML without hidden tests;
- ``report``    gradebook CSVs and the per-skill (re-teach) table and plot;
- ``cli``       ``add_parser(subparsers)`` registers ``campaignlab grade``.
"""
