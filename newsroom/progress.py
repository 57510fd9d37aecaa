"""Progress bars for the long commands (imports, exports, the search index, the seed): counts,
rate and time left while their output is a terminal; nothing at all in a pipe, a log or CI."""

import os
import sys

from tqdm import tqdm


def on_terminal(stream=None) -> bool:
    stream = getattr(stream, "_out", stream) or sys.stderr  # a command's OutputWrapper
    return stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def progress_bar(*, total: int | None, unit: str, desc: str, stream=None) -> tqdm:
    """A bar on ``stream`` (a command's ``self.stderr``; default standard error), or a silent
    one where that is not a terminal. Use it as a context manager; ``update`` it by counts."""
    stream = getattr(stream, "_out", stream) or sys.stderr
    return tqdm(
        total=total,
        unit=unit,
        desc=desc,
        file=stream,
        disable=not on_terminal(stream),
        dynamic_ncols=True,
        mininterval=0.2,
    )
