"""`python -m tests.golden --refresh`: rewrite the golden Documents after a change you mean."""

from __future__ import annotations

import sys

from tests.golden import GOLDEN, refresh


def main(args: list[str]) -> int:
    if args != ["--refresh"]:
        print("usage: python -m tests.golden --refresh   (rewrites tests/golden/*/*.txt; review the diff)")
        return 2
    changed = refresh()
    print(f"{len(changed)} golden file(s) rewritten under {GOLDEN}")
    for path in changed:
        print(f"  {path.relative_to(GOLDEN)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
