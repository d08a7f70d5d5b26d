"""The docs say what the code is: every module the architecture page names exists,
and every setting the settings module reads from the environment is documented."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PLACES = [ROOT, ROOT / "articles", ROOT / "newsroom"]
# Folders of code a page may name (a URL such as `/api/` or `rss/` is not one).
CODE_FOLDERS = ("articles/", "newsroom/", "tests/", "deploy/", "bench/", "templates/", "fixtures/")
CODE_FOLDERS += tuple(f"{package}/" for package in ("site", "desk", "search", "freshness"))
CODE_FOLDERS += ("media/", "text/", "models/", "admin/", "management/")


def named_files(text: str) -> set[str]:
    """The paths of Python modules and packages a page names in backticks."""
    found = set()
    for quoted in re.findall(r"`([^`\s]+)`", text):
        path = quoted.split("::")[0].rstrip(".,:")
        if path.endswith(".py") or (path.endswith("/") and path.startswith(CODE_FOLDERS)):
            found.add(path)
    return found


def exists(path: str) -> bool:
    """``path`` as the docs write it: from the root, from ``articles/`` or
    ``newsroom/``, or a module of one of ``articles``' packages by its own name."""
    if any((place / path).exists() for place in PLACES):
        return True
    return any(
        package.is_dir() and (package / path).exists() for package in (ROOT / "articles").iterdir()
    )


def test_every_module_the_architecture_page_names_exists():
    names = named_files((DOCS / "architecture.md").read_text())
    assert len(names) > 40  # the page names the code, module by module
    assert sorted(name for name in names if not exists(name)) == []


def test_every_module_the_other_pages_name_exists():
    pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *DOCS.glob("*.md")]
    missing = {
        page.name: sorted(name for name in named_files(page.read_text()) if not exists(name))
        for page in pages
    }
    assert {page: names for page, names in missing.items() if names} == {}


def test_the_checker_sees_a_module_that_is_not_there():
    assert named_files("see `site/views.py`, `site/gone.py`, `desk/` and `/api/`") == {
        "site/views.py",
        "site/gone.py",
        "desk/",
    }
    assert exists("site/views.py") and exists("workflow.py") and not exists("site/gone.py")


def environment_reads(path: Path) -> set[str]:
    """The variables ``path`` reads: ``env.<kind>("NAME", ...)`` and ``os.environ.get("NAME")``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        function = ast.unparse(node.func)
        reads = function in ("env", "os.environ.get") or function.startswith("env.")
        if reads and re.fullmatch(r"[A-Z][A-Z0-9_]+", first.value):
            names.add(first.value)
    return names


def test_every_setting_read_from_the_environment_is_documented():
    read = environment_reads(ROOT / "newsroom" / "settings.py")
    read |= environment_reads(ROOT / "gunicorn.conf.py")
    assert {"DATABASE_URL", "SECRET_KEY", "REDIS_URL", "PORT"} <= read
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (DOCS / "settings.md").read_text()))
    assert sorted(read - documented) == []
