"""The project-wide search's word look-up (project/texts.py): a file holds a word when its
text holds it with the word's identifiers whole; files come in path order; forgotten
contents are read again for a new word."""
from __future__ import annotations

from pathlib import Path

from flake8_async_route.project.texts import ProjectTexts

FILES = {
    Path("a.py"): b"from x import *\nvalue = target(1)\n",
    Path("b.py"): b"app.state.pool = make()\nget(1)\n",
    Path("c.py"): b"def get_user():\n    return get (2)\n",
    Path("d.py"): "naïve = get(3)  # café\n".encode(),
}


def _texts(reads: list) -> ProjectTexts:
    def read() -> dict[Path, bytes]:
        reads.append(1)
        return dict(FILES)
    return ProjectTexts(read)


def test_identifiers_of_the_word_are_whole_in_the_file():
    texts = _texts([])
    assert texts.mentioning("get(") == (Path("b.py"), Path("d.py"))  # not a.py's target(
    assert texts.mentioning("get") == (Path("b.py"), Path("c.py"), Path("d.py"))
    assert texts.mentioning("def get") == (Path("c.py"),)  # the text holds it; so does `get`
    assert texts.mentioning("arget(") == ()
    assert texts.mentioning("naïve") == (Path("d.py"),)


def test_words_beyond_identifiers():
    texts = _texts([])
    assert texts.mentioning("import *") == (Path("a.py"),)
    assert texts.mentioning(".state.") == (Path("b.py"),)
    assert texts.mentioning("(") == tuple(FILES)  # no identifier: every file's text


def test_forgotten_contents_are_read_again_for_a_new_word_only():
    reads: list = []
    texts = _texts(reads)
    assert texts.mentioning("make(") == (Path("b.py"),)
    texts.forget()
    assert texts.mentioning("make(") == (Path("b.py"),)
    assert len(reads) == 1
    assert texts.mentioning("value") == (Path("a.py"),)
    assert len(reads) == 2
