"""Long lists of keys, asked of the database a part at a time."""

from collections.abc import Iterable, Iterator

# The most keys one ``IN (...)`` names: PostgreSQL takes at most 65,535 parameters a statement
# (the project has the server bind them: settings), and an import may name 500,000 rows.
KEYS_PER_QUERY = 10_000


def key_chunks(keys: Iterable) -> Iterator[list]:
    """``keys`` in lists of at most ``KEYS_PER_QUERY``, in their order."""
    keys = list(keys)
    for start in range(0, len(keys), KEYS_PER_QUERY):
        yield keys[start : start + KEYS_PER_QUERY]
