"""Reading Java/Kotlin/Scala exceptions: messages, stack frames and what kind they are."""

from __future__ import annotations

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import Location
from sheriff.core.parsers.misc_family import line_at

FRAME = lazy_compile(
    r"^\s*(?:\[info\]\s+)?(?:at\s+)?(?P<cls>[\w$]+(?:[./][\w$]+)*)\.(?P<method>[\w$<>\-]+)"
    r"\s?\((?P<file>[\w$.\-]+\.(?:java|kt|kts|scala|groovy|clj)):(?P<line>\d+)\)"
)
# Lines that continue a stack trace rather than start a new block.
TRACE_LINE = lazy_compile(
    r"^\s*(?:\[info\]\s+)?(?:at |\.\.\. ?\d+ (?:more|common frames omitted)|\.\.\.$"
    r"|Caused by:|Suppressed:|\[\.\.\.\]|[\w$]+(?:[./][\w$]+)+\.[\w$<>\-]+\(.*\)$)"
)
_LIBRARY = lazy_compile(
    r"^(?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|org\.junit|junit|org\.opentest4j"
    r"|org\.apache\.maven|org\.gradle|org\.scalatest|org\.specs2|org\.hamcrest|org\.assertj"
    r"|org\.mockito|org\.testng|org\.codehaus|com\.google\.inject|org\.eclipse\.sisu"
    r"|worker\.org\.gradle|org\.spockframework|groovy|org\.codehaus\.groovy)[./]"
)
_CONFLICT = lazy_compile(
    r"NoSuchMethodError|NoClassDefFoundError|NoSuchFieldError|AbstractMethodError"
    r"|IncompatibleClassChangeError|LinkageError"
)
_TIMEOUT = lazy_compile(
    r"TimeoutException|TestTimedOutException|TimeoutError|timed out|[Tt]imeout of \d"
    r"|\btimeout\b(?! ?extension)"
)
_ASSERTION = lazy_compile(
    r"Assertion(?:Failed)?Error|ComparisonFailure|AssertionFailure|MultipleFailuresError"
    r"|expected:? ?<|expected \S.* but (?:was|got)|did not equal|was not (?:equal|greater|less)"
    r"|Expecting|should (?:have|be|equal)|Assert\.\w+|expect\(received\)|\bassert(?:ion)?\b"
    r"|Expected equality|evaluates to|Value of: |\bgot\b.*\bwant\b"
)


_ASSERTION_TYPE = lazy_compile(
    r"^\s*(?:[\w$]+[.\\])*(?:\w*Assert\w*|ComparisonFailure|ExpectationFailedException"
    r"|MultipleFailuresError)\b"
)
_EXCEPTION_TYPE = lazy_compile(r"^\s*(?:[\w$]+[.\\])*[A-Z]\w*(?:Error|Exception)\b")


def exception_sub_type(text: str) -> str:
    """``dependency_conflict``, ``timeout``, ``assertion`` or ``exception``.

    The exception's own type decides first; the message's wording only when it has none.
    """
    head = text[:400]
    first = head.split("\n", 1)[0]
    if _CONFLICT.search(head):
        return "dependency_conflict"
    if _TIMEOUT.search(head):
        return "timeout"
    if _ASSERTION_TYPE.search(first):
        return "assertion"
    if _EXCEPTION_TYPE.search(first):
        return "exception"
    if _ASSERTION.search(head):
        return "assertion"
    return "exception"


def frame_location(text: str) -> tuple[str, Location] | None:
    """The class a frame names and its source location (package path + file name)."""
    match = FRAME.search(text)
    if not match:
        return None
    owner = match.group("cls").replace("/", ".")
    if "." in owner.split("$")[0]:
        package = owner.rsplit(".", 1)[0]
        # Java-9 module frames look like "java.base/jdk.internal..." - keep the package.
        package = package.split("/")[-1]
        path = f"{package.replace('.', '/')}/{match.group('file')}"
    else:
        path = match.group("file")
    return owner, Location(path, int(match.group("line")))


def trace_locations(
    view: LogView, first: int, last: int, prefer: str | None = None, limit: int = 5
) -> tuple[Location, ...]:
    """Source locations of a stack trace: frames in ``prefer`` (the test class) first,
    then the project's own frames; library frames only when nothing else is there."""
    # Ordered sets (dicts): a long trace repeats frames, and list lookups grow with it.
    preferred: dict[Location, None] = {}
    own: dict[Location, None] = {}
    library: dict[Location, None] = {}
    for number in range(first, last + 1):
        text = line_at(view, number)
        found = frame_location(text) if text else None
        if found is None:
            continue
        owner, location = found
        if prefer and owner.split("$")[0] == prefer.split("$")[0]:
            bucket = preferred
        elif _LIBRARY.search(owner):
            bucket = library
        else:
            bucket = own
        bucket.setdefault(location)
    ordered = [*preferred, *own] or list(library)[:1]
    return tuple(dict.fromkeys(ordered))[:limit]


def qualified_class(view: LogView, first: int, last: int, simple: str) -> str:
    """``simple``, a class name as Gradle prints it, with the package that a frame of the
    stack trace in ``[first, last]`` gives it (Surefire names the class in full); as it
    is when no frame names that class."""
    if "." in simple:
        return simple
    for number in range(first, last + 1):
        text = line_at(view, number)
        found = frame_location(text) if text else None
        if found is None:
            continue
        owner = found[0].split("$")[0]
        if owner.rsplit(".", 1)[-1] == simple:
            return owner
    return simple


def message_end(view: LogView, start: int, limit: int = 12) -> int:
    """The last line of an exception message that starts at ``start`` (before the frames)."""
    last = start
    for number in range(start + 1, start + limit):
        text = line_at(view, number)
        if text is None or not text.strip() or TRACE_LINE.search(text):
            break
        last = number
    return last
