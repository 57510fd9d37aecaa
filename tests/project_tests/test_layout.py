"""The layout the README and docs/ARCHITECTURE.md describe: dependencies run one way."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_the_newsroom_never_imports_the_timeline():
    """timeline builds on newsroom (its events cite newsroom's sources); never the reverse:
    the newsroom's machinery takes the timeline's models by registration."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "timeline"
        )
        for path in _modules("newsroom")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_timeline_imports_the_newsroom():
    """The direction is real (the test above is not vacuous)."""
    imports = set().union(*(_imported_modules(path) for path in _modules("timeline")))
    assert "newsroom.models" in imports
