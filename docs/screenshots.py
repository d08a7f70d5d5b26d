"""Copy the desk's screenshots that docs/editors.md shows from the browser tests'
latest run (artifacts/screenshots/), shrunk to a size fit for a repository."""

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SHOWN = ["desk-form-reporter", "desk-form-editor", "desk-suggestions", "desk-import"]
SHOWN += ["desk-history", "desk-pin"]
# the newsroom's day (tests/browser/test_browser_newsroom_day.py), at 1366 and 390 px
SHOWN += [f"desk-{page}-{width}" for page in ("plan-board", "notifications", "form-draft",
          "list-scheduled") for width in (1366, 390)]  # fmt: skip
# the writing desk (tests/browser/test_browser_writing_desk.py)
SHOWN += ["desk-writing-1366", "desk-writing-390", "desk-translation-1366", "desk-list-1366"]
SHOWN += ["desk-library-picture-1366", "desk-body-pictures-1366", "story-gallery-390"]
SHOWN += ["desk-library-390"]
WIDTH, HEIGHT = 1000, 2400


def main() -> int:
    for name in SHOWN:
        source = ROOT / "artifacts" / "screenshots" / f"{name}.png"
        if not source.exists():
            print(f"{source} is missing: run the browser tests first (make screenshots does)")
            return 1
        picture = Image.open(source).convert("RGB")
        if picture.width > WIDTH:
            picture = picture.resize((WIDTH, round(picture.height * WIDTH / picture.width)))
        picture = picture.crop((0, 0, picture.width, min(picture.height, HEIGHT)))
        target = ROOT / "docs" / "images" / f"{name}.png"
        picture.quantize(colors=128).save(target, optimize=True)
        print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
