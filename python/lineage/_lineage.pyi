# Type stubs of the extension module (src/lib.rs, src/profile.rs). Option
# and sample keys are camelCase, as in the JS package and the report.
from os import PathLike
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
    family: NotRequired[str | None]

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

# The report: the CLI's JSON document (docs/CLI.md), the same camelCase
# keys as the JS package's lineage.d.ts (derived there from the Rust
# types). tests/test_package.py checks these keys against a real report.
class AnalysisOptions(TypedDict):
    seed: int
    alpha: float
    bootstrapReps: int
    permutationReps: int
    mostFrequentWords: int
    delta: str
    maxCharNgram: int
    logOddsPrior: float
    classifierFolds: int
    overlapNgram: int
    minPaired: int
    signals: list[str]
    robustness: bool

class InputFile(TypedDict):
    name: str
    sha256: str
    samples: int
    malformedLines: int

class SourceSummary(TypedDict):
    name: str
    role: str
    family: str | None
    familyFrom: str | None
    samples: int
    medianWords: float
    meanWords: float

class Design(TypedDict):
    paired: bool
    sharedPrompts: int
    unit: str
    units: int

class CandidateScore(TypedDict):
    candidate: str
    score: float
    low: float
    high: float

class SignalResult(TypedDict):
    name: str
    description: str
    scores: list[CandidateScore]
    ranking: list[str]
    inCombined: bool
    evidence: list[dict[str, Any]]
    note: str | None

class RankEntry(TypedDict):
    candidate: str
    family: str
    score: float
    low: float
    high: float
    signalsFirst: int
    closestPValue: float
    inSet: bool

class Test(TypedDict):
    hypothesis: str
    method: str
    statistic: float
    pValue: float
    units: int
    positive: int
    negative: int

class Abstention(TypedDict):
    code: str
    message: str

class Power(TypedDict):
    goal: str
    effect: float
    units: int
    unitsNeeded: int | None
    message: str

class Verdict(TypedDict):
    headline: str
    kind: str
    level: str | None
    family: str | None
    tentative: bool
    specificity: dict[str, Any] | None
    attributed: list[str]
    closest: list[str]
    confidence: float
    top: str
    abstained: bool
    abstention: Abstention | None
    reason: str
    pValue: float | None
    effect: float | None
    ranking: list[RankEntry]
    agreeingSignals: int
    rankedSignals: int
    tests: list[Test]
    control: str | None
    separability: float | None
    power: Power | None
    robustness: dict[str, Any] | None

class Kinship(TypedDict):
    sources: list[str]
    similarity: list[list[float]]
    newick: str

class TextSpan(TypedDict):
    start: int
    end: int
    startUtf16: int
    endUtf16: int

class IdentityLeak(TypedDict):
    source: str
    promptId: str | None
    sentence: str
    claims: list[str]
    language: str
    span: TextSpan

class Warning(TypedDict):
    code: str
    message: str

class Report(TypedDict):
    schemaVersion: int
    lineageVersion: str
    seed: int
    parameters: AnalysisOptions
    inputs: list[InputFile]
    sources: list[SourceSummary]
    design: Design
    signals: list[SignalResult]
    verdict: Verdict
    kinship: Kinship
    identityLeaks: list[IdentityLeak]
    identityProbes: list[dict[str, Any]]
    warnings: list[Warning]

ProfileDict = dict[str, Any]

class SamplesFile(TypedDict):
    samples: list[Sample]
    warnings: list[str]

class Panel(TypedDict):
    header: dict[str, Any]
    samples: list[Sample]

def sketch(text: str, options: PassageOptions | None = None) -> list[int]: ...
def candidate_pairs(
    entries: list[tuple[int, int]], max_bucket: int
) -> tuple[list[tuple[int, int]], int]: ...
def verify(text_a: str, text_b: str, options: PassageOptions | None = None) -> list[Passage]: ...
def parse_record(line: bytes | str, default_source: str | None = None) -> Record: ...
def profile(text: str, options: ProfileOptions | None = None) -> ProfileDict: ...
def analyze(samples: list[Sample] | list[Record], options: dict[str, Any]) -> Report: ...
def analysis_defaults() -> AnalysisOptions: ...
def read_samples_file(path: str | PathLike[str], default_source: str | None = None) -> SamplesFile: ...
def read_panel(path: str | PathLike[str]) -> Panel: ...
def write_panel(path: str | PathLike[str], samples: list[Sample] | list[Record], options: dict[str, Any]) -> list[str]: ...
def report_markdown(report: Report) -> str: ...
def echoes_prompt(passage: str, prompt: str) -> bool: ...
def report_html(report: Report) -> str: ...
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
