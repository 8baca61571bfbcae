import sys

from plgdata.cli import main

sys.exit(main())
