"""The program of the top-level Pulumi.yaml: examples/quickstart, run as it is.

Config is this project's (`pulumi config set indexName <index>` here); see
examples/quickstart/__main__.py for the keys it reads.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent / "examples" / "quickstart" / "__main__.py"), run_name="__main__")
