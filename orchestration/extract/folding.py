"""Length-preserving text folding shared by the dictionary matcher and the seed builders.

Every function maps one character to exactly one ASCII character, so a character offset in the folded
text is the same character offset in the original text, and (the text being ASCII) equal to the byte
offset that Polars' Aho-Corasick functions return.
"""

import string
import unicodedata
from functools import cache

import polars as pl

_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "\u0060": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u00df": "s",
    "\u00e6": "a",
    "\u00c6": "A",
    "\u0153": "o",
    "\u0152": "O",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0142": "l",
    "\u0141": "L",
    "\u0111": "d",
    "\u0110": "D",
    "\u0131": "i",
}


@cache
def latin_fold_map() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sources, targets): accented Latin letters and typographic punctuation → one ASCII character."""
    mapping = dict(_PUNCTUATION)
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1]
        if char not in mapping and base.isascii() and base.isalpha():
            mapping[char] = base
    return tuple(mapping), tuple(mapping.values())


def ascii_fold(text: pl.Expr) -> pl.Expr:
    """Case-preserving ASCII fold: Gérard → Gerard, ’ → ', other letters → '_', other symbols → ' '.

    Control characters become spaces (the matcher uses \\x01 and \\x02 as span markers).
    """
    sources, targets = latin_fold_map()
    return (
        text.str.replace_many(list(sources), list(targets))
        .str.replace_all(r"[\p{L}\p{N}\p{M}&&[^\x00-\x7F]]", "_")
        .str.replace_all(r"[^\x00-\x7F]|[\x00-\x08\x0B\x0C\x0E-\x1F]", " ")
    )


def changed_by_ascii_fold(text: pl.Expr) -> pl.Expr:
    """True where `ascii_fold(text)` differs from `text`: any character outside printable ASCII, tab and
    line breaks, or a backtick. Most news sentences are plain ASCII and can skip the fold."""
    return text.str.contains(r"[^\x09\x0A\x0D\x20-\x5F\x61-\x7F]")


def key_of_ascii(ascii_text: pl.Expr) -> pl.Expr:
    """Matching key of ASCII-folded text: lower case, every character but [a-z0-9_] a space."""
    separators = [char for char in string.punctuation + "\t\n\r\x0b\x0c" if char != "_"]
    return ascii_text.str.to_lowercase().str.replace_many(separators, [" "] * len(separators))


def match_key(text: pl.Expr) -> pl.Expr:
    """Key used for case- and accent-insensitive matching (Al-Qaeda = al qaeda, Côte d’Ivoire =
    cote d ivoire): ASCII fold, lower case, punctuation as spaces; same length as `text`."""
    return key_of_ascii(ascii_fold(text))
