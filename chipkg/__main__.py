"""``python -m chipkg`` runs the CLI."""

from chipkg.cli import main

main()
