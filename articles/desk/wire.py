"""Plain-text copy from an outlet's page, read as a story.

Copy arrives as the text a desk selects on a news page: the story mixed with
the page around it (the outlet's banner, the page's own date, breadcrumbs,
share and copy buttons, sign-in and comment links, tag lines, lists of other
stories with their "4 giờ trước" stamps, stray punctuation) and sometimes a
scraping glitch, such as a heading glued to the one after it.

``read(text)`` tells them apart by general rules about how news pages are
laid out, never by one outlet's strings:

* before the headline, short lines are the page's (banner, date, buttons,
  breadcrumbs); the headline is the first line that reads as a title (no
  closing full stop), or there is none when the copy opens on a paragraph;
* right after it, a line that is a date and time is the story's time, and
  "Bài và ảnh: …" or "Tác giả: …" its byline; the next paragraph is the
  sapo, its dateline ("(SHTT) -") kept as printed;
* in the text, a short line without closing punctuation is a heading (a
  sub-heading when it is a name of three words or fewer), a short line all in
  lower case is the caption of a picture that was not copied, and a name on
  the last line is the byline;
* a picture's caption with its credit ("… (Ảnh: KTS)", "… Ảnh: Reuters") is
  the caption and credit of the story's picture, never a paragraph;
* a line that names a list of other stories ("Tin khác", "Tin liên quan",
  "Đọc thêm"…) ends the story, as do comment boxes; a "Xem thêm: <title>" link
  inside it is cut alone; lines of buttons, of following and sharing on social
  networks, reading times and view counts, relative times or punctuation alone
  are page furniture wherever they are; a tag line ("Tags:", "Từ khóa:") gives
  the story's tags;
* "Theo …" or "Nguồn: …" closing the story is its source, and the first line of
  the page, when it is a name, the outlet's banner.

Everything cut is kept with the reason, so an editor can put back a wrong cut.
"""

import datetime
import hashlib
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field

from ..text.slugs import fold

NEWSROOM_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MAX_HEADING_WORDS = 20
MAX_SUBHEADING_WORDS = 3
MAX_CAPTION_WORDS = 8
MAX_NAME_WORDS = 5
MIN_PARAGRAPH_WORDS = 6
SHORT_LINE = 120  # characters: page furniture is never longer
# A story's copy, page and all, is a few hundred lines: more is not one story, and
# is refused before it is read (every rule below then reads a bounded text).
MAX_LINES = 3_000
MAX_GLUED_WORD = 60  # characters: a longer "word" is no heading glued to another

