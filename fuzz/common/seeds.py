"""Writes a harness's seed corpus (and its regression inputs) from the byte
strings its fuzz/<name>/make_corpus.py builds: the command line every
make_corpus.py shares.

    make_corpus.py [OUTDIR]        the seeds, to OUTDIR (default: corpus/
                                   beside the script)
    make_corpus.py --regressions   the regression inputs (harnesses that
                                   keep them as step lists) to
                                   fuzz/regressions/<name>/
"""

import os
import sys
from typing import Dict, Optional


def write(seeds: Dict[str, bytes], script: str,
          regressions: Optional[Dict[str, bytes]] = None) -> int:
    """Writes seeds (or, with --regressions, regressions) as the command
    line of the make_corpus.py at path ``script`` asks; returns 0."""
    here = os.path.dirname(os.path.abspath(script))
    args = sys.argv[1:]
    if args[:1] == ["--regressions"]:
        if regressions is None:
            print(f"make_corpus: {os.path.basename(here)} keeps no regression step lists",
                  file=sys.stderr)
            return 2
        out, inputs = os.path.join(here, "..", "regressions", os.path.basename(here)), regressions
    else:
        out, inputs = (args[0] if args else os.path.join(here, "corpus")), seeds
    os.makedirs(out, exist_ok=True)
    for name, data in inputs.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"make_corpus: {len(inputs)} inputs in {os.path.normpath(out)}")
    return 0
