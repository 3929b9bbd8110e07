"""The CLI's result cache: one index file per working directory, so a warm run reads one
file and stats the checked ones instead of opening and hashing an entry per file.

The index holds, for every file an entry depends on (the checked file itself, the project
modules it reaches, the project listing of a whole-project search), its sha256 and the
`(size, mtime_ns, inode)` it had when hashed, and for every checked file its report with
the digest and project roots it was made with. A file whose stat is the recorded one is not
read again (as ruff's cache does); one modified too recently to trust its mtime is recorded
without a stat, so it is hashed next time. Most files of the table do not exist (the module
paths an import could have meant): such a file is recorded in a table by directory, with
the stat of its nearest existing directory, which changes when an entry is added to it, so
a warm run stats a few hundred directories and looks at none of tens of thousands of
missing files.

Every entry of an index is valid against the index's own file table: a write drops the
entries that depend on a file whose digest changed. So when no file of the table changed,
every entry holds without looking at what it depends on; the entries' dependency lists,
large, are kept in a second file read only when something changed. Both are written
atomically (dependencies first), tagged with one generation, and each carries a checksum of
its body: a truncated, corrupted or mismatched file is a miss, never a wrong answer. Two
runs at once each write a consistent snapshot; the last one wins.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import stat as stat_kinds
import sys
import time
import zlib
from array import array
from itertools import accumulate, filterfalse
from operator import itemgetter, sub
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional, TypeVar, Union

from .atomic import write_atomically
from .cache import FORMAT, ProjectRoots, _hash, config_digest, tool_fingerprint, \
    usable_directory, warn
from .config import Config
from .project import ABSENT, PROJECT_FILES, SESSION, application_files_digest, file_digest, \
    resolved_name

T = TypeVar("T")
# A file modified this recently may be modified again within its mtime's granularity
# without the stat changing: its digest is recorded, its stat is not.
RACY_NS = 2_000_000_000
# Temporary files a killed run left behind are removed once they are this old.
STALE_TEMPORARY_S = 3600
NO_STAT = (None, None, None)
# What `MissingFiles._directory` says of a path that settles nothing: a symbolic link (what it
# points to can appear without its directory changing) or a directory changed too recently.
UNSETTLED = ()
# How many of the sets written before it a dependency set may be written as a difference from.
DIFFERENCE_BASES = 8


class IndexedCache:
    def __init__(self, directory: Path, config: Config, kind: str):
        self.directory = directory
        cwd = os.getcwd()
        self.header = {"format": FORMAT, "kind": kind, "tool": tool_fingerprint(),
                       "options": config_digest(config), "cwd": cwd}
        stem = f"{kind}-{_hash([FORMAT, kind, cwd])[:16]}"
        self.index_path = directory / f"{stem}.index"
        self.dependencies_path = directory / f"{stem}.dependencies"
        self.hits = self.misses = self.written = 0
        self._roots = ProjectRoots(config.source_roots)
        self._generation, body = self._read(self.index_path, None)
        # path → [size, mtime, ino, sha]; path → [sha, roots, stored]
        self._files: dict[str, list] = _well_formed(body.get("files"), 4, _is_file_record)
        self._entries: dict[str, list] = _well_formed(body.get("entries"), 3, _is_entry)
        self._now: dict[str, tuple] = {}  # path → (stat, sha) as this run sees it
        self._missing = MissingFiles(body.get("absent"))
        self._changed: Optional[frozenset] = None
        self._dependencies: Optional[dict[str, array]] = None
        # path → (sha, roots, stored, the sha256 of its dependency set in `_interned`)
        self._fresh: dict[str, tuple] = {}
        self._numbers: dict[str, int] = {}  # dependency path → its number in _paths
        self._paths: list[str] = []
        # Files of one package share dependencies: one copy of each set, compressed (see
        # `compressed`), by its sha256 (the set itself as the key doubled the memory).
        self._interned: dict[bytes, bytes] = {}
        self._agreed: set[tuple[str, str]] = set()  # (path, sha) pairs that are current

    @classmethod
    def open(cls, directory: str, config: Config, kind: str) -> Optional["IndexedCache"]:
        path = usable_directory(directory)
        return cls(path, config, kind) if path is not None else None

    # ----- reading -----------------------------------------------------------------------

    def _read(self, path: Path, generation: Optional[str]) -> tuple[Optional[str], dict]:
        """(generation, body) of one of the two files; (None, {}) unless it is whole, of
        this tool, configuration and working directory, and (when given) of `generation`."""
        try:
            with open(path, "rb") as stream:
                header = json.loads(stream.readline())
                body = stream.read()
            if {k: header.get(k) for k in self.header} != self.header or \
                    header.get("checksum") != hashlib.sha256(body).hexdigest() or \
                    (generation is not None and header.get("generation") != generation):
                return None, {}
            data = json.loads(body)
            if not isinstance(data, dict):
                return None, {}
            return header.get("generation"), data
        except (OSError, ValueError, AttributeError):  # missing, unreadable, not ours
            return None, {}

    def load(self, path: Path, decode: Callable[[Any], T]) -> Optional[T]:
        """What `decode` makes of the report stored for a file, if its entry still holds
        (one `decode` rejects by raising is a miss)."""
        stored = self._load(path, decode)
        if stored is None:
            self.misses += 1
        else:
            self.hits += 1
        return stored

    def _load(self, path: Path, decode: Callable[[Any], T]) -> Optional[T]:
        try:
            name = resolved_name(path)
            digest, roots, stored = self._entries[name]
            if roots != self._roots.of(name) or self._current(name) != digest or \
                    self._depends_on_a_change(name):
                return None
            return decode(json.loads(stored))
        except (KeyError, TypeError, ValueError, AttributeError, OSError, RuntimeError):
            return None

    def _current(self, name: str) -> str:
        """The file's sha256 now, without reading it when its stat is the recorded one."""
        if name not in self._now:
            self._now[name] = self._look(name)
        return self._now[name][1]

    def _look(self, name: str) -> tuple:
        if name.startswith(PROJECT_FILES):
            return NO_STAT, application_files_digest(name[len(PROJECT_FILES):])
        if SESSION.overlay:  # `fix` analyses edited content it has not written yet
            return NO_STAT, file_digest(Path(name), SESSION.overlay)
        known = self._files.get(name)
        try:
            stat = os.stat(name)
        except OSError:
            return self._missing.stamp(name), ABSENT
        seen = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        if known is not None and tuple(known[:3]) == seen and known[3]:
            return seen, known[3]
        racy = time.time_ns() - stat.st_mtime_ns < RACY_NS
        return (NO_STAT if racy else seen), file_digest(Path(name), SESSION.overlay)

    def _depends_on_a_change(self, name: str) -> bool:
        changed = self._changed_numbers()
        if not changed:
            return False
        dependencies = self._recorded_dependencies()
        return name not in dependencies or not changed.isdisjoint(dependencies[name])

    def _changed_numbers(self) -> frozenset:
        """The numbers of the files of the table whose content is not the recorded one."""
        if self._changed is None:
            changed = [name for name, known in self._files.items()
                       if self._current(name) != known[3]]
            changed += [name for name in self._missing.unsettled() if self._current(name) != ABSENT]
            self._changed = frozenset(map(self._number, changed))
        return self._changed

    def _recorded_dependencies(self) -> dict[str, array]:
        """Each entry's dependencies (numbers, see `_number`), from the second file; {}
        when it is not the index's."""
        if self._dependencies is None:
            self._dependencies = {}
            if self._generation is not None:
                _, body = self._read(self.dependencies_path, self._generation)
                try:
                    numbers = array("I", map(self._number, body.get("paths", [])))
                    sets = [array("I", sorted(map(numbers.__getitem__, members)))
                            for members in decoded_sets(body["sets"])]
                    self._dependencies = {name: sets[index]
                                          for name, index in body["entries"].items()}
                except (KeyError, TypeError, IndexError, AttributeError, ValueError):
                    pass
        return self._dependencies

    # ----- writing -----------------------------------------------------------------------

    def store(self, path: Path, digest: str, stored: Callable[[], Any],
              dependencies: list) -> None:
        """Record a fresh report made from content of `digest`, which may depend on the
        `dependencies`, (path, sha256) pairs; written by `save`, which calls `stored` for
        the report's JSON data."""
        name = resolved_name(path)
        # Set operations, not a loop: the files of a package share most of a thousand
        # dependencies, and each pair is compared with the file as it is now only once.
        unverified = set(dependencies) - self._agreed
        if self._current(name) != digest or \
                any(self._current(dep) != sha for dep, sha in unverified):
            return  # changed while it was analysed
        self._agreed |= unverified
        names = list(map(itemgetter(0), dependencies))
        for dep in filterfalse(self._numbers.__contains__, names):  # in order: same files
            self._number(dep)
        numbers = array("I", sorted(map(self._numbers.__getitem__, names)))
        key = hashlib.sha256(numbers).digest()
        if key not in self._interned:
            self._interned[key] = compressed(numbers)
        # Encoded when written, from the report its caller holds anyway: the texts of a
        # run's reports took 200 MB on the synthetic 1M-line app.
        self._fresh[name] = (digest, self._roots.of(name), stored, key)
        self.written += 1

    def _number(self, path: str) -> int:
        if path not in self._numbers:
            self._numbers[path] = len(self._paths)
            self._paths.append(path)
        return self._numbers[path]

    def save(self) -> None:
        """Write the index if this run learnt anything: the fresh entries, and the old ones
        that still hold against the files as they are now."""
        changed = self._changed_numbers()
        if not self._fresh and not changed:
            if self._generation is not None and (self._missing.restamped() or any(
                    tuple(self._files[n][:3]) != stat for n, (stat, _) in self._now.items()
                    if n in self._files)):
                self._restat()
            return
        old = self._recorded_dependencies()
        entries: dict[str, list] = {}
        set_of: dict[str, bytes] = {}  # entry → the sha256 of its dependency set
        # The distinct sets by sha256 (their own bytes as keys were 20 MB on the corpus):
        # read back as arrays, or this run's, compressed (expanded one at a time below).
        sets: dict[bytes, Union[array, bytes]] = {}
        for name, (digest, roots, stored) in self._entries.items():
            if name in self._fresh or name not in old or self._current(name) != digest or \
                    not changed.isdisjoint(old[name]):
                continue
            entries[name] = [digest, roots, stored]
            set_of[name] = hashlib.sha256(old[name]).digest()
            sets.setdefault(set_of[name], old[name])
        for name, (digest, roots, stored, key) in self._fresh.items():
            entries[name], set_of[name] = [digest, roots, stored], key
            sets.setdefault(key, self._interned[key])
        used_numbers: set[int] = set()
        for numbers in map(expanded_numbers, sets.values()):
            used_numbers.update(numbers)
        used = sorted(used_numbers)
        renumbered = {number: index for index, number in enumerate(used)}
        files = self._tables({*entries, *(self._paths[n] for n in used)})
        index_of = {key: index for index, key in enumerate(sets)}
        generation = secrets.token_hex(8)
        self._write_all((self.dependencies_path, generation, {
                            "paths": [self._paths[n] for n in used],
                            "sets": encoded_sets(map(expanded_numbers, sets.values()),
                                                 renumbered),
                            "entries": {name: index_of[key] for name, key in set_of.items()}}),
                        (self.index_path, generation, {**files, "entries": entries}))
        self._remove_stale_temporaries()

    def _restat(self) -> None:
        """Only stats changed (a file touched, or one too recent to trust before): every
        entry and dependency set still holds, so the index is written again with the new
        stats and its generation, and the dependency lists are neither read nor written."""
        files = self._tables({*self._files, *self._missing.recorded_names()})
        self._write_all((self.index_path, self._generation,
                         {**files, "entries": self._entries}))

    def _tables(self, names: set) -> dict:
        """The index's two tables of files: `files`, name → [size, mtime_ns, inode,
        sha256] as this run saw it, and `absent`, the missing ones by vouching directory
        (see MissingFiles.table)."""
        files: dict[str, list] = {}
        absent: dict[str, tuple] = {}
        for name in names:
            # Not looked at: a missing file its recorded directory still vouches for.
            stat, sha = self._now.get(name) or self._missing.vouched(name)
            if sha == ABSENT and isinstance(stat[0], int) and stat[0] < 0:
                absent[name] = stat
            else:
                files[name] = [*stat, sha]
        return {"files": files, "absent": self._missing.table(absent)}

    def _write_all(self, *files: tuple[Path, str, dict]) -> None:
        """Write (path, generation, body) in order; the first that fails ends it, with a
        warning."""
        try:
            for path, generation, body in files:
                _write_file(path, {**self.header, "generation": generation}, body)
        except OSError as error:
            warn(f"cannot write to cache directory {self.directory}: "
                 f"{error.strerror or error}; results of this run are not cached")

    def _remove_stale_temporaries(self) -> None:
        """What a run killed mid-write left (see atomic.write_atomically)."""
        try:
            with os.scandir(self.directory) as listing:
                for entry in listing:
                    if entry.name.startswith(".asr-") and entry.name.endswith(".tmp") and \
                            time.time() - entry.stat().st_mtime > STALE_TEMPORARY_S:
                        os.unlink(entry.path)
        except OSError:
            pass

    def stats(self) -> str:
        return f"cache: {self.hits} hits, {self.misses} misses, {self.written} written"


