"""The desk's assistant for outcomes: it reads a story about a meeting and
proposes what was pledged, requested, proposed, agreed, decided or planned,
by whom, to whom, with what figure, so that the desk checks a list instead of
typing the tracker by hand.

Rules over the language of news copy, no model: a cue verb in its sentence
("cam kết", "đề nghị", "đề xuất", "nhất trí", "dự kiến đầu tư", "sẽ xây
dựng", "đã giảm thuế"; "pledged", "asked", "agreed") makes a proposal. Its
actor is the nearest party named before the cue that is not an object ("của
Việt Nam", "với PVGas" are not subjects; nor is a name inside a quotation the
cue is outside of), or the actor of the sentence before; "Hai bên" is both
sides; a bare title ("Bộ trưởng") is the person last named with it. Its
counterparts are the parties named right after the cue (a list joined by "và"
or opened by "như"), else the other side of the meeting. The meeting is the
one the heading or an opening phrase ("Tại buổi làm việc với Tập đoàn X")
names. Parties are the known ones under any of their names (the automaton of
``suggest``), a person standing for the side they took in the meeting, or the
name as written after "Tập đoàn", "ông", "Bộ"…; figures are read by
``text.amounts.read_figures``.

``propose(text, event=None)`` is the one entry: the endpoint, the command and
the story form all call it. It reads at most ``MAX_TEXT`` characters, in time
linear in their length.
"""

import hashlib
import html
import re
from dataclasses import dataclass, field

from django.core.cache import cache

from ..models import (
    Country,
    Event,
    Organization,
    Outcome,
    OutcomeReport,
    Participant,
    Person,
)
from ..text.amounts import Figure, read_figures
from ..text.slugs import fold
from . import suggest, wire

MAX_TEXT = 100_000
MAX_SUMMARY = 240  # characters
MAX_SENTENCE = 1_500  # characters: a longer "sentence" is read in pieces
MAX_NAMES_SEEN = 200  # new names looked for again in later sentences
MAX_PROPOSALS = 200  # a story of many meetings has a few dozen
KEPT_SECONDS = 600  # proposals kept for the same text, event and names (propose_kept)
ASKS = ("request", "proposal")
COMPANIES = ("company", "state_enterprise")
COUNTERPART_WORDS = 14  # words after a cue that may name whom it is to


