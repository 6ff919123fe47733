"""The file spark-submit runs: the jobs live in the installed package
(lineage.spark, its command line in lineage.spark_cli), so executors
import the same code from the wheel."""

import sys

from lineage.spark_cli import main

sys.exit(main())