class MissingFiles:
    """Stamps that vouch for files that do not exist: a file is recorded with the stat of
    its nearest existing directory, which changes when an entry is added to it. The index
    holds them by directory, so a warm run compares a few hundred directories' stats and
    looks at no missing file.

    The table, as written: directory → [mtime_ns, ctime_ns, [the paths below it]]."""

    def __init__(self, table):
        self._stamps: dict[str, Optional[tuple]] = {}  # directory → see _directory
        self._groups: dict[str, list] = _well_formed(table, 3, _is_absent_group)
        # The recorded files, split once by whether their directory is unchanged: those it
        # still vouches for, with their recorded stat, and the others.
        self._split: Optional[tuple[dict[str, tuple], list[str]]] = None

    def unsettled(self) -> list[str]:
        """The recorded missing files whose directory changed since: each may exist now."""
        return self._recorded()[1]

    def restamped(self) -> bool:
        """Whether a recorded directory has a new stat (the index is written again)."""
        return bool(self._recorded()[1])

    def recorded_names(self) -> list[str]:
        settled, unsettled = self._recorded()
        return [*settled, *unsettled]

    def vouched(self, name: str) -> tuple:
        """(stat, ABSENT) of a missing file whose recorded directory is unchanged."""
        return self._recorded()[0][name], ABSENT

    def _recorded(self) -> tuple[dict[str, tuple], list[str]]:
        if self._split is None:
            settled: dict[str, tuple] = {}
            unsettled: list[str] = []
            for directory, (mtime, ctime, paths) in self._groups.items():
                names = [directory + os.sep + below for below in paths]
                if self._directory(directory) == (mtime, ctime):
                    settled.update((name, (-(below.count(os.sep) + 1), mtime, ctime))
                                   for name, below in zip(names, paths))
                else:
                    unsettled += names
            self._split = settled, unsettled
        return self._split

    @staticmethod
    def table(stamped: dict[str, tuple]) -> dict[str, list]:
        """The table of missing files, from the `(-levels, mtime_ns, ctime_ns)` each was
        recorded with."""
        table: dict[str, list] = {}
        for name, (levels, mtime, ctime) in sorted(stamped.items()):
            directory = name.rsplit(os.sep, -levels)[0]
            table.setdefault(directory, [mtime, ctime, []])[2].append(name[len(directory) + 1:])
        return table

    def stamp(self, name: str) -> tuple:
        """The stat to record for a file that does not exist: `(-levels, mtime_ns,
        ctime_ns)` of its nearest existing directory, `levels` above it. That directory
        unchanged, no entry on the way to the file was added, so it is still missing."""
        levels = 1
        while True:
            stamp = self._stamp_at(name, levels)
            if stamp is UNSETTLED:
                return NO_STAT
            if stamp is not None:
                break
            levels += 1
        if os.path.lexists(name):  # created before the directory's stat was taken
            return NO_STAT
        return stamp

    def _stamp_at(self, name: str, levels: int) -> Optional[tuple]:
        """`(-levels, *stamp)` of the directory `levels` above a file; None to look higher
        up, UNSETTLED when no directory up to the top level vouches for it."""
        parts = name.rsplit(os.sep, levels)  # not os.path.dirname: 24k files, 90k calls
        if len(parts) <= levels or not parts[0]:
            return UNSETTLED
        stamp = self._directory(parts[0])
        return (-levels, *stamp) if stamp else stamp

    def _directory(self, name: str) -> Optional[tuple]:
        """(mtime_ns, ctime_ns) of a directory, taken once per run; None for a path that is
        missing or a regular file (look higher up), UNSETTLED when it cannot vouch for what
        is below it."""
        if name not in self._stamps:
            try:
                stat = os.lstat(name)
            except OSError:
                self._stamps[name] = None
            else:
                if stat_kinds.S_ISDIR(stat.st_mode):
                    newest = max(stat.st_mtime_ns, stat.st_ctime_ns)
                    racy = time.time_ns() - newest < RACY_NS
                    self._stamps[name] = UNSETTLED if racy else \
                        (stat.st_mtime_ns, stat.st_ctime_ns)
                else:
                    self._stamps[name] = None if stat_kinds.S_ISREG(stat.st_mode) else UNSETTLED
        return self._stamps[name]


