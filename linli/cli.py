"""The `linli` console command: Django's management commands with Linli's settings.

`linli migrate`, `linli demo`, `linli serve`, `linli worker`, `linli triage …` and every other management command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "linli"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
