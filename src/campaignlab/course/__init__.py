"""The course, laid out as the steps of the instructor's workflow (``campaignlab grade --help``;
``grader/README.md`` is the guide).  Each module has one job:

- ``layout``     where the curriculum, the course root and each module's state live;
- ``cells``      nbgrader's markers, answer and test cells, and what is secret;
- ``leaks``      no solution or hidden test in a release or a feedback page;
- ``release``    student versions (nbgrader generate_assignment), folder/zip, links;
- ``student_repo`` the student repository ``release --out`` writes (README, Binder, package);
- ``trainee``    a trainee's workspace and Jupyter (new lessons, extensions off);
- ``collect``    hand-ins from a folder or an LMS zip, matched to a roster;
- ``county``     the grading county: a county of the same kind the trainee never saw;
- ``assemble``   the notebook that runs, built from the trusted copy and the trainee's answers;
- ``sandbox``    bubblewrap, cgroups and rlimits around one untrusted run;
- ``runner``     runs *inside* the sandbox: one notebook, results streamed back;
- ``checker``    runs each test cell where trainee code never ran, on the answers as data;
- ``wire``       answers as plain data (JSON, Arrow IPC, .npy; functions by proxy), never objects;
- ``outputs``    the one output cap, and check-in tokens kept out of what is stored;
- ``score``      what a run earned, test cell by test cell, from what came back;
- ``gradebook``  nbgrader's gradebook, written by the trusted parent only;
- ``autograde``  the parallel batch: one sandbox per hand-in, results and graded copies;
- ``feedback``   per-trainee HTML without hidden tests;
- ``titles``     each exercise's title in the lesson's own words;
- ``report``     gradebook CSVs and what to re-teach, and the instructor's page (``report_html``);
- ``cli``        ``campaignlab grade ...``.
"""
