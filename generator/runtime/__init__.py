"""Runtime modules of the generated packages: real, package-independent Python, linted and
type-checked with apibind, copied verbatim as ``NAME_<target>/_runtime.py`` (see ``render.py``)."""
