"""Modules the generated packages need, copied into them verbatim (never imported by apibind).

They are real source so that the project's ruff and ``mypy --strict`` check them like any other
module; ``render.RUNTIME`` says where each one lands in a generated package.
"""