DATE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
TIME = re.compile(r"\b(\d{1,2})\s*[:hg]\s*(\d{2})\b")
OFFSET = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)
RELATIVE_TIME = re.compile(
    r"\b\d+\s*(giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)\s+trước\b|\b(hôm qua|vừa xong)\b", re.I
)
# Words that only ever stand around a time on a news page (folded).
TIME_WORDS = re.compile(
    r"\b(thu\s*(hai|ba|tu|nam|sau|bay|2|3|4|5|6|7)|chu\s*nhat|cn|cap\s*nhat|dang|ngay|luc|"
    r"xuat\s*ban|gio|gmt|utc|am|pm|sang|chieu|toi)\b"
)
# What a page's buttons and links say (folded): to share, copy, print, listen, sign in, comment.
UI_WORDS = (
    "click de copy|sao chep( lien ket| link)?|copy( link)?|chia se|share|in( bai)?|luu( bai)?|"
    "theo doi|quan tam|thich|like|tweet|gui|gui bai|email|facebook|zalo|twitter|x|telegram|"
    "messenger|linkedin|dang nhap|dang ky|dang xuat|binh luan|gui binh luan|viet binh luan|"
    "y kien|gui y kien|tra loi|bao cao|nghe|nghe bai( viet)?|doc bai|tai ung dung|quang cao|"
    "advertisement|trang chu|quay lai|tro ve|len dau trang|top|xem them|xem tiep|doc tiep|"
    "mo rong|thu gon|font|co chu|a\\+|a-"
)
UI_LINE = re.compile(rf"^(?:(?:{UI_WORDS})\s*)+$")
# Lines that open a list of other stories, a comment box or a tag line (folded).
END_OF_STORY = re.compile(
    r"^(tin|bai( viet)?|cac tin|cac bai|video|anh)\s+(khac|lien quan|cung chuyen muc|moi( nhat)?|"
    r"doc nhieu|xem nhieu|noi bat|hay|da dang)\b|^(doc|xem) them\b|^co the ban quan tam\b|"
    r"^(binh luan|y kien ban doc|gui y kien|viet binh luan)\b"
)
TAG_LINE = re.compile(r"^(tags?|tu khoa|the|chu de)\s*:", re.I)
MAX_TAGS, MAX_TAG_LENGTH = 20, 100
# A link to one other story inside the text (folded): cut alone, the story goes on.
SEE_ALSO = re.compile(r"^(doc|xem) (them|tiep)\s*[:>»]\s*\S")
# Following or sharing on a social network (folded): a verb and a network on a short line.
SOCIAL_NETWORKS = (
    "facebook|fanpage|zalo|youtube|tiktok|twitter|instagram|telegram|linkedin|threads|"
    "google news|viber|whatsapp|kenh"
)
SOCIAL_VERBS = (
    "theo doi|follow|chia se|share|dang ky|subscribe|like|thich|tham gia|nhan tin|ket noi"
)
SOCIAL_LINE = re.compile(
    rf"\b({SOCIAL_VERBS})\b.*\b({SOCIAL_NETWORKS})\b|\b({SOCIAL_NETWORKS})\b.*\b({SOCIAL_VERBS})\b"
)
MAX_SOCIAL_WORDS = 12
# How long a story takes to read, and how often it was read, liked or commented (folded).
COUNTS = re.compile(
    r"\b\d[\d.,]*\s*(k|n|tr|nghin|trieu)?\s*(luot xem|luot doc|luot thich|luot chia se|views?|"
    r"binh luan|comments?|likes?|shares?)\b|\b(luot xem|luot doc|thoi gian doc)\s*:?\s*\d[\d.,]*|"
    r"\b(doc trong|thoi gian doc)\s*:?\s*\d+\s*phut\b|\b\d+\s*phut (doc|de doc)\b"
)
# A picture's caption and its credit: "… (Ảnh: KTS)", "… Ảnh: Reuters", "(Ảnh minh họa)".
CREDIT_LABEL = r"ảnh(?: minh (?:họa|hoạ)| tư liệu)?|nguồn ảnh|photo|đồ (?:họa|hoạ)|infographic"
PICTURE_CREDIT = re.compile(
    rf"^(?P<caption>.*?)[\s.,;–-]*(?:[(\[]\s*(?P<label>{CREDIT_LABEL})\s*:\s*(?P<credit>[^()\[\]]+?)"
    rf"\s*[)\]]|(?<![\w])(?P<label2>{CREDIT_LABEL})\s*:\s*(?P<credit2>[^()\[\].]+?))\s*\.?$",
    re.I,
)
PICTURE_NOTE = re.compile(
    r"^(?P<caption>.*?)\s*[(\[]\s*(?P<label>ảnh (?:minh (?:họa|hoạ)|tư liệu))\s*[)\]]\.?$", re.I
)
MAX_CREDIT_WORDS = 8
MAX_CAPTION_LINE_WORDS = 60
# "Theo Reuters", "(Theo TTXVN)", "Nguồn: VTV" closing a story: where it came from.
ATTRIBUTION = re.compile(
    r"^[(\[]?\s*(?:theo|nguồn)\s*:?\s+(?P<source>[^()\[\]]+?)\s*[)\]]?\s*\.?$", re.I
)
MAX_SOURCE_WORDS = 6
MAX_OUTLET_WORDS = 6
BREADCRUMB_SEPARATORS = re.compile(r"\s+(?:>|»|›|/|\\|\|)\s+")
BYLINE_LABEL = re.compile(
    r"^(bài\s+và\s+ảnh|bài\s*/\s*ảnh|bài|tác\s+giả|phóng\s+viên|nhóm\s+phóng\s+viên|pv)\s*:\s*(.+)$",
    re.I,
)
CLOSING = tuple('.!?…;:,"”’)»]')


@dataclass
class Block:
    tag: str  # "p", "h2" or "h3"
    text: str


@dataclass
class Cut:
    text: str
    why: str


