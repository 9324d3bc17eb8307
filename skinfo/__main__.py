"""``python -m skinfo``: the same command line as the ``skinfo`` console script."""

import sys

from skinfo._cli import main

if __name__ == "__main__":
    sys.exit(main())
