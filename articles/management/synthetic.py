"""Synthetic Vietnamese for load tests (``seed_demo``): syllables with their
tones, drawn with Zipf's law, in sentences; people's names."""

import functools
import itertools
import random
import unicodedata

SYLLABLES = (  # noqa: SIM905
    "phát triển kinh tế đầu tư hợp tác chiến lược năng lượng hạ tầng số công nghệ giáo dục "
    "y tế văn hoá du lịch nông nghiệp xuất khẩu thị trường doanh nghiệp chính sách đổi mới "
    "sáng tạo bền vững an ninh quốc phòng ngoại giao hội nhập khu vực toàn cầu chuyển đổi "
    "đường sắt cảng biển sân bay điện gió mặt trời vệ tinh viễn thông tài chính ngân hàng "
    "thương mại dịch vụ lao động việc làm môi trường khí hậu nước sạch đô thị nông thôn"
).split()
ONSETS = "b c ch d đ g gi h kh l m n ng nh ph qu r s t th tr v x".split()  # noqa: SIM905
RHYMES = (  # noqa: SIM905
    "a ai an ang anh ao at ay ăn ăng âm ân âu ây e em en eo ê êm ên êu i im in inh it iêu iên "
    "o oa oai oan oang oi om on ong ô ôi ôm ông ơ ơi ơn u ui um un ung ut uy uyên "
    "ư ưa ưng ươi ương ươc"
).split()
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # level, huyền, sắc, hỏi, ngã, nặng
VOWELS = "aăâeêioôơuưy"


def with_tone(syllable: str, tone: str) -> str:
    """Put a tone mark where Vietnamese puts it: on ă â ê ô ơ ư when there is one,
    else on the last vowel before a final consonant, else on the first of two vowels."""
    vowels = [i for i, c in enumerate(syllable) if c in VOWELS]
    if not vowels or not tone:
        return syllable
    marked = [i for i in vowels if syllable[i] in "ăâêôơư"]
    if marked:
        at = marked[-1]
    elif vowels[-1] < len(syllable) - 1 or len(vowels) == 1:
        at = vowels[-1]
    else:
        at = vowels[-2]
    return unicodedata.normalize("NFC", syllable[: at + 1] + tone + syllable[at + 1 :])


# A few thousand syllables after the newsroom's own words.
VOCABULARY = list(
    dict.fromkeys(
        [
            *SYLLABLES,
            *(
                with_tone(onset + rhyme, tone)
                for tone, rhyme, onset in itertools.product(TONES, RHYMES, ONSETS)
            ),
        ]
    )
)


@functools.cache
def zipf_table() -> list[str]:
    """The vocabulary drawn with Zipf's law, so that, as in real text, a handful
    of words are everywhere and most are rare: each word as many times in a
    table of 65,536 as its share of that many draws (a draw is two random bytes)."""
    size, total = 2**16, sum(1 / rank for rank in range(1, len(VOCABULARY) + 1))
    table, below = [], 0.0
    for rank, word in enumerate(VOCABULARY, start=1):
        upto = below + 1 / rank
        table += [word] * (round(upto / total * size) - round(below / total * size))
        below = upto
    return table


SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()  # noqa: SIM905
MIDDLE = "Văn Thị Hữu Đức Minh Thanh Quốc Hồng Ngọc Gia Xuân Thu".split()  # noqa: SIM905
GIVEN = (  # noqa: SIM905
    "An Bình Châu Dũng Giang Hà Hải Hiền Hùng Khoa Lan Linh Long Mai Nam Phúc Quân Tâm Thảo "
    "Trang Tuấn Việt Yến"
).split()


class Writer:
    """Words, sentences and names drawn from ``rng`` (one per batch, so that a
    batch is the same whichever process writes it)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def draw(self, count: int) -> list[str]:
        """``count`` words by Zipf's law: a random index into ``zipf_table()``
        each, read from one string of random bytes."""
        indexes = memoryview(self.rng.randbytes(2 * count)).cast("H")
        return list(map(zipf_table().__getitem__, indexes))

    def words(self, low: int, high: int) -> str:
        return " ".join(self.draw(self.rng.randint(low, high)))

    def sentences(self, count: int) -> list[str]:
        lengths = [self.rng.randint(12, 28) for _ in range(count)]
        words, at, said = self.draw(sum(lengths)), 0, []
        for length in lengths:
            text = " ".join(words[at : at + length])
            said.append(text[0].upper() + text[1:] + ".")
            at += length
        return said

    def sentence(self) -> str:
        return self.sentences(1)[0]

    def person_name(self) -> str:
        return " ".join(
            (self.rng.choice(SURNAMES), self.rng.choice(MIDDLE), self.rng.choice(GIVEN))
        )
