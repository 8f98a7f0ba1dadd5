"""The language models' text and batches as contracts: the vocabulary is the chapters' but sorted (the same in every
process), the chapters' zip is read as they read it, bad text is one `DatasetError` line, and the two samplers cut
batches as the chapters' `data_iter_random` and `data_iter_consecutive` do. No mxnet."""
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from compare.data.sequence_batches import (
    batches_per_epoch,
    consecutive_batches,
    minimum_length,
    random_batches,
    sampler,
)
from compare.data.text import CHAPTER_ZIP_CHARS, EMBEDDED_TEXT, load_corpus, read_chapter_zip, read_text
from compare.errors import DatasetError, UsageError

ROOT = Path(__file__).resolve().parents[1]
LYRICS = "想要有直升机\n想要和你飞到宇宙去\r\n想要和你融化在一起\n融化在宇宙里"


def _zip(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_the_vocabulary_is_sorted_and_the_same_under_every_hash_seed():
    """The chapters' list(set(chars)) follows PYTHONHASHSEED; ours is sorted, so two processes agree."""
    code = ("from compare.data.text import Vocabulary\n"
            f"print(repr(''.join(Vocabulary.of({LYRICS + 'the time machine'!r}).idx_to_char)))")
    seen = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
        process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
        assert process.returncode == 0, process.stderr
        seen.add(process.stdout.strip())
    assert seen == {repr("".join(sorted(set(LYRICS + "the time machine"))))}


def test_the_chapters_zip_is_read_as_the_chapter_reads_it(tmp_path):
    """zip -> its one .txt, UTF-8, each newline character a space, the first 10,000 characters by default."""
    long_text = LYRICS * 400  # over 10,000 characters
    path = _zip(tmp_path / "jaychou_lyrics.txt.zip", {"jaychou_lyrics.txt": long_text.encode("utf-8")})
    as_the_chapter = long_text.replace("\n", " ").replace("\r", " ")
    corpus = read_chapter_zip(path)
    assert corpus.text == as_the_chapter[:CHAPTER_ZIP_CHARS] and len(corpus) == 10_000
    assert read_chapter_zip(path, max_chars=12).text == as_the_chapter[:12]
    assert read_chapter_zip(path, max_chars=None).text == as_the_chapter
    assert load_corpus(path).text == corpus.text and load_corpus(path, max_chars=5).text == as_the_chapter[:5]
    assert "\r\n" in LYRICS and "  " in corpus.text  # \r\n becomes two spaces, as replace('\n').replace('\r') makes it


def test_a_corpus_holds_its_text_as_indices_of_its_sorted_vocabulary(tmp_path):
    path = tmp_path / "lyrics.txt"
    path.write_text(LYRICS, encoding="utf-8")
    corpus = read_text(path)
    assert corpus.vocabulary.idx_to_char == tuple(sorted(set(corpus.text)))
    assert corpus.indices.dtype == np.int32 and corpus.indices.shape == (len(corpus.text),)
    assert corpus.vocabulary.decode(corpus.indices) == corpus.text == LYRICS.replace("\n", " ").replace("\r", " ")
    assert corpus.vocabulary.char_to_idx[corpus.text[3]] == corpus.indices[3]
    with pytest.raises(UsageError, match="'x' is not in the text's vocabulary"):
        corpus.vocabulary.encode("x")


def test_the_embedded_default_is_the_time_machine_shipped_as_package_data():
    import compare.data

    assert EMBEDDED_TEXT.parent == Path(compare.data.__file__).parent  # beside the package as installed
    assert hashlib.sha256(EMBEDDED_TEXT.read_bytes()).hexdigest() == \
        "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516"
    corpus = load_corpus()
    assert len(corpus) == 178_979 and "\n" not in corpus.text and corpus.text.startswith("The Time Machine")
    assert len(load_corpus(max_chars=1000)) == 1000
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '[tool.setuptools.package-data]\n"compare.data" = ["timemachine.txt"]' in pyproject  # in the wheel


@pytest.mark.parametrize("case, expected", [
    ("empty", "empty, no text to learn from"),
    ("not-utf8", "not UTF-8 text (byte 0xff at offset 3)"),
    ("binary", "binary data, not text (a NUL character at offset 3)"),
    ("missing", "no such file"),
    ("folder", "a folder, not a text file"),
    ("zip-without-txt", "expected one .txt inside the zip, found 0"),
    ("zip-with-two", "expected one .txt inside the zip, found 2 (a.txt, b.txt)"),
    ("not-a-zip", "not a readable zip archive"),
    ("empty-in-zip", "empty, no text to learn from"),
])
def test_bad_text_is_one_dataset_error_line_naming_the_file(tmp_path, case, expected):
    paths = {
        "empty": tmp_path / "empty.txt", "not-utf8": tmp_path / "latin1.txt", "binary": tmp_path / "data.bin",
        "missing": tmp_path / "nowhere.txt", "folder": tmp_path, "not-a-zip": tmp_path / "fake.zip",
    }
    if case == "empty":
        paths[case].write_bytes(b"")
    elif case == "not-utf8":
        paths[case].write_bytes(b"abc\xff\xfe")
    elif case == "binary":
        paths[case].write_bytes(b"abc\x00def")
    elif case == "not-a-zip":
        paths[case].write_bytes(b"just text")
    elif case == "zip-without-txt":
        paths[case] = _zip(tmp_path / "none.zip", {"lyrics.md": b"text"})
    elif case == "zip-with-two":
        paths[case] = _zip(tmp_path / "two.zip", {"a.txt": b"one", "b.txt": b"two"})
    elif case == "empty-in-zip":
        paths[case] = _zip(tmp_path / "hollow.zip", {"jaychou_lyrics.txt": b""})
    with pytest.raises(DatasetError) as refused:
        load_corpus(paths[case])
    message = str(refused.value)
    assert expected in message and str(paths[case]) in message and "\n" not in message


@pytest.mark.parametrize("sampling", ["random", "consecutive"])
def test_a_text_too_short_for_one_batch_is_one_dataset_error_line(sampling):
    cut = sampler(sampling)
    shortest = minimum_length(3, 5, sampling)  # 16 for random, 18 for consecutive
    assert len(list(cut(np.arange(shortest), 3, 5, 0))) == 1
    with pytest.raises(DatasetError) as refused:
        cut(np.arange(shortest - 1), 3, 5, 0)  # refused at the call, before any batch is asked for
    assert str(refused.value) == (f"the text: {shortest - 1} characters, too few for one batch of 3 x 5 by "
                                  f"{sampling} sampling, which needs {shortest}")


def test_bad_sampling_arguments_are_usage_errors():
    with pytest.raises(UsageError, match="batch_size must be a positive integer, got 0"):
        random_batches(np.arange(100), 0, 5)
    with pytest.raises(UsageError, match="unknown sampling 'shuffled'; valid: random, consecutive"):
        sampler("shuffled")
    with pytest.raises(UsageError, match="flat sequence of character indices"):
        consecutive_batches(np.zeros((10, 10)), 2, 3)


def _chapters_sequences(corpus: np.ndarray, num_steps: int) -> list:
    """data_iter_random's candidates: the sequence starting at every multiple of num_steps, (len - 1) // num_steps."""
    return [tuple(corpus[j * num_steps:(j + 1) * num_steps]) for j in range((len(corpus) - 1) // num_steps)]


def test_random_sampling_cuts_the_chapters_sequences_in_a_seeded_order():
    corpus = np.arange(100, 200)  # an index is its position plus 100, so positions can be read off the batches
    batches = list(random_batches(corpus, 3, 5, rng=7))
    assert len(batches) == batches_per_epoch(100, 3, 5, "random") == (99 // 5) // 3 == 6
    rows = [tuple(row) for X, _ in batches for row in X]
    assert all(X.shape == Y.shape == (3, 5) for X, Y in batches)
    assert all(np.array_equal(Y, X + 1) for X, Y in batches)  # Y is X one character on
    assert len(set(rows)) == 18 and set(rows) <= set(_chapters_sequences(corpus, 5))  # 18 of the 19, none twice
    again = list(random_batches(corpus, 3, 5, rng=np.random.default_rng(7)))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(batches, again))  # the same seed, the same batches
    other = [tuple(row) for X, _ in random_batches(corpus, 3, 5, rng=8) for row in X]
    assert other != rows


def test_consecutive_sampling_continues_each_row_from_one_batch_to_the_next():
    """As the chapter's data_iter_consecutive on list(range(30)), batch 2, 6 steps: rows 0-14 and 15-29."""
    batches = list(consecutive_batches(list(range(30)), 2, 6))
    assert [X.tolist() for X, _ in batches] == [[[0, 1, 2, 3, 4, 5], [15, 16, 17, 18, 19, 20]],
                                                [[6, 7, 8, 9, 10, 11], [21, 22, 23, 24, 25, 26]]]
    assert all(np.array_equal(Y, X + 1) for X, Y in batches)
    corpus = np.arange(1000)
    batches = list(consecutive_batches(corpus, 4, 7, rng=1))
    assert len(batches) == batches_per_epoch(1000, 4, 7, "consecutive") == (250 - 1) // 7
    for (X, Y), (next_X, _) in zip(batches, batches[1:]):
        assert np.array_equal(next_X[:, 0], X[:, -1] + 1) and np.array_equal(next_X[:, 0], Y[:, -1])  # contiguous
    assert np.array_equal(np.concatenate([X for X, _ in batches], axis=1),
                          corpus[:1000].reshape(4, 250)[:, :len(batches) * 7])  # every row read in order, once
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(batches, consecutive_batches(corpus, 4, 7, rng=2)))