@dataclass
class Wire:
    headline: str = ""
    sapo: str = ""
    blocks: list[Block] = field(default_factory=list)
    byline: str = ""
    source_time: datetime.datetime | None = None
    caption: str = ""
    credit: str = ""  # of the picture the caption is of
    tags: list[str] = field(default_factory=list)
    source: str = ""  # "Theo …" at its end, as printed
    banner: str = ""  # the page's first line, when it reads as an outlet's name
    masthead: list[str] = field(default_factory=list)  # lines above the headline
    cut: list[Cut] = field(default_factory=list)

    def fingerprint(self) -> str:
        """The same story however it was copied: its words, folded, in order."""
        words = " ".join(
            fold(t) for t in (self.headline, self.sapo, *(b.text for b in self.blocks))
        )
        return hashlib.sha256(" ".join(words.split()).encode()).hexdigest()


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\ufeff", "")
    line = re.sub(r"[\u200b-\u200d\u2060]", "", line)
    return re.sub(r"[ \t]+", " ", line).strip()


def _words(line: str) -> list[str]:
    return line.split()


def _bare(line: str) -> str:
    """The folded words of a line, without bullets, counts and punctuation."""
    return " ".join(re.sub(r"[^\w+]+|\d+|_", " ", fold(line)).split())


def _is_stray(line: str) -> bool:
    return not re.search(r"[^\W_]", line)


def _is_ui(line: str) -> bool:
    bare = _bare(line)
    return bool(bare) and len(_words(line)) <= 8 and bool(UI_LINE.match(bare))


def _is_breadcrumb(line: str) -> bool:
    parts = BREADCRUMB_SEPARATORS.split(line)
    return (
        len(parts) >= 2
        and all(0 < len(_words(p)) <= 5 for p in parts)
        and not (line.endswith(CLOSING))
    )


def _is_time_line(line: str) -> bool:
    """A date, a time or both, with only the words that stand around them."""
    if not (DATE.search(line) or TIME.search(line)):
        return False
    rest = OFFSET.sub(" ", TIME.sub(" ", DATE.sub(" ", line)))
    return not TIME_WORDS.sub(" ", _bare(COUNTS.sub(" ", fold(rest)))).strip()


def _moment(line: str) -> datetime.datetime | None:
    """The date and time a line states, in the zone it states or the newsroom's;
    None when it gives no time of day (a date alone is the page's, or unsure)."""
    date, time = DATE.search(line), TIME.search(line)
    if not (date and time):
        return None
    day, month, year = (int(g) for g in date.groups())
    hour, minute = (int(g) for g in time.groups())
    zone: datetime.tzinfo = NEWSROOM_ZONE
    if offset := OFFSET.search(line):
        sign, hours, minutes = offset.groups()
        delta = datetime.timedelta(hours=int(hours), minutes=int(minutes or 0))
        zone = datetime.timezone(-delta if sign == "-" else delta)
    try:
        return datetime.datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None


def _is_title(line: str) -> bool:
    return (
        2 <= len(_words(line)) <= 40
        and not line.endswith((".", ";", ",", ":"))
        and not _is_time_line(line)
    )


def _is_heading(line: str) -> bool:
    words = _words(line)
    first = line[:1]
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and not line.endswith(CLOSING)
        and (first.isupper() or first.isdigit())
    )


def _is_caption(line: str) -> bool:
    """A picture's caption left behind without its picture: short and all lower case."""
    return (
        0 < len(_words(line)) <= MAX_CAPTION_WORDS
        and line == line.lower()
        and bool(re.search(r"[^\W\d_]", line))
        and not line.endswith(CLOSING)
    )


SOURCE_NOTE = re.compile(r"\s*[(\[](?:theo|nguồn)\s[^)\]]+[)\]]$", re.I)


def _is_name(line: str) -> bool:
    """A writer's name: two to five capitalised words, perhaps "(theo Reuters)"."""
    name = SOURCE_NOTE.sub("", line)
    words = _words(name)
    return (
        1 < len(words) <= MAX_NAME_WORDS
        and all(w[:1].isupper() for w in words)
        and not re.search(r"[^\w\s.-]", name)
        and not name.endswith(CLOSING)
    )


