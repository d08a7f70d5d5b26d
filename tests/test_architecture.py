"""The shape of the code that import-linter's contracts (pyproject.toml, run by
``make lint`` and CI) do not check: no module uses another's private names."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("articles", "newsroom")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imported_from(node: ast.ImportFrom, name: str, path: Path) -> str:
    """The absolute name of the module a ``from … import`` in module ``name`` reads."""
    base = node.module or ""
    if node.level:
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        anchor = package.split(".")
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return base


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project's modules that ``name`` imports, anywhere in its text."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = imported_from(node, name, path)
            targets.add(base)
            targets |= {f"{base}.{alias.name}" for alias in node.names}
    resolved = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


def reaches_into(name: str, path: Path, known: set[str]) -> list[str]:
    """The private names (``_x``) of other project modules that ``name`` uses:
    ``module._x`` or ``from module import _x``."""
    tree = ast.parse(path.read_text())
    aliases: dict[str, str] = {}  # a name bound to a project module -> the module
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = imported_from(node, name, path)
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                elif base in known and base != name and alias.name.startswith("_"):
                    found.append(f"{base}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{aliases[node.value.id]}.{node.attr}")
    return found


def test_no_module_reaches_into_another_s_private_names():
    found = modules()
    known = set(found)
    reaching = {name: reaches_into(name, path, known) for name, path in found.items()}
    assert {name: names for name, names in reaching.items() if names} == {}


def test_the_checker_sees_a_private_name_used(tmp_path):
    module = tmp_path / "user.py"
    module.write_text("from articles.freshness import store\nstore._forget(set())\n")
    assert reaches_into("articles.user", module, {"articles.freshness.store"}) == [
        "articles.freshness.store._forget"
    ]
