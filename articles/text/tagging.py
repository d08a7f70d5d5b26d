"""How the desk types tags: names separated by commas. Vietnamese tags are often
several words ("Hà Nội", "năng lượng sạch"): taggit's own parser would split a
lone "Hà Nội" into two tags at its space, and shows every such name in quotes."""

import csv
import io


def tags_from_string(text: str) -> list[str]:
    """``Hà Nội, năng lượng`` → two tags; a name with a comma in it is quoted."""
    rows = list(csv.reader(io.StringIO(text.replace("\n", " ")), skipinitialspace=True))
    names = {name.strip() for row in rows for name in row}
    return sorted(name for name in names if name)


def string_from_tags(tags) -> str:
    """The form's text for ``tags``: names as they are, quoted only around a comma."""
    return ", ".join(_quoted(name) for name in sorted(tag.name for tag in tags))


def _quoted(name: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([name])
    return out.getvalue()