def _is_furniture(line: str) -> str | None:
    """Why a line is the page's, wherever it stands; None if it may be the story's."""
    if _is_stray(line):
        return "chỉ có dấu câu"
    if TAG_LINE.match(fold(line[:20])) or re.fullmatch(r"(#\w+\s*)+", line):
        return "dòng thẻ"
    if len(line) > SHORT_LINE:  # what follows is about buttons and stamps: short lines
        return None
    if RELATIVE_TIME.search(line) and len(_words(line)) <= 8:
        return "dấu thời gian của tin khác"
    if _is_ui(line):
        return "nút, liên kết của trang"
    folded = _bare(line)
    if len(_words(line)) <= MAX_SOCIAL_WORDS and SOCIAL_LINE.search(folded):
        return "theo dõi, chia sẻ trên mạng xã hội"
    if COUNTS.search(fold(line)) and not COUNTS.sub(" ", fold(line)).strip(" |·•-–,:;"):
        return "thời gian đọc, lượt xem"
    if SEE_ALSO.match(fold(line)):
        return "liên kết sang bài khác"
    return None


def _tags(line: str) -> list[str]:
    """The tags a tag line names ("Tags: giá xăng, xăng dầu")."""
    names = re.split(r"\s*[,;|•·]\s*", line.split(":", 1)[1]) if ":" in line else []
    return [n.strip(" .#") for n in names if n.strip(" .#")]


def _picture_credit(line: str) -> tuple[str, str] | None:
    """A picture's caption and credit, when ``line`` is a caption that credits it."""
    if len(line) > 10 * MAX_CAPTION_LINE_WORDS or len(_words(line)) > MAX_CAPTION_LINE_WORDS:
        return None
    if match := PICTURE_CREDIT.match(line):
        credit = (match.group("credit") or match.group("credit2") or "").strip()
        if credit and len(_words(credit)) <= MAX_CREDIT_WORDS:
            return match.group("caption").strip(" .,;–-"), credit
    if match := PICTURE_NOTE.match(line):
        return match.group("caption").strip(" .,;–-"), match.group("label")
    return None


def _attribution(line: str) -> str | None:
    """The source a closing "Theo …" or "Nguồn: …" line names."""
    match = ATTRIBUTION.match(line)
    if match and len(_words(match.group("source"))) <= MAX_SOURCE_WORDS:
        return match.group("source")
    return None


def _is_banner(line: str) -> bool:
    """The page's first line read as an outlet's name: a few words, no sentence."""
    return (
        0 < len(_words(line)) <= MAX_OUTLET_WORDS
        and not line.endswith(CLOSING)
        and not _is_time_line(line)
        and not _is_breadcrumb(line)
        and _is_furniture(line) is None
        and bool(re.search(r"[^\W\d_]", line))
    )


def _unglue(heading: str, tokens: set[str]) -> list[str]:
    """``… SpaceX và GoogleSpaceX`` -> the heading and the sub-heading glued to
    it, when both halves of the last word stand alone elsewhere in the text."""
    head, _, last = heading.rpartition(" ")
    if len(last) > MAX_GLUED_WORD:
        return [heading]
    for i in range(2, len(last) - 1):
        left, right = last[:i], last[i:]
        if left[-1].islower() and right[0].isupper() and {left, right} <= tokens:
            return [f"{head} {left}".strip(), right]
    return [heading]


def _is_paragraph(line: str) -> bool:
    """A statement of the story: several words, closed by a full stop."""
    return len(_words(line)) >= MIN_PARAGRAPH_WORDS and line.rstrip('"”’)»').endswith((".", "…"))


