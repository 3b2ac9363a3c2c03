"""`python -m generator` runs the apibind command line."""

from generator.cli import main

main()
