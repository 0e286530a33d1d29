from sheriff.core.diffing import PassingBaseline, diff_key


def test_a_line_differing_only_in_numbers_and_times_is_not_novel() -> None:
    baseline = PassingBaseline([b"2024-01-02 10:11:12 ran 12 tests in 3.5s"])
    assert not baseline.is_novel(b"2024-03-04 09:08:07 ran 12 tests in 4.1s")
    assert baseline.is_novel(b"2024-03-04 09:08:07 FAILED test_upload")


def test_a_bare_number_line_is_never_novel() -> None:
    # Chunk lengths of a streamed attachment (subunit) change with the content.
    baseline = PassingBaseline([b"tags: worker-0"])
    assert diff_key(b"15C") == diff_key(b"2C66") == diff_key(b"529")
    assert not baseline.is_novel(b"15C")
    assert not baseline.is_novel(b"  529  ")
    assert baseline.is_novel(b"CAFE")  # a word, not a number


def test_the_same_items_in_another_order_are_not_novel() -> None:
    # A dict printed in hash order (Python 2) shows its items in another order each run.
    baseline = PassingBaseline([b"Assigning request {'nodes': [], 'reuse': False, 'id': 7}"])
    assert not baseline.is_novel(b"Assigning request {'id': 8, 'nodes': [], 'reuse': False}")
    assert baseline.is_novel(b"Assigning request {'id': 8, 'nodes': [], 'reuse': True}")


def test_blank_lines_are_not_novel() -> None:
    assert not PassingBaseline([]).is_novel(b"   ")