def _write_file(path: Path, header: dict, body: dict) -> None:
    """The header line, then the body a value at a time (see `_encoded`); the header's
    checksum is written last, over a placeholder of the same length."""
    def header_line(checksum: str) -> bytes:
        return json.dumps({**header, "checksum": checksum}).encode() + b"\n"

    def write(stream: BinaryIO) -> None:
        stream.write(header_line("0" * 64))
        checksum = hashlib.sha256()
        for chunk in _encoded(body):
            checksum.update(chunk)
            stream.write(chunk)
        stream.seek(0)
        stream.write(header_line(checksum.hexdigest()))
    write_atomically(path, write)


def _encoded(body: dict) -> Iterator[bytes]:
    """The body as compact JSON, in pieces: a value at a time, an item at a time for the
    tables (`files`, `entries`, ...). A fresh entry's report is encoded here (see
    `store`)."""
    def dumps(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), default=_report_text) \
            .encode("utf-8", "surrogatepass")

    opening = b"{"
    for key, value in body.items():
        yield opening + dumps(key) + b":"
        opening = b","
        if not isinstance(value, dict) or not value:
            yield dumps(value)
            continue
        item_opening = b"{"
        for name, item in value.items():
            yield item_opening + dumps(name) + b":" + dumps(item)
            item_opening = b","
        yield b"}"
    yield b"{}" if opening == b"{" else b"}"