def _head(lines: list[str], wire: Wire) -> int:
    """Read what stands above the first paragraph: the page's lines, the headline
    (the last title above it), the story's time and byline. Returns where the
    story's text begins."""
    start = next((n for n, line in enumerate(lines) if _is_paragraph(line)), len(lines))
    # where the first title that is not a name stands: a name below it is a byline
    first_title = next(
        (n for n, a in enumerate(lines[:start]) if _is_title(a) and not _is_name(a)), start
    )
    headline, above = None, None
    for n in range(start - 1, -1, -1):
        line = lines[n]
        if (
            _is_time_line(line)
            or BYLINE_LABEL.match(line)
            or _is_furniture(line)
            or _picture_credit(line)
        ):
            continue
        if _is_name(line) and first_title < n:
            continue  # a byline under the headline
        if _is_title(line):
            headline = n
            break
    for n, line in enumerate(lines[:start]):
        if TAG_LINE.match(fold(line[:20])):
            wire.tags += _tags(line)
        if headline is not None and n < headline:
            wire.masthead.append(line)
            if n == 0 and _is_banner(line):
                wire.banner = line
            if _is_time_line(line) and (moment := _moment(line)):
                above = moment  # some outlets print the story's time over its headline
                continue
            why = _is_furniture(line) or ("ngày của trang" if _is_time_line(line) else None)
            if why is None and _is_breadcrumb(line):
                why = "đường dẫn của trang"
            wire.cut.append(Cut(line, why or "đầu trang: tên báo, chuyên mục"))
        elif n == headline:
            wire.headline = line
        elif _is_time_line(line) and (moment := _moment(line)) and wire.source_time is None:
            wire.source_time = moment
        elif label := BYLINE_LABEL.match(line):
            wire.byline = label.group(2).strip()
        elif headline is not None and _is_name(line) and not wire.byline:
            wire.byline = line
        elif _keep_picture_credit(line, wire):
            continue
        else:
            wire.cut.append(Cut(line, _is_furniture(line) or "trước bài, không rõ là gì"))
    wire.source_time = wire.source_time or above
    return start


def _keep_picture_credit(line: str, wire: Wire) -> bool:
    """A caption with its credit: the story's picture's, if it has none yet, or
    cut as another picture's; False when ``line`` is no such caption."""
    found = _picture_credit(line)
    if found is None:
        return False
    if wire.credit:
        wire.cut.append(Cut(line, "chú thích ảnh"))
    else:
        wire.caption, wire.credit = found[0] or wire.caption, found[1]
    return True


def read(text: str) -> Wire:
    """The story in ``text``, and what was cut from around it."""
    wire = Wire()
    lines = [line for line in (_clean(line) for line in text.splitlines()) if line]
    tokens = {t for line in lines for t in re.findall(r"\w+", line)}

    body: list[str] = []
    rest = lines[_head(lines, wire) :]
    for n, line in enumerate(rest):
        if (
            body
            and len(line) <= SHORT_LINE
            and END_OF_STORY.match(_bare(line))
            and not SEE_ALSO.match(fold(line))
        ):
            wire.cut += [Cut(r, "sau bài: tin khác, bình luận") for r in rest[n:]]
            break
        if TAG_LINE.match(fold(line[:20])):
            wire.tags += _tags(line)
        if why := _is_furniture(line):
            wire.cut.append(Cut(line, why))
        else:
            body.append(line)

    if body and (source := _attribution(body[-1])):
        wire.source = source
        wire.cut.append(Cut(body.pop(), "nguồn của bài"))
    if body and not wire.byline and _is_name(body[-1]):
        wire.byline = body.pop()
    wire.tags = list(dict.fromkeys(t[:MAX_TAG_LENGTH] for t in wire.tags))[:MAX_TAGS]
    for n, line in enumerate(body):
        last = n + 1 == len(body)
        if _keep_picture_credit(line, wire):
            continue
        if not wire.sapo:
            wire.sapo = line
        elif _is_caption(line) and not last:
            if wire.caption:
                wire.cut.append(Cut(line, "chú thích ảnh"))
            else:
                wire.caption = line
        elif _is_heading(line) and not last:
            for part in _unglue(line, tokens):
                short = len(_words(part)) <= MAX_SUBHEADING_WORDS
                wire.blocks.append(Block("h3" if short else "h2", part))
        else:
            wire.blocks.append(Block("p", line))
    return wire


def decode(data: bytes) -> str:
    """Copy as text; a file that is not UTF-8 text is refused, not guessed at."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"không phải văn bản UTF-8 (byte {error.start})") from None
    if "\x00" in text:
        raise ValueError("không phải văn bản (có ký tự NUL)")
    if not text.strip():
        raise ValueError("tệp rỗng")
    return check(text)


def check(text: str) -> str:
    """Copy of one story's size, or refused with the reason: every rule then reads
    a bounded text."""
    if not text.strip():
        raise ValueError("không có chữ nào")
    if (
        text.count("\n") > MAX_LINES
        and sum(map(bool, map(str.strip, text.splitlines()))) > MAX_LINES
    ):
        raise ValueError(f"quá dài cho một bài: hơn {MAX_LINES} dòng có chữ")
    return text
