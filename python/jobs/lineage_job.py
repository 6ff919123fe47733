"""The file spark-submit runs: the jobs live in the installed package
(lineage.spark), so executors import the same code from the wheel."""

import sys

from lineage.spark import main

sys.exit(main())
