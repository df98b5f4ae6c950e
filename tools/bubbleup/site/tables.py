"""The rows of the ranking tables (site/lists.py `ranking_table`) as the previous build
wrote them, so that a build after one vote makes the few rows that changed rather than
every row of every view.

The views list every idea and are made on every build; at 5,000 ideas their rows were
the largest part of a one-vote rebuild's views (the index and three rankings, 20,000
rows). A row is its position, the number its ranking ranks by, and the idea's cell: its
link, title and facts. The cell depends on the page (the link's address), the ranking
(which facts it shows), the day ("3 days ago") and the options, and otherwise only on
the idea's file and tally, for which the snapshot has a key (`Snapshot.keys`). So the
cache (`tables.pickle`) holds, for each page with a table, the size, modification time
and inode of the page as written (as site/ledger.py knows a page; hashing the pages
cost more than the rows it spared), where its rows are, the idea of each row and the
build that made them; and for each idea its key and the build since which it has it. A
row of the page on disk is taken again (its position and number written anew) when the
page is the one written, for the same ranking, day and options, and the idea's key has
not changed since the page was made; every other row is made. In a ranking whose
numbers follow from the keys and the day, the runs of rows at the start and at the end
that are the same rows in the same places are taken as one piece each (`Rows.ends`). A
missing, damaged, foreign or stale cache, or a page written since, gives no rows, and
the tables are the same with or without it (tests/test_tables.py). Entries that differ
from the file go to a journal beside it (`caches.Journaled`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import accumulate
from pathlib import Path

from bubbleup.core import caches
from bubbleup.site import ledger
from bubbleup.site.context import RIGHT

TABLES = "tables.pickle"
FORMAT = 1
JOURNAL_LIMIT = 500
"""How many entries may differ from the file, in its journal, before it is written whole."""

ROW = "<tr>\n"
BODY = "<tbody>\n"
BODY_END = "</tbody>\n"
CELL = "</strong></td>\n"
"""What ends a row's number: the idea's cell follows."""


class Tables:
    """The rows of the previous build's tables, and those of this build, for the next."""

    def __init__(self, path: Path | None, folder: Path, code: str, keys: Mapping[str, str]) -> None:
        self.folder = folder
        self.journaled = caches.Journaled(path, "tables", JOURNAL_LIMIT, format=FORMAT, code=code)
        self.known = self.journaled.read()
        last = self.known.get("#")
        self.generation = last + 1 if type(last) is int and last >= 0 else 0
        self.since: dict[str, int] = {}
        """By slug, the build since which its key is the one it has now."""
        self.keys: dict[str, list] = {}
        for slug, key in keys.items():
            found = self.known.get(f"k {slug}")
            if isinstance(found, list) and len(found) == 2 and found[0] == key and type(found[1]) is int:
                self.since[slug] = found[1]
                self.keys[slug] = found
            else:
                self.keys[slug] = [key, self.generation]
        self.made: dict[str, tuple[str, list[str], str]] = {}

    def rows(self, page: str, moment: str) -> Rows | None:
        """The rows of the page's table as the page on disk has them, if it is the page
        written for this ranking, day and options."""
        entry = self.known.get(f"p {page}")
        if not (isinstance(entry, list) and len(entry) == 6 and entry[3] == moment):
            return None
        stamp, start, end, _, generation, slugs = entry
        if not (type(start) is int and type(end) is int and type(generation) is int and isinstance(slugs, str)):
            return None
        path = self.folder / page
        try:
            if stamp != ledger.stamp(path):
                return None
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        region = text[start:end]
        pieces = region.split(ROW)
        names = slugs.split("\n")
        if pieces[0] or len(pieces) != len(names) + 1:
            return None
        return Rows(names, region, pieces, generation, self.since)

    def keep(self, page: str, table: str, slugs: list[str], moment: str) -> None:
        """A table just made for `page` (its rows: the ideas `slugs`)."""
        self.made[page] = (table, slugs, moment)

    def save(self, pages: Mapping[str, str], names: Collection[str]) -> None:
        """Keep the tables of the pages made (`pages`: their texts, written into the
        folder), those of the other pages still in the site (`names`) as they were, and
        the ideas' keys."""
        entries: dict[str, object] = {"#": self.generation}
        entries.update((f"k {slug}", found) for slug, found in self.keys.items())
        for page in names:
            old = self.known.get(f"p {page}")
            if page not in self.made and old is not None:
                entries[f"p {page}"] = old
        for page, (table, slugs, moment) in self.made.items():
            text = pages.get(page)
            where = text.find(table) if text is not None else -1
            stamp = ledger.stamp(self.folder / page)
            if where < 0 or stamp is None or any("\n" in slug for slug in slugs):
                continue
            start = where + table.index(BODY) + len(BODY)
            end = where + table.rindex(BODY_END)
            entries[f"p {page}"] = [stamp, start, end, moment, self.generation, "\n".join(slugs)]
        self.journaled.save(entries)


class Rows:
    """The rows of one table of the previous build: `region`, the text of its rows, is
    `pieces` each after `ROW`, the rows of the ideas `names`."""

    def __init__(self, names: list[str], region: str, pieces: list[str], generation: int, since: dict[str, int]):
        self.names, self.region, self.pieces = names, region, pieces
        self.generation, self.since = generation, since
        self.positions = dict(zip(names, range(1, len(pieces)), strict=True))

    def take(self, slug: str) -> tuple[int, str] | None:
        """The position and row (after `ROW`) of an idea whose key has not changed since the
        table was made."""
        position = self.positions.get(slug)
        if position is None or self.since.get(slug, self.generation + 1) > self.generation:
            return None
        return position, self.pieces[position]

    def ends(self, slugs: list[str]) -> tuple[int, int, str]:
        """How many rows at the start and at the end of a table of `slugs` are this table's
        rows in the same places (in a ranking whose numbers follow from the keys and the
        day), and the text of those at the start; `tail` gives those at the end. After
        one vote, the rows above and below the places its idea left and took."""
        names, since, generation = self.names, self.since, self.generation
        count = len(names)
        limit, head, tail = min(count, len(slugs)), 0, 0
        while head < limit and slugs[head] == names[head] and since.get(names[head], generation + 1) <= generation:
            head += 1
        while (
            len(slugs) == count
            and tail < count - head
            and slugs[count - 1 - tail] == names[count - 1 - tail]
            and since.get(names[count - 1 - tail], generation + 1) <= generation
        ):
            tail += 1
        self.offsets = [0, *accumulate(len(ROW) + len(piece) for piece in self.pieces[1:])]
        return head, tail, self.region[: self.offsets[head]]

    def tail(self, count: int) -> str:
        """The text of the last `count` rows (after `ends`)."""
        return self.region[self.offsets[len(self.offsets) - 1 - count] :]


def row(position: int, number: str, piece: str) -> str | None:
    """A row taken again (`piece`: as `Tables.rows` gives it) at `position` with `number`."""
    cell = piece.find(CELL)
    if cell < 0:
        return None
    return f"{ROW}<td{RIGHT}>{position}</td>\n<td{RIGHT}><strong>{number}</strong></td>\n{piece[cell + len(CELL) :]}"
