"""``python -m execbrief`` runs the command line."""

from execbrief.cli import main

main()