# Cues, matched on the lower-cased text: (pattern, kind, status). Longer first
# where one contains another. A status of "" leaves it as announced.
_GIVING = (
    r"(?:đầu tư|rót|cung cấp|tài trợ|xây dựng|mở|cấp|viện trợ|giải ngân|hỗ trợ|nâng|giữ|duy trì"
    r"|mở rộng|đưa|hoàn thành|hoàn tất|tuyển|ký|bố trí|dành|đồng hành|tiếp tục|thành lập|mua"
    r"|nhập khẩu|chuyển giao|đào tạo|tăng|phóng|khai trương|triển khai)"
)
_VI_CUES = [
    # "cho biết tập đoàn sẽ nâng …", "khẳng định New Zealand ủng hộ …": what a side
    # says it will do (checked in ``cues_in``: no "với", "của" between).
    (
        r"(?:cho biết|khẳng định|thông báo|tuyên bố|cam kết)\s+"
        r"(?:[^,.;“”\"]{0,50}?\s)?(?:sẽ|ủng hộ)(?!\s+được)",
        "pledge",
        "",
    ),
    (
        rf"(?:dự kiến|có kế hoạch|lên kế hoạch) (?:sẽ )?{_GIVING}|sẽ đầu tư|cam kết đầu tư",
        "pledge",
        "",
    ),
    (r"kế hoạch đầu tư", "pledge", ""),
    (r"cam kết|sẵn sàng|hứa sẽ", "pledge", ""),
    (rf"sẽ {_GIVING}", "pledge", ""),
    (
        r"đang (?:tích cực |khẩn trương )?(?:tháo gỡ|hoàn thiện|xúc tiến|sửa đổi|xem xét)",
        "pledge",
        "under_way",
    ),
    (r"nhất trí|thống nhất|đạt được thỏa thuận|đạt được thoả thuận", "agreement", ""),
    (
        r"đã ký|ký kết|ký (?:biên bản|bản ghi nhớ|thỏa thuận|thoả thuận|hiệp định|hợp đồng)"
        r"|trao (?:biên bản|bản ghi nhớ)",
        "agreement",
        "",
    ),
    (r"bày tỏ mong muốn|đề nghị|yêu cầu|kêu gọi|mong muốn|cần được", "request", ""),
    (r"đề xuất|kiến nghị|gợi ý", "proposal", ""),
    (
        r"đã giảm|giảm thuế|miễn thuế|ban hành|áp dụng|đã tăng thuế|nâng thuế|cắt giảm thuế",
        "policy",
        "",
    ),
    (
        r"chuẩn bị kế hoạch|đặt mục tiêu|dự kiến|lên kế hoạch|có kế hoạch|sẽ triển khai"
        r"|chuẩn bị cho kế hoạch|nghiên cứu đầu tư|xem xét đầu tư",
        "plan",
        "",
    ),
    # A fact a side's figure states ("Việt Nam hiện có hơn 22 triệu người dân …"):
    # only with a figure or a rank, a side named before it, and no other cue.
    (r"là|có(?! thể)|đạt|xuất siêu|nhập siêu", "statement", ""),
]
# "giữa hai nước": the two countries named last.
_BOTH_COUNTRIES = re.compile(
    r"\b(?:giữa hai nước|song phương|hai chiều|between the two countries|bilateral|two-way)\b"
)
_RANK = re.compile(r"\bthứ \d+\b")
_EN_CUES = [
    (r"(?:said|announced|confirmed)\s+(?:[^,.;“”\"]{0,50}?\s)?(?:would|will)", "pledge", ""),
    (
        r"pledged|pledges|committed to|commits to|will invest|promised|vowed|offered to",
        "pledge",
        "",
    ),
    (
        r"plans to invest|is ready to|are ready to|will (?:build|provide|supply|open|set up)",
        "pledge",
        "",
    ),
    (r"agreed|signed|reached an agreement|reached a deal", "agreement", ""),
    (r"asked|urged|called on|called for|requested|pressed", "request", ""),
    (r"proposed|suggested|put forward", "proposal", ""),
    (r"cut (?:tariffs|taxes|duties|its tariff)|lowered|exempted|introduced", "policy", ""),
    (r"plans to|aims to|intends to|is preparing to|expects to|targets", "plan", ""),
]
# A cue used as a noun, not a verb: "các đề xuất này", "cam kết của Việt Nam".
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:các|những|của|sự|một|nhiều|cho thấy|thể hiện|vốn|chi phí|thời gian|công suất"
    r"|giá trị|quy mô)|\bthe|\bits|\btheir)\s+$"
)
_NOUN_AFTER = re.compile(r"^\s+(?:(?:\w+\s+){0,2}của\b|này\b|đó\b|trên\b)")
_OBJECT_BEFORE = re.compile(
    r"(?:\b(?:của|với|cùng|cho|tới|đến|tại|trong|về|giữa|theo|of|with|to|for|in|at|from"
    r"|according to)"
    r"(?:\s+(?:các|những|tập đoàn|công ty|doanh nghiệp|the))*)\s+$",
    re.IGNORECASE,
)
# Words after which a cue is no cue: "ghi nhận và đánh giá cao" is praise.
_RECALL = re.compile(
    r"ghi nhận việc|nhắc lại|trước đó|trước đây|đã từng|thời gian qua|theo quy hoạch"
    r"|previously|earlier this|already|last year",
)
_BOTH = re.compile(
    r"\b(?:hai bên|các bên|hai phía|hai bộ trưởng|hai nhà lãnh đạo|hai lãnh đạo|hai nước"
    r"|hai quốc gia|both sides|the two sides|the two ministers|both countries)\b",
    re.IGNORECASE,
)
# Words that stand for a side named before: the guest ("tập đoàn", "phía bạn"),
# or the city or province met ("thành phố", "tỉnh").
_COMPANY_WORDS = re.compile(
    r"\b(?:(?:tập đoàn|doanh nghiệp|công ty) này|tập đoàn(?!\s+[A-ZĐ])|the company|the firm)\b"
)
_BODY_WORDS = re.compile(r"\b(?:cơ quan|tổ chức) này\b|\bthe agency\b")
_GUEST_WORDS = re.compile(r"\bphía bạn\b")
_PLACE_WORDS = re.compile(r"\b(?:thành phố|tỉnh)\b(?!\s+[A-ZĐ])")
_PLACE_NAME = re.compile(r"\b(?:ubnd|tp|thanh pho|tinh)\b")
_SPEECH = re.compile(
    r"(?:cho biết|khẳng định|thông báo|tuyên bố|cam kết|said|announced|confirmed)\s+"
)
_NOT_A_SPEAKER = re.compile(r"\b(?:với|của|cho|về|trong)\b")
_TITLE = (
    r"Phó Thủ tướng|Thủ tướng|Phó Chủ tịch|Chủ tịch|Bộ trưởng|Thứ trưởng|Đại sứ|Tổng thống"
    r"|Tổng Giám đốc|Giám đốc|Minister|President|Ambassador|Chairman|Chief Executive"
)
_UPPER = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_BARE_TITLE = re.compile(rf"\b(?:{_TITLE})\b")
# What comes before a name the desk may not know yet: "ông Peter Haas", "Tập đoàn X".
_NAME_LEAD = re.compile(
    r"\b(?:(?P<honorific>ông|bà|ngài|Ông|Bà|Ngài|Mr\.?|Ms\.?|Mrs\.?)"
    rf"|(?P<title>{_TITLE})"
    r"|(?P<public>Bộ|Ủy ban|Uỷ ban|Tỉnh|Thành phố|Đại sứ quán|Viện|Sở)"
    r"|(?P<company>(?:Tập đoàn|Tổng công ty|Công ty|Ngân hàng|Quỹ|Hãng|Hiệp hội|Tổ chức"
    rf"|tập đoàn|tổng công ty|công ty|hãng)(?:\s+(?![{_UPPER}])\w+){{0,3}}?)"
    r"|(?P<side>Phía|phía))"
    rf"\s+(?=[{_UPPER}])"
)
# "The minister asked …": a title without a name, in English.
_EN_BARE_TITLE = re.compile(
    r"\b[Tt]he (?:deputy |vice |prime |foreign |trade )?"
    r"(minister|ambassador|president|chairman|chief executive)\b"
)
# "Vietnam's Deputy Minister …": whose minister "the deputy minister" is.
_POSSESSED_TITLE = re.compile(
    r"['’]s\s+(?:[A-Z]\w+\s+){0,2}?(Minister|Ambassador|President|Chairman)\b"
)
_WORD = re.compile(r"[\w&.'’-]+")
NAME_JOINERS = ("of", "and", "&", "for")
MAX_NAME_WORDS = 5


def _capitalised(text: str, start: int) -> int:
    """Where the run of capitalised words at ``start`` ends ("Peter Haas",
    "Bộ Công Thương", "Ministry of Finance"): ``start`` itself when there is none."""
    end = position = start
    words = 0
    while words < MAX_NAME_WORDS:
        match = _WORD.match(text, position)
        if not match:
            break
        word = match.group(0).rstrip(".,'’")
        if not word:
            break
        if word[0].isupper() or (word[0].isdigit() and words):
            end = position + len(word)
        elif word not in NAME_JOINERS or not words:
            break
        words += 1
        gap = re.match(r"[ \t]+", text[match.end() :])
        if match.group(0) != word or not gap:
            break
        position = match.end() + gap.end()
    return end