def _report_text(stored: Any) -> str:
    """A fresh entry's report, as the text an entry holds (decoded only when loaded)."""
    if not callable(stored):
        raise TypeError(f"{type(stored).__name__} is not JSON serializable")
    return json.dumps(stored(), separators=(",", ":"))


def encoded_sets(distinct: Iterable[array], renumbered: dict[int, int]) -> list[list]:
    """The dependency sets as written: each as `[base, added, removed]`, the difference
    from one of the few sets before it (`base`, its index; -1: none), numbers packed as
    text. The files of a package reach nearly the same modules: a million numbers are
    written as a few tens of thousands."""
    encoded: list[list] = []
    recent: list[tuple[int, set]] = []
    for index, numbers in enumerate(distinct):
        members = set(map(renumbered.__getitem__, numbers))
        base, added, removed = -1, members, set()
        for other_index, other in recent:
            # The difference is at least the difference in size: most sets are not compared.
            if abs(len(members) - len(other)) < len(added) + len(removed) and \
                    len(members ^ other) < len(added) + len(removed):
                base, added, removed = other_index, members - other, other - members
        encoded.append([base, pack_numbers(array("I", sorted(added))),
                        pack_numbers(array("I", sorted(removed)))])
        recent = [*recent[-(DIFFERENCE_BASES - 1):], (index, members)]
    return encoded


