"""Text for the character-level language models: reading it (UTF-8 text, or the chapters' `jaychou_lyrics.txt.zip`
as they read it), its vocabulary, and its characters as indices. Bad text is a `DatasetError` in one line.

The embedded default is H. G. Wells's *The Time Machine* (public domain), shipped beside this module as
`timemachine.txt`; the chapters' lyrics are not redistributed, but a copy of their zip reads as they read it.
No mxnet.
"""
from __future__ import annotations

import dataclasses
import functools
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Union

import numpy as np

from compare.errors import DatasetError, UsageError

EMBEDDED_TEXT = Path(__file__).with_name("timemachine.txt")
EMBEDDED_SOURCE = "The Time Machine, H. G. Wells (embedded)"
CHAPTER_ZIP_CHARS = 10_000  # the chapters keep the lyrics' first 10,000 characters
CHAPTER_PREFIXES = ("分开", "不分开")  # what the rnn chapters predict from in the lyrics
EMBEDDED_PREFIXES = ("The Time Traveller", "The Time Machine")  # both in the embedded text's first lines


@dataclass(frozen=True)
class Vocabulary:
    """The characters of a text by index, sorted by code point.

    The chapters build `idx_to_char = list(set(corpus_chars))`, whose order follows Python's string hashing, which
    is randomised per process (PYTHONHASHSEED): the same text is numbered differently in every run, and so are the
    rows of the output layer the initial weights fill. Sorted, a text has one numbering, in every process."""

    idx_to_char: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "Vocabulary":
        """The vocabulary of `text`: each character it uses, once, sorted."""
        return cls(tuple(sorted(set(text))))

    @functools.cached_property
    def char_to_idx(self) -> dict[str, int]:
        return {char: index for index, char in enumerate(self.idx_to_char)}

    def __len__(self) -> int:
        return len(self.idx_to_char)

    def encode(self, text: str) -> np.ndarray:
        """The indices (int32) of `text`'s characters; one outside the vocabulary is a UsageError naming it."""
        lookup = self.char_to_idx
        missing = next((char for char in text if char not in lookup), None)
        if missing is not None:
            raise UsageError(f"the character {missing!r} is not in the text's vocabulary")
        return np.fromiter((lookup[char] for char in text), dtype=np.int32, count=len(text))

    def decode(self, indices: Iterable[int]) -> str:
        """The characters of `indices`."""
        return "".join(self.idx_to_char[int(index)] for index in indices)


@dataclass(frozen=True)
class Corpus:
    """A text as a language model reads it: its characters, their vocabulary, their indices, where it came from."""

    text: str
    vocabulary: Vocabulary
    indices: np.ndarray  # (len(text),) int32
    source: str

    def __len__(self) -> int:
        return len(self.text)


def corpus_of(text: str, source: str) -> Corpus:
    """`text` as a corpus (its vocabulary and indices); empty text is a DatasetError."""
    if not text:
        raise DatasetError(f"{source}: empty, no text to learn from")
    vocabulary = Vocabulary.of(text)
    return Corpus(text, vocabulary, vocabulary.encode(text), source)


def as_the_chapters_read(text: str, max_chars: Optional[int]) -> str:
    """Newlines (\\n and \\r, each) turned into spaces, then the first `max_chars` characters (all where None)."""
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1):
        raise UsageError(f"max_chars must be a positive integer or None, got {max_chars!r}")
    return text.replace("\n", " ").replace("\r", " ")[:max_chars]


def decoded(data: bytes, source: str) -> str:
    """`data` as UTF-8 text; empty, undecodable or binary data (a NUL character) is a DatasetError."""
    if not data:
        raise DatasetError(f"{source}: empty, no text to learn from")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatasetError(f"{source}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start:,})") \
            from None
    nul = text.find("\x00")
    if nul >= 0:
        raise DatasetError(f"{source}: binary data, not text (a NUL character at offset {nul:,})")
    return text


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DatasetError(f"{path}: a folder, not a text file") from None
    except OSError as error:
        raise DatasetError(f"{path}: cannot be read ({error.strerror or error})") from None


def read_text(path: Union[str, Path], max_chars: Optional[int] = None) -> Corpus:
    """A UTF-8 text file read as the chapters read their lyrics: newlines as spaces, its first `max_chars`
    characters (all of it where None)."""
    path = Path(path)
    return corpus_of(as_the_chapters_read(decoded(_read_bytes(path), str(path)), max_chars), str(path))


def read_chapter_zip(path: Union[str, Path], max_chars: Optional[int] = CHAPTER_ZIP_CHARS) -> Corpus:
    """A zip holding one .txt (the chapters' `jaychou_lyrics.txt.zip`), read as the chapters read it: the .txt
    decoded as UTF-8, newlines as spaces, its first `max_chars` characters (the chapters' 10,000; None: all)."""
    path = Path(path)
    if not path.is_file():
        _read_bytes(path)  # the one-line error for a missing file or a folder
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist()
                     if name.endswith(".txt") and not name.startswith("__MACOSX/")]
            if len(names) != 1:
                found = f" ({', '.join(names)})" if names else ""
                raise DatasetError(f"{path}: expected one .txt inside the zip, found {len(names)}{found}")
            data = archive.read(names[0])
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise DatasetError(f"{path}: not a readable zip archive ({error})") from None
    except OSError as error:
        raise DatasetError(f"{path}: cannot be read ({error.strerror or error})") from None
    source = f"{path}:{names[0]}"
    return corpus_of(as_the_chapters_read(decoded(data, source), max_chars), source)


def load_corpus(path: Optional[Union[str, Path]] = None, max_chars: Optional[int] = None) -> Corpus:
    """The corpus a language model trains on: the embedded Time Machine unless `path` is given. A `.zip` is read as
    the chapters read their lyrics (its first 10,000 characters unless `max_chars` is given), any other file as
    UTF-8 text (all of it unless `max_chars` is given)."""
    if path is None:
        return dataclasses.replace(read_text(EMBEDDED_TEXT, max_chars), source=EMBEDDED_SOURCE)
    if str(path).endswith(".zip"):
        return read_chapter_zip(path, CHAPTER_ZIP_CHARS if max_chars is None else max_chars)
    return read_text(path, max_chars)


def default_prefixes(corpus: Corpus) -> tuple[str, ...]:
    """What the models predict from unless told: the embedded text's or the chapters' prefixes where the text holds
    them, else the text's first word (at most 20 characters)."""
    for prefixes in (EMBEDDED_PREFIXES, CHAPTER_PREFIXES):
        if all(prefix in corpus.text for prefix in prefixes):
            return prefixes
    words = corpus.text.split()
    return (words[0][:20],) if words else (corpus.text[:1],)