_MEETING_OPENER = re.compile(
    r"\b(?:làm việc với|cuộc gặp(?: gỡ)?(?: với)?|buổi gặp(?: gỡ)?(?: với)?|buổi làm việc với"
    r"|cuộc làm việc với|hội đàm với|hội kiến|tiếp xúc với|tiếp(?!\s+(?:tục|nhận|cận|theo))"
    r"|gặp(?: gỡ)?|met with|meeting with"
    r"|talks with|met)\s+",
    re.IGNORECASE,
)
_JOINT = re.compile(
    r"\b(?:đồng chủ trì|hội đàm|điện đàm|hội kiến|held talks|co-chaired)\b", re.IGNORECASE
)
_ALL_MEETINGS = re.compile(
    r"tại (?:tất cả )?các (?:cuộc|buổi) (?:làm việc|gặp)|at (?:all )?the meetings|in all the talks",
    re.IGNORECASE,
)
_LIST_OPENER = re.compile(r"[\s,]*(?:như|gồm|including|such as)\s*:?\s*", re.IGNORECASE)
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:và\s+|and\s+)?|và\s+|and\s+)")
# Asks listed after one cue, each a new proposal: "đề nghị Hoa Kỳ …, sớm công nhận …
# và đưa … ra khỏi danh sách …".
_NEXT_ASK = re.compile(
    r"(?:,|;|\bvà|\bđồng thời)\s+(?=(?:sớm|đưa|công nhận|nỗ lực|dỡ bỏ|gỡ bỏ|nới lỏng"
    r"|cấp phép|mở cửa|ủng hộ|recognise|recognize|remove|lift|grant)\b)",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»)]*\s+(?=[\"“‘«(]?[A-ZĐÀ-Ỹ0-9])")
_QUOTE = re.compile(r"[“\"«]([^”\"»]*)[”\"»]")
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
_BLOCK = re.compile(r"</?(?:p|h[1-6]|li|blockquote|div|br)\b[^>]*>", re.IGNORECASE)
_HEADING = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Party:
    """A side of an outcome: a known country, organization or person, both
    sides, or a name as the story writes it."""

    name: str
    kind: str = ""  # "country", "organization", "person"; "" for a name as written
    pk: int | None = None
    both: bool = False

    @property
    def known(self) -> bool:
        return self.pk is not None

    @property
    def token(self) -> str:
        """How the desk's form carries it back: "country:3", "both", "name:Meridian"."""
        if self.both:
            return "both"
        return f"{self.kind}:{self.pk}" if self.known else f"name:{self.name}"


BOTH = Party("Hai bên", both=True)


@dataclass
class Proposal:
    kind: str
    actor: Party | None
    counterparts: list[Party]
    summary: str
    quote: str
    status: str = "announced"
    background: bool = False
    meeting: str | None = None
    meeting_id: int | None = None
    figure: Figure | None = None

    @property
    def kind_label(self) -> str:
        return str(Outcome.Kind(self.kind).label)

    @property
    def figure_text(self) -> str:
        return self.figure.text if self.figure else ""

    def as_json(self) -> dict:
        counterpart = self.counterparts[0] if self.counterparts else None
        return {
            "kind": self.kind,
            "actor": self.actor.name if self.actor else None,
            "actor_known": bool(self.actor and self.actor.known),
            "counterpart": counterpart.name if counterpart else None,
            "counterparts": [c.name for c in self.counterparts],
            "summary": self.summary,
            "quote": self.quote,
            "status": self.status,
            "background": self.background,
            "meeting": self.meeting,
            "meeting_id": self.meeting_id,
            "amount": self.figure.as_dict() if self.figure else None,
        }


@dataclass
class _Cue:
    start: int
    end: int
    kind: str
    status: str
    says: int  # where what a side says starts: "sẽ" in "khẳng định thành phố sẽ …"


@dataclass
class _Mention:
    start: int
    end: int
    party: Party
    person_id: int | None = None  # a known person, whatever side they stand for
    role: str = ""  # "company" or "body" for an organization: what "tập đoàn này" can be


@dataclass
class _Meeting:
    name: str
    pk: int | None = None
    host: Party | None = None
    guest: Party | None = None


@dataclass
class _Sides:
    """What the event tells: each meeting's sides, whom a person speaks for."""

    event: Event | None
    meetings: list[tuple[Event, set[tuple[str, int]], Party | None, Party | None]] = field(
        default_factory=list
    )
    speaks_for: dict[int, Party] = field(default_factory=dict)

    @classmethod
    def of(cls, event: Event | None) -> "_Sides":
        sides = cls(event)
        if event is None:
            return sides
        events = [event, *Event.objects.filter(parent=event).order_by("position", "start_date")]
        rows: dict[int, list[Participant]] = {e.pk: [] for e in events}

        for p in Participant.objects.filter(event__in=events).select_related(
            "person", "organization", "country"
        ):
            rows[p.event_id].append(p)
        # Who is at every meeting (the delegation) names none of them.
        everywhere: set[tuple[str, int]] | None = None
        for e in events[1:] or events:
            things = {key for p in rows[e.pk] for key in _keys_of(p)}
            everywhere = things if everywhere is None else everywhere & things
        for e in events:
            distinct = {key for p in rows[e.pk] for key in _keys_of(p)} - (everywhere or set())
            host = next((_party(p.party) for p in rows[e.pk] if p.side == 1 and p.party), None)
            guest = next((_party(p.party) for p in rows[e.pk] if p.side == 2 and p.party), None)
            sides.meetings.append((e, distinct, host, guest))
            for p in rows[e.pk]:
                if p.person_id and p.party:
                    sides.speaks_for.setdefault(p.person_id, _party(p.party))
        return sides

    def meeting_naming(self, mention: _Mention) -> _Meeting | None:
        key = (mention.party.kind, mention.party.pk)
        person = ("person", mention.person_id)
        for e, distinct, host, guest in self.meetings[1:]:
            if key in distinct or person in distinct:
                return _Meeting(e.title, e.pk, host, guest)
        return None

    def whole(self) -> _Meeting | None:
        if not self.meetings:
            return None
        e, _distinct, host, guest = self.meetings[0]
        return _Meeting(e.title, e.pk, host, guest)


def _keys_of(p) -> list[tuple[str, int]]:
    return [
        (kind, pk)
        for kind, pk in (
            ("person", p.person_id),
            ("organization", p.organization_id),
            ("country", p.country_id),
        )
        if pk
    ]


def _party(thing) -> Party:
    kind = {Country: "country", Organization: "organization", Person: "person"}[type(thing)]
    return Party(str(thing), kind, thing.pk)


def lower_startswith(text: str, start: int, prefix: str) -> bool:
    return text[start : start + len(prefix)].lower() == prefix


def _fold_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def _language(text: str) -> str:
    """Vietnamese when its letters are there (one word in three or so has one),
    else English."""
    sample = text[:5000]
    letters = sum(c.isalpha() for c in sample)
    return "vi" if len(_VIETNAMESE.findall(sample)) * 40 > letters else "en"


def _blocks(text: str) -> list[tuple[bool, str]]:
    """(is_heading, text) for each heading and paragraph: from HTML as the desk
    writes it, or from plain copy read as the wire reads it (page furniture,
    the headline, the byline and lists of other stories left out)."""
    if _BLOCK.search(text):
        headings = {html.unescape(_TAG.sub("", h)).strip() for h in _HEADING.findall(text)}
        parts = [html.unescape(_TAG.sub("", part)).strip() for part in _BLOCK.split(text)]
        return [(part in headings, part) for part in parts if part]
    copy = wire.read(text)
    return [(False, copy.sapo)] * bool(copy.sapo) + [
        (block.tag != "p", block.text) for block in copy.blocks
    ]


def _sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph; one longer than any a story has is read in
    pieces, so that the work per sentence stays bounded."""
    result, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        result.append(paragraph[start : match.start()])
        start = match.end()
    result.append(paragraph[start:])
    pieces = []
    for sentence in result:
        while len(sentence) > MAX_SENTENCE:
            cut = sentence.rfind(" ", 0, MAX_SENTENCE)
            cut = cut if cut > 0 else MAX_SENTENCE
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        pieces.append(sentence)
    return [s for s in pieces if s.strip()]


class _Reader:
    def __init__(self, text: str, event: Event | None):
        self.text = text[:MAX_TEXT]
        self.language = _language(self.text)
        cues = _VI_CUES if self.language == "vi" else _EN_CUES
        self.cues = [(re.compile(rf"\b(?:{p})\b"), kind, status) for p, kind, status in cues]
        self.sides = _Sides.of(event)
        self.people: dict[int, Person] = {}
        self.titled: dict[str, _Mention] = {}  # the person last named with each title
        self.protagonist: _Mention | None = None
        self.meeting: _Meeting | None = self.sides.whole()
        self.last_actor: Party | None = None
        self.locality: Party | None = None  # the city or province last named
        self.countries: list[Party] = []  # the countries named, in the order named
        self.country_pair: tuple[Party, Party] | None = None
        self._sentence_mentions: list[_Mention] = []
        self.affiliations: dict[str, Party] = {}  # a new name -> the body named with it
        self.surnames: dict[str, Party] = {}  # "Grant" -> the side Michael Grant stands for
        self.seen: dict[str, tuple[Party, str]] = {}  # bodies named after a lead word
        self.company: Party | None = None  # the company last named: "tập đoàn này"
        self.body: Party | None = None  # the public body last named: "cơ quan này"
        self.org_kinds: dict[int, str] = {}

    # -- who is named where

    def mentions(self, sentence: str) -> list[_Mention]:
        """Who ``sentence`` names, in order: known parties (a person as the side
        they stand for), names as written after a lead word, both sides, and the
        words that stand for a side named before."""
        found: list[_Mention] = []
        taken: list[tuple[int, int]] = []

        def add(start, end, party: Party | None, person_id=None, role="") -> bool:
            if party is None or any(s < end and start < e for s, e in taken):
                return False
            found.append(_Mention(start, end, party, person_id, role))
            taken.append((start, end))
            return True

        known = suggest.mentions(sentence)
        self._load([t for _s, _e, t in known])
        for start, end, thing in known:
            if thing.kind == "events":
                continue
            party, person_id = self._known_party(thing)
            role = ""
            if thing.kind == "organizations":
                role = "company" if self.org_kinds.get(thing.pk) in COMPANIES else "body"
            add(start, end, party, person_id, role)
            if thing.kind == "people":
                self.surnames[thing.name.split()[-1]] = party
        for lead in _NAME_LEAD.finditer(sentence):
            self._name_after(sentence, lead, add)
        for name, (party, role) in self.seen.items():  # "AgriNova", once "Công ty AgriNova"
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence):
                add(match.start(), match.end(), party, None, role)
        for match in _BOTH.finditer(sentence):
            add(match.start(), match.end(), BOTH)
        guest = self.meeting.guest if self.meeting else None
        for pattern, role, earlier in (
            (_COMPANY_WORDS, "company", self.company or guest),
            (_BODY_WORDS, "body", self.body or guest),
            (_GUEST_WORDS, "", guest),
            (_PLACE_WORDS, "", self.locality),
        ):
            for match in pattern.finditer(sentence):
                # "cơ quan này": the body named last before it, in this sentence or before
                before = [m for m in found if role and m.role == role and m.end <= match.start()]
                nearest = max(before, key=lambda m: m.start).party if before else earlier
                add(match.start(), match.end(), nearest)
        for pattern in (_BARE_TITLE, _EN_BARE_TITLE):
            for match in pattern.finditer(sentence):
                if _capitalised(sentence, match.end() + 1) > match.end() + 1:
                    continue  # "Bộ trưởng Nguyễn Hồng Diên" names him; "Bộ trưởng" alone not
                if sentence[: match.start()].rstrip().endswith(","):
                    continue  # "Bà Nancy Ziuzin, Phó Chủ tịch …": who she is
                title = match.group(match.lastindex or 0).lower()
                same = self.titled.get(title) or self.protagonist
                if same:
                    add(match.start(), match.end(), same.party, same.person_id)
        found.sort(key=lambda m: m.start)
        self._learn(sentence, found)
        return found

    def _name_after(self, sentence: str, lead: re.Match, add) -> None:
        """A name the desk may not know, after its lead word: a person's (two
        words at least after a title, so "Bộ trưởng Ngoại giao" is no name), a
        public body's with its lead ("Bộ Ngoại giao"), a company's without it."""
        start = lead.end()
        if _NAME_LEAD.match(sentence, start):
            return  # "Tổng Giám đốc Tập đoàn X": the body's own lead names it
        end = _capitalised(sentence, start)
        if end == start:
            return
        words = sentence[start:end].split()
        if lead["title"] and len(words) < 2:
            return
        if lead["public"]:
            start = lead.start()
            if len(words) == 1:  # "Bộ Ngoại giao", "Bộ Tài chính"
                more = re.match(
                    r"(?:\s+(?!(?:của|và|tại|với|đã|sẽ|đang|cho)\b)[^\W\d_A-ZĐ]\w*){1,3}",
                    sentence[end:],
                )
                end += more.end() if more else 0
        name = sentence[start:end]
        if lead["honorific"] and len(words) == 1:  # "ông Grant": the Grant named before
            earlier = self.surnames.get(name)
            if earlier is not None:
                add(start, end, earlier)
            return
        party = self.affiliations.get(name, Party(name))
        role = "company" if lead["company"] else "body" if lead["public"] else ""
        if not add(start, end, party, None, role):
            return
        if lead["honorific"] or lead["title"]:
            self.surnames.setdefault(words[-1], party)
        elif not party.known and len(self.seen) < MAX_NAMES_SEEN:
            self.seen.setdefault(name, (party, role))

    def _learn(self, sentence: str, found: list[_Mention]) -> None:
        """Remember what later sentences refer back to: whom each title names, the
        city or province met, a new name's organization ("ông Daniel Tan, Tổng
        Giám đốc Tập đoàn Meridian Logistics"), and the story's main party."""
        for i, m in enumerate(found):
            title = re.search(rf"({_TITLE})\b[^.,;]*$", sentence[max(0, m.start - 40) : m.start])
            if title and (m.person_id or not m.party.known):
                self.titled[title.group(1).lower()] = m
            possessed = _POSSESSED_TITLE.match(sentence, m.end)
            if possessed:
                self.titled[possessed.group(1).lower()] = m
            if m.party.kind == "country" and m.party not in self.countries:
                self.countries.append(m.party)
            if _PLACE_NAME.search(_fold_words(m.party.name)):
                self.locality = m.party
            if m.role == "company":
                self.company = m.party
            elif m.role == "body":
                self.body = m.party
            following = found[i + 1] if i + 1 < len(found) else None
            if (
                not m.party.known
                and not m.party.both
                and following is not None
                and sentence[m.end : m.end + 2].startswith(",")
                and following.start - m.end < 70
                and "," not in sentence[m.end + 1 : following.start]
                and "(" not in sentence[m.end : following.start]
            ):
                self.affiliations[m.party.name] = following.party
                self.surnames[m.party.name.split()[-1]] = following.party
                found[i] = _Mention(m.start, m.end, following.party)
            if (
                self.protagonist is None
                and not m.party.both
                and sentence.count("(", 0, m.start) <= sentence.count(")", 0, m.start)
                and not _OBJECT_BEFORE.search(sentence[max(0, m.start - 40) : m.start])
                and not re.search(
                    r"\b(?:thăm|visit|visiting)\s+$", sentence[max(0, m.start - 20) : m.start]
                )
            ):
                self.protagonist = found[i]
        named = list(dict.fromkeys(m.party for m in found if m.party.kind == "country"))
        if len(named) > 1:  # "Việt Nam là đối tác … của Hoa Kỳ": the pair "hai nước" means
            self.country_pair = (named[0], named[1])

    def _load(self, things: list[suggest.Named]) -> None:
        """The people and the organizations' kinds not read yet: two queries at most."""
        people = [t.pk for t in things if t.kind == "people" and t.pk not in self.people]
        if people:
            for person in Person.objects.filter(pk__in=people).select_related(
                "organization", "country"
            ):
                self.people[person.pk] = person
        orgs = [t.pk for t in things if t.kind == "organizations" and t.pk not in self.org_kinds]
        if orgs:
            self.org_kinds.update(
                Organization.objects.filter(pk__in=orgs).values_list("pk", "kind")
            )

    def _known_party(self, thing: suggest.Named) -> tuple[Party, int | None]:
        kind = {"countries": "country", "organizations": "organization", "people": "person"}[
            thing.kind
        ]
        if kind != "person":
            return Party(thing.name, kind, thing.pk), None
        if thing.pk in self.sides.speaks_for:
            return self.sides.speaks_for[thing.pk], thing.pk
        person = self.people.get(thing.pk)
        side = person and (person.organization or person.country)
        return (_party(side) if side else Party(thing.name, kind, thing.pk)), thing.pk

    # -- which meeting a passage is about

    def follow_meeting(self, passage: str, heading: bool) -> None:
        """Which meeting what follows is about: the one a heading names, or the
        one an opening phrase names ("Tại buổi làm việc với Tập đoàn X, …",
        "Ông Y đã tiếp Đại sứ Z"); its host is who is named before the phrase,
        else the subject after it, else the story's main party."""
        if _ALL_MEETINGS.search(passage):
            whole = self.sides.whole()
            host = self.meeting.host if self.meeting else None
            self.meeting = whole or _Meeting(passage[:80], None, host, None)
            return
        opener = None if heading else _MEETING_OPENER.search(passage[:200])
        if not heading and opener is None:
            self._follow_joint_meeting(passage)
            return
        before = [] if opener is None else self.mentions(passage[: opener.start()])
        start = 0 if opener is None else opener.end()
        window = passage if opener is None else passage[start : start + 80]
        guests = [m for m in self.mentions(window) if not m.party.both]
        if not guests:
            return
        if self.sides.event:
            for m in guests:
                meeting = self.sides.meeting_naming(m)
                if meeting:
                    self.meeting = meeting
                    return
            return
        guest = guests[0].party
        hosts = [m.party for m in before if not m.party.both and m.party != guest]
        if not hosts and opener is not None and "," in passage[start:]:
            after = passage[passage.index(",", start) :]
            hosts = [m.party for m in self.mentions(after) if not m.party.both and m.party != guest]
        if not hosts:
            main = self.protagonist.party if self.protagonist else None
            earlier = self.meeting.host if self.meeting else None
            hosts = [p for p in (earlier, main) if p is not None and p != guest]
        name = passage if heading else guest.name
        self.meeting = _Meeting(name, None, hosts[0] if hosts else None, guest)

    def _follow_joint_meeting(self, passage: str) -> None:
        """ "A và B đã hội đàm / đồng chủ trì …": a meeting of A with B."""
        if self.meeting is not None or self.sides.event:
            return
        joint = _JOINT.search(passage[:300])
        if joint is None:
            return
        sides: list[Party] = []
        for m in self.mentions(passage[: joint.start()]):
            if not m.party.both and m.party not in sides:
                sides.append(m.party)
        if len(sides) >= 2:
            self.meeting = _Meeting(sides[1].name, None, sides[0], sides[-1])

    # -- the proposals of one sentence

    def cues_in(self, sentence: str, mentions: list[_Mention]) -> list[_Cue]:
        """The cues of ``sentence`` used as verbs, in order; adjacent ones
        ("cam kết sẽ đồng hành") as one, and a cue inside what a side asks ("đề
        nghị Việt Nam sớm ban hành …") as part of the ask."""
        lower = sentence.lower()
        found: list[_Cue] = []
        for pattern, kind, status in self.cues:
            for match in pattern.finditer(lower):
                if _NOUN_BEFORE.search(lower[: match.start()]) or _NOUN_AFTER.search(
                    lower[match.end() :]
                ):
                    continue
                if any(c.start < match.end() and match.start() < c.end for c in found):
                    continue
                says = match.start()
                speech = _SPEECH.match(lower, match.start())
                if speech:  # "khẳng định thành phố sẽ …": what is said starts at "sẽ"
                    if _NOT_A_SPEAKER.search(lower[speech.end() : match.end()]):
                        continue  # "khẳng định hợp tác với Việt Nam sẽ mang lại …"
                    said = re.search(r"(?:sẽ|ủng hộ|would|will)$", lower[: match.end()])
                    says = said.start() if said else match.start()
                found.append(_Cue(match.start(), match.end(), kind, status, says))
        if any(c.kind != "statement" for c in found):
            found = [c for c in found if c.kind != "statement"]
        found.sort(key=lambda c: c.start)
        cues: list[_Cue] = []
        for cue in found:
            between = lower[cues[-1].end : cue.start] if cues else ""
            if cues and not between.strip():
                cues[-1].end, cues[-1].status = cue.end, cues[-1].status or cue.status
            elif (
                cues
                and not re.search(r";|\bđồng thời\b", between)
                and (
                    (cues[-1].kind in ASKS and cue.kind not in ASKS)
                    or not (
                        re.search(r",|\bvà\b|\band\b|\bcũng\b", between)
                        or any(cues[-1].end <= m.start < cue.start for m in mentions)
                    )
                )
            ):
                continue  # inside what the cue before says: "thống nhất hoàn tất … ký …"
            else:
                cues.append(cue)
        return cues

    def propose(self, sentence: str) -> list[Proposal]:
        mentions = self.mentions(sentence)  # titles and the main party count even without
        self._sentence_mentions = mentions
        cues = self.cues_in(sentence, mentions)
        if not cues:
            return []
        quotes = [m.span(1) for m in _QUOTE.finditer(sentence)]
        proposals: list[Proposal] = []
        actor = None
        for index, cue in enumerate(cues):
            region_end = cues[index + 1].start if index + 1 < len(cues) else len(sentence)
            floor = cues[index - 1].end if index else 0
            shared = index and re.search(
                r"(?:\bvà|\bđồng thời|,|\band)\s*$", sentence[max(0, cue.start - 20) : cue.start]
            )
            found = None if shared else self._actor(sentence, mentions, quotes, cue.start, floor)
            if found is None and lower_startswith(sentence, cue.start, "sẽ ") and actor is None:
                continue  # "số vốn sẽ dành cho …": no side will do it
            if cue.kind == "statement":
                fact = self._fact(sentence, cue, found, region_end)
                if fact is None:
                    continue
                found, counterparts = fact
                if not counterparts and proposals and proposals[-1].kind == "statement":
                    counterparts = proposals[-1].counterparts  # "…, trong đó Việt Nam xuất siêu …"
                actor = found
                proposals.append(
                    self._proposal(sentence, cue, actor, counterparts, cue.end, region_end, 0)
                )
                continue
            actor = found or actor
            if actor is None:
                actor = self.last_actor or (self.meeting.host if self.meeting else None)
            if sentence[cue.start : cue.end].lower() == "kế hoạch đầu tư":
                # "đánh giá cao kế hoạch đầu tư 1,5 tỷ USD của doanh nghiệp này": a
                # pledge when it gives a figure, made by whose plan it is.
                if not read_figures(sentence[cue.end : region_end], self.language):
                    continue
                actor = self._owner(sentence, mentions, cue.end, region_end) or actor
            # A plan of a side is to the other side, unless recalled ("Theo Quy hoạch …").
            alone = cue.kind == "policy" or (
                cue.kind == "plan" and _RECALL.search(sentence.lower(), 0, cue.start)
            )
            counterparts = self._counterparts(
                sentence, mentions, cue.end, region_end, actor, default=not alone
            )
            petition = lower_startswith(sentence, cue.start, "kiến nghị")
            if petition and self._asks_someone(sentence, mentions, cue):
                cue.kind = "request"  # "kiến nghị thành phố hỗ trợ …": asks the city
            asks = [cue.end]
            if cue.kind in ASKS:
                asks += [
                    m.start()
                    for m in _NEXT_ASK.finditer(sentence, cue.end, region_end)
                    if m.start() > cue.end + 10
                ]
            for n, ask_start in enumerate(asks):
                ask_end = asks[n + 1] if n + 1 < len(asks) else region_end
                proposals.append(
                    self._proposal(sentence, cue, actor, counterparts, ask_start, ask_end, n)
                )
        self.last_actor = actor
        return proposals

    def _fact(self, sentence, cue, actor, end) -> tuple[Party, list[Party]] | None:
        """The sides of a fact a figure states, or None when it is no such fact."""
        region = sentence[cue.end : end]
        if not (read_figures(region, self.language) or _RANK.search(region)):
            return None
        if (
            actor is None
            and _BOTH_COUNTRIES.search(sentence, 0, cue.start)
            and len(self.countries) > 1
        ):
            first, second = self.country_pair or self.countries[:2]
            return first, [second]
        if actor is None or actor.both:
            return None
        named = [
            m.party
            for m in self.mentions_after(sentence, cue.end, end)
            if m.party != actor and not m.party.both
        ]
        return actor, named[:1]

    def mentions_after(self, sentence: str, start: int, end: int) -> list[_Mention]:
        return [m for m in self._sentence_mentions if start <= m.start < end]

    def _asks_someone(self, sentence: str, mentions: list[_Mention], cue: _Cue) -> bool:
        first = next((m for m in mentions if m.start >= cue.end), None)
        return bool(first and not first.party.both and not sentence[cue.end : first.start].strip())

    def _actor(self, sentence, mentions, quotes, cue_start, floor) -> Party | None:
        in_quote = next(((s, e) for s, e in quotes if s <= cue_start < e), None)
        for m in reversed([m for m in mentions if floor <= m.start < cue_start]):
            quoted = any(s <= m.start < e for s, e in quotes)
            if quoted and (in_quote is None or not in_quote[0] <= m.start < in_quote[1]):
                continue
            if _OBJECT_BEFORE.search(sentence[max(0, m.start - 40) : m.start]):
                continue
            return m.party
        if in_quote is not None:  # "“…”, Bộ trưởng X nhấn mạnh": the speaker after it
            after = [m for m in mentions if m.start >= in_quote[1]]
            if after:
                return after[0].party
        return None

    def _owner(self, sentence, mentions, start, end) -> Party | None:
        for m in mentions:
            if start <= m.start < end and re.search(r"\bcủa\s+(?:\w+\s+)?$", sentence[: m.start]):
                return m.party
        rest = sentence[start:end].lower()
        if re.search(r"\bcủa (?:doanh nghiệp|tập đoàn|công ty) này\b", rest) and self.meeting:
            return self.meeting.guest
        return None

    def _counterparts(self, sentence, mentions, start, end, actor, default) -> list[Party]:
        """Who the outcome is to: the party named close after the cue (a list
        "như A, B và C" whole), not a place deep in its object ("… kết nối với
        tuyến cao tốc Hà Nội"); else, where a side's outcome has one, the other
        side of the meeting."""
        near = start + len(" ".join(sentence[start:end].split()[:COUNTERPART_WORDS])) + 2
        after = [m for m in mentions if start <= m.start < end and m.party != actor]
        if not after or after[0].start >= near:
            return self._other_side(actor) if default else []
        chosen = [after[0]]
        rest = after[1:]
        opener = _LIST_OPENER.match(sentence, chosen[0].end)
        if opener and rest and rest[0].start == opener.end():
            chosen = [rest[0]]
            rest = rest[1:]
        for m in rest:
            if _LIST_JOIN.fullmatch(sentence[chosen[-1].end : m.start]) or sentence[
                chosen[-1].end : m.start
            ].strip() in (",", "và", "and", ", và", ", and"):
                chosen.append(m)
            else:
                break
        parties = []
        for m in chosen:
            if m.party not in parties and not m.party.both:
                parties.append(m.party)
        return parties or (self._other_side(actor) if default else [])

    def _other_side(self, actor: Party | None) -> list[Party]:
        """Whom a side's outcome is to when the sentence does not say: the guest
        for anyone on the host's side, the host for the guest."""
        meeting = self.meeting
        if actor is None or actor.both or meeting is None:
            return []
        other = meeting.host if actor == meeting.guest else meeting.guest
        return [other] if other is not None and other != actor else []

    def _proposal(self, sentence, cue, actor, counterparts, start, end, n) -> Proposal:
        kind, status = cue.kind, cue.status
        figures = read_figures(sentence[start:end], self.language)
        lower = sentence.lower()
        done = bool(re.search(r"\bđã\b", lower[max(0, cue.start - 12) : cue.end]))
        clause = re.split(r";|\bđồng thời\b", lower[: cue.start])[-1]
        # A policy a meeting story gives is one in force, unless it is to come.
        background = bool(_RECALL.search(clause)) or (
            kind == "policy" and not re.search(r"\bsẽ\b|\bwill\b", clause)
        )
        if kind == "statement":
            background = True  # a fact the story states, not a result of the meeting
        if kind == "pledge" and background:
            kind = "plan"  # an intention recalled ("Theo Quy hoạch …, sẽ xây dựng")
        if kind in ("policy", "agreement") and (done or background):
            status = "done"
        if kind == "plan" and re.search(r"\bđang\b|\balready\b", clause):
            background = True  # "Việt Nam đang chuẩn bị kế hoạch …": under way before it
        if kind == "plan" and background:
            status = ""
        if not status and re.search(r"\bđang\b", lower[max(0, cue.start - 20) : cue.start]):
            status = "under_way"
        if n == 0:
            said = sentence[cue.says : start]
        else:  # a further ask of the same cue: "đề nghị Hoa Kỳ …, sớm công nhận …"
            verb = (
                "đề nghị"
                if lower.startswith("đề nghị", cue.start)
                else sentence[cue.start : cue.end]
            )
            said = " ".join([verb, *(c.name for c in counterparts[:1])])
        ask = re.sub(r"^(?:[\s,;]|và\s|đồng thời\s|and\s)+", "", sentence[start:end])
        return Proposal(
            kind=kind,
            actor=actor,
            counterparts=counterparts if actor is None or not actor.both else [],
            summary=_summary(actor, f"{said} {ask}"),
            quote=sentence.strip(),
            status=status or "announced",
            background=background,
            meeting=self.meeting.name if self.meeting else None,
            meeting_id=self.meeting.pk if self.meeting else None,
            figure=figures[0] if figures else None,
        )


