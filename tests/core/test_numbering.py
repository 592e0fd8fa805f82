"""索引号 (index numbers) and public tracking codes: format, sequences, typo detection, concurrency."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import numbering
from gongkai.core.models import NumberSequence

UNIT = "11331124MB1234567X"
CODE_RE = re.compile(r"^(?:[A-Z0-9]+-)?[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


# --- index numbers ----------------------------------------------------------------


@pytest.mark.django_db
def test_index_numbers_are_sequential_per_unit_category_year():
    with transaction.atomic():
        a1 = numbering.index_number(unit_code=UNIT, category="A01", year=2026)
        a2 = numbering.index_number(unit_code=UNIT, category="A01", year=2026)
        b1 = numbering.index_number(unit_code=UNIT, category="B02", year=2026)
        a_next_year = numbering.index_number(unit_code=UNIT, category="A01", year=2027)
        other_unit = numbering.index_number(unit_code="12331124MB7654321Y", category="A01", year=2026)
    assert a1 == f"{UNIT}-A01-2026-00001"
    assert a2 == f"{UNIT}-A01-2026-00002"
    assert b1.endswith("-B02-2026-00001")
    assert a_next_year.endswith("-A01-2027-00001")
    assert other_unit.endswith("-A01-2026-00001")


@pytest.mark.django_db
@override_settings(GONGKAI_INDEX_NUMBER_FORMAT="{unit_code}/{year}-{category}-{seq:04d}")
def test_index_number_format_is_configurable():
    with transaction.atomic():
        assert numbering.index_number(unit_code="SY", category="C03", year=2026) == "SY/2026-C03-0001"
        assert numbering.index_number(unit_code="SY", category="C03", year=2026, fmt="{seq}") == "2"


@pytest.mark.django_db
def test_rolled_back_allocation_gives_the_number_back():
    try:
        with transaction.atomic():
            numbering.index_number(unit_code=UNIT, category="A01", year=2026)
            raise RuntimeError("publication failed")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert numbering.index_number(unit_code=UNIT, category="A01", year=2026).endswith("-00001")


def test_next_value_requires_a_transaction(db):
    conn = transaction.get_connection()
    saved = conn.in_atomic_block
    conn.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError):
            numbering.next_value("x")
    finally:
        conn.in_atomic_block = saved


# --- tracking codes -----------------------------------------------------------------

prefixes = st.sampled_from(["", "YS", "ZX", "GK"])


@settings(max_examples=200)
@given(prefix=prefixes)
def test_tracking_codes_are_wellformed(prefix):
    code = numbering.tracking_code(prefix)
    assert CODE_RE.match(code), code
    assert code.startswith(f"{prefix}-") if prefix else code[4] == "-"
    assert numbering.tracking_code_is_wellformed(code)
    assert numbering.tracking_code_is_wellformed(code, prefix=prefix)
    assert numbering.normalise_tracking_code(code) == code


@settings(max_examples=150)
@given(prefix=prefixes, data=st.data())
def test_check_character_catches_every_single_character_typo(prefix, data):
    code = numbering.tracking_code(prefix)
    body_positions = [i for i, c in enumerate(code) if c != "-"][-12:]
    pos = data.draw(st.sampled_from(body_positions))
    replacement = data.draw(st.sampled_from([c for c in numbering.ALPHABET if c != code[pos]]))
    typo = code[:pos] + replacement + code[pos + 1 :]
    assert not numbering.tracking_code_is_wellformed(typo), (code, typo)


def test_check_character_catches_all_single_substitutions_exhaustively():
    code = numbering.tracking_code("YS")
    body = [i for i, c in enumerate(code) if c != "-"][-12:]
    for pos in body:
        for c in numbering.ALPHABET:
            if c != code[pos]:
                assert not numbering.tracking_code_is_wellformed(code[:pos] + c + code[pos + 1 :])


@settings(max_examples=150)
@given(data=st.data())
def test_check_character_catches_adjacent_swaps(data):
    code = numbering.tracking_code()
    body = code.replace("-", "")
    i = data.draw(st.integers(0, 10))
    if body[i] == body[i + 1]:
        return
    swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
    assert not numbering.tracking_code_is_wellformed(swapped)


@settings(max_examples=200)
@given(
    prefix=prefixes,
    lower=st.booleans(),
    dashes=st.sampled_from(["keep", "none", "spaces", "fullwidth"]),
)
def test_normalise_handles_case_dashes_and_lookalikes(prefix, lower, dashes):
    code = numbering.tracking_code(prefix)
    typed = code.lower() if lower else code
    if dashes == "none":
        typed = typed.replace("-", "")
    elif dashes == "spaces":
        typed = " " + typed.replace("-", " ") + " "
    elif dashes == "fullwidth":
        typed = typed.replace("-", "－")
    # People read 0 as the letter O and 1 as I or L.
    typed = typed[:-12] + typed[-12:].replace("0", "O").replace("1", "l") if dashes == "none" else typed
    assert numbering.normalise_tracking_code(typed) == code
    assert numbering.tracking_code_is_wellformed(typed)


def test_lookalikes_example():
    code = "YS-" + "7KQ4-M9XD-2PH"
    code += numbering._check_char(code[3:].replace("-", "")[:11])
    assert numbering.normalise_tracking_code("ys 7kq4 m9xd 2ph" + code[-1].lower()) == code
    zero = "0000-0000-000"
    zero += numbering._check_char("00000000000")
    assert numbering.normalise_tracking_code("oooo-OOOO-ooo" + zero[-1]) == zero


@pytest.mark.parametrize(
    "bad", ["", "YS", "YS-1234", "YS-7KQ4-M9XD-2PHA-XXXX-YYYY!", "你好-7KQ4-M9XD-2PHA", "UUUU-UUUU-UUUU"]
)
def test_malformed_codes_rejected(bad):
    assert not numbering.tracking_code_is_wellformed(bad)


def test_wrong_prefix_rejected():
    code = numbering.tracking_code("YS")
    assert not numbering.tracking_code_is_wellformed(code, prefix="ZX")


def test_codes_are_not_guessable():
    codes = {numbering.tracking_code() for _ in range(5000)}
    assert len(codes) == 5000
    # Every character position uses the whole alphabet (no counters or timestamps inside).
    for pos in [0, 5, 10]:
        assert len({c[pos] for c in codes}) == len(numbering.ALPHABET)


@pytest.mark.django_db
def test_create_with_tracking_code_retries_on_collision(monkeypatch):
    taken = numbering.tracking_code("YS")
    NumberSequence.objects.create(scope=f"tracking:{taken}")
    fresh = numbering.tracking_code("YS")
    codes = iter([taken, fresh])
    monkeypatch.setattr(numbering, "tracking_code", lambda prefix="": next(codes))
    with transaction.atomic():
        row = numbering.create_with_tracking_code(
            lambda c: NumberSequence.objects.create(scope=f"tracking:{c}"), prefix="YS"
        )
    assert row.scope == f"tracking:{fresh}"


@pytest.mark.django_db
def test_create_with_tracking_code_gives_up_after_attempts(monkeypatch):
    taken = numbering.tracking_code()
    NumberSequence.objects.create(scope=f"tracking:{taken}")
    monkeypatch.setattr(numbering, "tracking_code", lambda prefix="": taken)
    with pytest.raises(IntegrityError), transaction.atomic():
        numbering.create_with_tracking_code(lambda c: NumberSequence.objects.create(scope=f"tracking:{c}"), attempts=3)


# --- PostgreSQL: parallel writers ---------------------------------------------------------------


def _parallel(worker, threads=8):
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def run(n):
        try:
            barrier.wait()
            worker(n)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_index_numbers_and_tracking_codes_are_unique():
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL")
    per_thread = 25
    numbers: list[str] = []
    codes: list[str] = []
    lock = threading.Lock()

    def worker(n):
        for i in range(per_thread):
            with transaction.atomic():
                # Two categories interleaved, the first allocation of each scope is contended too.
                category = "A01" if i % 2 else "B02"
                number = numbering.index_number(unit_code=UNIT, category=category, year=2026)
                row = numbering.create_with_tracking_code(
                    lambda c: NumberSequence.objects.create(scope=f"tracking:{c}"), prefix="YS"
                )
            with lock:
                numbers.append(number)
                codes.append(row.scope.removeprefix("tracking:"))

    _parallel(worker)
    total = 8 * per_thread
    assert len(numbers) == len(set(numbers)) == total
    assert len(codes) == len(set(codes)) == total
    for category in ["A01", "B02"]:
        seqs = sorted(int(x.rsplit("-", 1)[1]) for x in numbers if f"-{category}-" in x)
        assert seqs == list(range(1, len(seqs) + 1))  # gap-free as well as unique
    assert NumberSequence.objects.filter(scope__startswith="tracking:YS-").count() == total


@pytest.mark.django_db
def test_block_reservation_shares_the_single_number_sequence():
    core_numbering = numbering
    with transaction.atomic():
        first = core_numbering.index_number(unit_code="U1", category="TZ", year=2026)
        block = core_numbering.index_numbers(unit_code="U1", category="TZ", year=2026, count=3)
        after = core_numbering.index_number(unit_code="U1", category="TZ", year=2026)
    assert first.endswith("-00001")
    assert [b[-5:] for b in block] == ["00002", "00003", "00004"]
    assert after.endswith("-00005")
    assert core_numbering.index_numbers(unit_code="U1", category="TZ", year=2026, count=0) == []
