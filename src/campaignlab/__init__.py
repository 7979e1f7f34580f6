"""Campaign Data Lab: the toolkit behind the curriculum.

Modules are named after campaign work: ``synth`` builds the synthetic county,
``data`` finds its files, and later modules clean voter files, build targeting
universes and read digital programs.
"""

__version__ = "0.1.0"
