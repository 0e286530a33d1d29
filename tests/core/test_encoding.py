import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.encoding import SNIFF_BYTES, Utf8Input, wide_codec
from sheriff.core.render_json import report_to_json
from sheriff.core.triage import triage_bytes
from tests.conftest import read_shared


def _through(data: bytes, size: int) -> bytes:
    reader = Utf8Input()
    out = [reader.push(data[start : start + size]) for start in range(0, len(data), size)]
    return b"".join([*out, reader.flush()])


@pytest.mark.parametrize(
    ("encoded", "codec"),
    [
        ("x".encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + "x".encode("utf-16-be"), "utf-16"),
        ("\x00x".encode("utf-16"), "utf-16"),  # not UTF-32's byte order mark
        ("Build started\r\nerror".encode("utf-16-le"), "utf-16-le"),
        ("Build started\r\nerror".encode("utf-16-be"), "utf-16-be"),
        (b"Build started\r\nerror", None),
        (codecs.BOM_UTF8 + b"Build started", None),
        (b"\x00\x01" * 4, None),  # too short to tell
        (bytes(range(256)) * 4, None),  # binary noise
    ],
)
def test_the_start_of_a_log_tells_its_encoding(encoded: bytes, codec: str | None) -> None:
    assert wide_codec(encoded) == codec


@given(
    st.text(max_size=3000),
    st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]),
    st.integers(1, 5000),
)
def test_a_wide_log_reads_as_its_utf8_text_in_any_chunking(
    text: str, codec: str, size: int
) -> None:
    if codec.endswith(("-le", "-be")):  # no byte order mark: told by the NULs of ASCII text
        ascii_text = text.encode("ascii", "replace").decode().replace("\x00", "?")
        text = "PS C:\\build> dotnet test\r\n" + ascii_text
    out = _through(text.encode(codec), size)
    assert out == text.encode("utf-8", "replace")


@given(st.binary(max_size=3 * SNIFF_BYTES), st.integers(1, 5000))
def test_other_bytes_pass_through_untouched(data: bytes, size: int) -> None:
    if wide_codec(data) is not None:
        return  # what the first test covers
    assert _through(data, size) == data.removeprefix(codecs.BOM_UTF8)


def test_a_real_log_written_by_powershell_gives_the_same_report() -> None:
    # PowerShell 5's Out-File and `>` write UTF-16 with a byte order mark.
    text = read_shared("cidiff-breakages/breakages/commonslang_2089/fail.log").decode()
    as_utf8 = report_to_json(triage_bytes(text.encode("utf-8")))
    as_utf16 = report_to_json(triage_bytes(text.encode("utf-16")))
    assert as_utf8["failures"]
    assert as_utf16 == as_utf8