def decoded_sets(encoded: list) -> list[array]:
    """The sets `encoded_sets` wrote; raises ValueError (or TypeError, IndexError) for
    anything it did not write."""
    decoded: list[array] = []
    for base, added, removed in encoded:
        if not isinstance(base, int) or not -1 <= base < len(decoded):
            raise ValueError(f"no dependency set {base!r} to differ from")
        members = set(decoded[base]) if base != -1 else set()
        members.difference_update(unpack_numbers(removed))
        members.update(unpack_numbers(added))
        decoded.append(array("I", sorted(members)))
    return decoded


def compressed(numbers: array) -> bytes:
    """A sorted dependency set as a run holds it until the index is written: the gaps
    between its numbers, compressed (the corpus's sets were 20 MB of a cold audit's peak
    as arrays, under 1 MB so)."""
    gaps = array("I", numbers[:1])
    gaps.extend(map(sub, numbers[1:], numbers[:-1]))
    return zlib.compress(gaps.tobytes(), 1)


def expanded_numbers(numbers: Union[array, bytes]) -> array:
    """The set `compressed` made (an array is as it is)."""
    if isinstance(numbers, array):
        return numbers
    return array("I", accumulate(array("I", zlib.decompress(numbers))))


def pack_numbers(numbers: array) -> str:
    """A dependency set as text (base64 of its little-endian 32-bit numbers): a million
    numbers as JSON integers took a hundred megabytes to write."""
    if sys.byteorder == "big":
        numbers = array("I", numbers)
        numbers.byteswap()
    return base64.b64encode(numbers.tobytes()).decode("ascii")


def unpack_numbers(text: str) -> array:
    numbers = array("I", base64.b64decode(text, validate=True))
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def _well_formed(table, length: int, check: Callable[[list], bool]) -> dict:
    """The records of a table read back that have the shape this code writes."""
    if not isinstance(table, dict):
        return {}
    return {name: record for name, record in table.items()
            if isinstance(record, list) and len(record) == length and check(record)}


def _is_file_record(record: list) -> bool:
    return isinstance(record[3], str)


def _is_absent_group(record: list) -> bool:
    return isinstance(record[0], int) and isinstance(record[1], int) and \
        isinstance(record[2], list) and all(isinstance(path, str) for path in record[2])


def _is_entry(record: list) -> bool:
    return isinstance(record[0], str) and isinstance(record[1], list) and \
        isinstance(record[2], str)
