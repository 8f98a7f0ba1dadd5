"""`python -m compare`: hands over to the CLI."""
import sys

from compare.cli import main

sys.exit(main())
