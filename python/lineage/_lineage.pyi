# Type stubs of the extension module (src/lib.rs, src/profile.rs). Option
# and sample keys are camelCase, as in the JS package and the report.
from typing import Any, Final, TypedDict, final

from typing_extensions import NotRequired

ERROR_CODES: Final[list[str]]
MAX_TEXT_BYTES: Final[int]
MAX_SOURCE_BYTES: Final[int]
MAX_TOTAL_BYTES: Final[int]

class LineageError(Exception):
    """An error of the core; ``code`` is one of ``ERROR_CODES``."""

    code: str
    message: str

class PassageOptions(TypedDict, total=False):
    """Defaults: minWords 20, k 10 (left out: at most minWords), maxBucket 64."""

    minWords: int | None
    k: int | None
    maxBucket: int | None

class PassageSide(TypedDict):
    start: int
    end: int
    char_start: int
    char_end: int

class Passage(TypedDict):
    a: PassageSide
    b: PassageSide
    words: int
    text: str

class Sample(TypedDict):
    source: str
    text: str
    promptId: NotRequired[str | int | float | None]
    prompt: NotRequired[str | None]

class Record(TypedDict):
    source: str
    text: str
    promptId: str | None
    prompt: str | None

class ProfileOptions(TypedDict, total=False):
    normalization: str | None
    stripZeroWidth: bool | None
    maxCharNgram: int | None
    mattrWindow: int | None
    topK: int | None
    maxTableEntries: int | None

# The report is the CLI's JSON document (README, "The command line");
# its keys are listed in docs and in the JS package's lineage.d.ts.
Report = dict[str, Any]
ProfileDict = dict[str, Any]

def sketch(text: str, options: PassageOptions | None = None) -> list[int]: ...
def candidate_pairs(
    entries: list[tuple[int, int]], max_bucket: int
) -> tuple[list[tuple[int, int]], int]: ...
def verify(text_a: str, text_b: str, options: PassageOptions | None = None) -> list[Passage]: ...
def parse_record(line: bytes | str, default_source: str | None = None) -> Record: ...
def profile(text: str, options: ProfileOptions | None = None) -> ProfileDict: ...
def analyze(samples: list[Sample] | list[Record], options: dict[str, Any]) -> Report: ...
def analysis_defaults() -> dict[str, Any]: ...
def passage_defaults() -> dict[str, int]: ...
def version() -> str: ...
def schema_version() -> int: ...
@final
class Profile:
    def __init__(self) -> None: ...
    @staticmethod
    def of_text(text: str, options: ProfileOptions | None = None) -> Profile: ...
    @staticmethod
    def of_texts(texts: list[str], options: ProfileOptions | None = None) -> Profile: ...
    @staticmethod
    def merge_all(profiles: list[Profile]) -> Profile: ...
    def merge(self, other: Profile) -> None: ...
    def to_dict(self) -> ProfileDict: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> Profile: ...
    @property
    def texts(self) -> int: ...
    @property
    def words(self) -> int: ...