def _summary(actor: Party | None, words: str) -> str:
    """One sentence for the tracker: who, then what, as the story words it."""
    words = re.sub(r"(?:[\s,;:]|\bvà$|\bđồng thời$|\band$)+$", "", words.strip())
    text = re.sub(r"\s+", " ", f"{actor.name} {words}" if actor else words).strip(" ,;:")
    if len(text) > MAX_SUMMARY:
        text = text[:MAX_SUMMARY].rsplit(" ", 1)[0] + "…"
    elif not text.endswith((".", "!", "?", "…")):
        text += "."
    return text[:1].upper() + text[1:]


def propose(text: str, event: Event | None = None) -> list[Proposal]:
    """The outcomes ``text`` (a story, plain or HTML) reports, as proposals for
    the desk, in the order the story tells them; ``event`` (the trip or the
    meeting the story is about) names the meetings and whom each person
    speaks for."""
    reader = _Reader(text, event)
    proposals: list[Proposal] = []
    for heading, block in _blocks(reader.text):
        reader.follow_meeting(block, heading)
        if heading:
            continue
        for sentence in _sentences(block):
            proposals.extend(reader.propose(sentence))
            if len(proposals) >= MAX_PROPOSALS:
                return proposals[:MAX_PROPOSALS]
    return proposals


