"""The ``x-apibind-*`` extensions the parser writes into a spec and the generator reads back."""

PREFIX = "x-apibind-"
# on an operation without a detail page: bodies and results unknown, generated code takes any JSON
UNDOCUMENTED = "x-apibind-undocumented"
