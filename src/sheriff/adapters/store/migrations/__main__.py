"""``python -m sheriff.adapters.store.migrations revision MESSAGE [URL]``: write a new
revision from the difference between the models and a database at the current head."""

from __future__ import annotations

import sys

from sheriff.adapters.store.migrate import write_revision


def main(arguments: list[str]) -> int:
    if len(arguments) not in (2, 3) or arguments[0] != "revision":
        sys.stderr.write(
            "usage: python -m sheriff.adapters.store.migrations revision MESSAGE [URL]\n"
        )
        return 2
    write_revision(arguments[1], arguments[2] if len(arguments) == 3 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