def propose_kept(text: str, event: Event | None = None) -> list[Proposal]:
    """``propose``, kept ten minutes for the same text, event and names known:
    the import reads a draft once, and opening its form again reads nothing."""
    token = cache.get(suggest.VERSION_KEY)
    key = "proposals:" + hashlib.sha256(f"{event and event.pk}|{token}|{text}".encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        kept = propose(text, event)
        cache.set(key, kept, KEPT_SECONDS)
    return kept


# -- accepting a proposal


def _resolve(token: str) -> Country | Organization | Person | None:
    """The party a form's token names; a name the newsroom did not know becomes
    an organization (the desk's one-click creation)."""
    kind, _, value = token.partition(":")
    if kind == "name" and value.strip():
        name = " ".join(value.split())[:255]
        return Organization.objects.filter(name=name).first() or Organization.objects.create(
            name=name
        )
    if value.isdigit():
        if kind == "country":
            return Country.objects.filter(pk=int(value)).first()
        if kind == "organization":
            return Organization.objects.filter(pk=int(value)).first()
        if kind == "person":
            return Person.objects.filter(pk=int(value)).first()
    return None


def accept(story, event: Event, fields: dict, tokens: dict) -> tuple[Outcome, bool]:
    """Make a proposal an outcome of ``event`` reported by ``story``; or, when the
    event already has it from another story (same kind and maker, and the same
    figure or most of the same words), add ``story`` to its reports. Either way the
    story's report keeps its own words and figure. Returns the outcome and whether
    it was joined rather than made."""
    report = {"wording": fields["description"]}
    report |= {name: fields[name] for name in OutcomeReport.FIGURE_FIELDS if name in fields}
    actor = None if tokens["actor"] == "both" else _resolve(tokens["actor"])
    counterparts = [_resolve(t) for t in tokens["counterparts"] if t and t != "both"]
    counterparts = [c for c in counterparts if c is not None]
    sides = {}
    if actor is not None:
        sides[f"actor_{type(actor).__name__.lower()}"] = actor
    first = counterparts[0] if counterparts else None
    if first is not None:
        sides[f"counterpart_{type(first).__name__.lower()}"] = first
    mutual = tokens["actor"] == "both"
    same = Outcome.objects.filter(event=event, kind=fields["kind"], mutual=mutual)
    same = same.filter(**{k: v for k, v in sides.items() if k.startswith("actor_")})
    words = set(fold(fields["description"]).split())
    for outcome in same:
        theirs = set(fold(outcome.description).split())
        alike = len(words & theirs) / max(len(words), 1) >= 0.5
        figure = fields.get("amount") is not None and outcome.amount == fields["amount"]
        if alike or figure:
            OutcomeReport.objects.update_or_create(outcome=outcome, article=story, defaults=report)
            return outcome, True
    last = Outcome.objects.filter(event=event).order_by("-position").values("position")[:1]
    outcome = Outcome(
        event=event,
        position=(last[0]["position"] + 1) if last else 0,
        mutual=mutual,
        stated_on=event.start_date,
        **fields,
        **sides,
    )
    outcome.full_clean(exclude=["reported_by", "recipients"])
    outcome.save()
    OutcomeReport.objects.create(outcome=outcome, article=story, **report)
    recipients = [c for c in counterparts[1:] if isinstance(c, Organization)]
    if recipients:
        outcome.recipients.add(*recipients)
    return outcome, False
