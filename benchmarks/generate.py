"""Make a synthetic Bubbleup repository, with a realistic Git history, for benchmarks.

    python benchmarks/generate.py DEST --ideas 5000 --votes 50000 --commits 50000
    python benchmarks/generate.py DEST --ideas 200 --votes 2000 --commits 2500 --people 80 --seed 7

DEST is created (it must not exist, or be empty) as a Git repository on `main` with a
working tree that `bubbleup check` accepts without errors:

- `mkdocs.yml`, `docs/index.md`, `docs/assets/bubbleup.css` and `.gitignore`: a small site;
- `ideas/people.yml`: the roster (handles `p00001`, ... in about twelve teams);
- `ideas/<slug>.md`: the ideas, about 300 words each, mostly `proposed`; about 15% carry
  another status with its decision, and about 2% are duplicates of an earlier idea;
- `ideas/<slug>/<handle>.md`: the votes, one file per (idea, person) pair.

Why it looks the way it does. Benchmarks only mean something on data shaped like the
real thing:

- Votes are skewed. Ideas get a Zipf-like share of the votes (weight 1/(rank+1)**1.1
  over a random popularity ranking that favours older ideas and puts duplicates last),
  capped at one vote per person (authors do not vote on their own ideas, so `bubbleup
  audit` finds nothing). A few ideas collect most votes and their vote folders grow
  large while the long tail stays small, as on any real idea board. Votes arrive soon
  after an idea is proposed and tail off.
- The history is a company's: about three years of commits that propose ideas, cast
  votes (one person, one to five ideas at a time), expand proposals, change votes and
  record decisions, each authored by the person concerned. About 20% of those commits
  arrive through pull requests, as a side branch joined by a merge commit
  ("Merge pull request #12 from p00042/vote-..."), and about 10% as squash merges whose
  subject ends in "(#12)": the subjects Bubbleup's history pass recognises, so its pull
  request detection is exercised over both merge shapes. Merge commits count towards
  `--commits`, which is therefore exact.
- Everything is drawn from random.Random(seed): the same arguments give the same
  repository, down to the commit ids.

How it is written. `git fast-import` is the obvious tool, and `--fast-import` uses it (one
process, fed as the history is generated). But every commit here changes `ideas/`, one
folder that grows to two entries per idea, and fast-import re-serialises (a printf per
entry), re-sorts and re-deltifies that whole tree on every commit: about 4 ms a commit
at 5,000 ideas, several minutes for 50,000 commits. So by default the script writes the
pack itself, with the standard library only (hashlib, zlib). Each folder is kept both as
sorted entries and as its serialised tree, edited in place; since the script knows which
entries a commit changed, each new tree version is written as a small delta against the
previous one (chains of at most 50, as fast-import does). This process hashes every object
(hashing each version of `ideas/` is the irreducible cost); a forked writer process
compresses them and writes the pack and its index, so the two halves run on two cores.
5,000 ideas, 50,000 votes and 50,000 commits take about 20 s, plus git's own checkout of
the 55,000 files. Both back ends produce byte-identical objects, so the same seed gives
the same commit ids with either: that is how the pack writer is checked.

Nothing is held whole in memory: objects are streamed to the pack file (or to
fast-import's standard input) as the history is generated.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import math
import multiprocessing
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from typing import IO, Protocol

START = 1672560000  # 2023-01-01T08:00:00Z: the first idea comes soon after
SPAN = 3 * 365 * 86400  # about three years of history
MAX_VOTES_PER_COMMIT = 5
PR_SHARE = 0.20  # of content commits that arrive through a merged pull request
SQUASH_SHARE = 0.10  # of content commits that are squash merges, "(#n)" on main
PR_LENGTHS = ((1, 2, 3), (0.6, 0.3, 0.1))  # commits on a pull request's branch
CSS = Path(__file__).resolve().parent.parent / "docs/assets/bubbleup.css"

# --------------------------------------------------------------------------- vocabulary
# Plain text only: no characters that Markdown or YAML would read as markup (no colon,
# quote, backslash, angle or square bracket, backtick), checked once at import.

TEAMS = (
    "engineering",
    "support",
    "sales",
    "marketing",
    "finance",
    "people-ops",
    "operations",
    "design",
    "product",
    "legal",
    "data",
    "leadership",
)
TAGS = (
    "automation",
    "onboarding",
    "culture",
    "cost-saving",
    "customer-experience",
    "developer-experience",
    "security",
    "sustainability",
    "remote-work",
    "hiring",
    "documentation",
    "tooling",
    "process",
    "quality",
    "performance",
    "wellbeing",
    "communication",
    "analytics",
    "compliance",
    "accessibility",
    "learning",
    "infrastructure",
    "support",
    "sales",
    "finance",
    "facilities",
    "travel",
    "design",
    "reliability",
    "open-source",
)
FIRST_NAMES = (
    "Ada",
    "Amir",
    "Anna",
    "Ben",
    "Carla",
    "Chen",
    "Dana",
    "Diego",
    "Elif",
    "Emma",
    "Farah",
    "Felix",
    "Grace",
    "Hana",
    "Ivan",
    "Jonas",
    "Kai",
    "Keiko",
    "Lars",
    "Leila",
    "Luca",
    "Maya",
    "Mateo",
    "Mina",
    "Nadia",
    "Noah",
    "Omar",
    "Priya",
    "Rosa",
    "Sam",
    "Sofia",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Yusuf",
    "Zoe",
    "Ines",
    "Kofi",
)
LAST_NAMES = (
    "Okafor",
    "Smith",
    "Garcia",
    "Kim",
    "Nguyen",
    "Mensah",
    "Rossi",
    "Novak",
    "Silva",
    "Haddad",
    "Jensen",
    "Kowalski",
    "Tanaka",
    "Berg",
    "Costa",
    "Ibrahim",
    "Larsen",
    "Moreau",
    "Patel",
    "Quinn",
    "Raman",
    "Schmidt",
    "Torres",
    "Usman",
    "Varga",
    "Walsh",
    "Yilmaz",
    "Zhang",
    "Abbott",
    "Brennan",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Gupta",
    "Horvat",
    "Ito",
    "Khan",
    "Lindqvist",
    "Murphy",
    "Osei",
)
THINGS = (
    "coffee machine rota",
    "onboarding checklist",
    "expense approvals",
    "release notes",
    "on-call handover",
    "meeting room booking",
    "customer feedback loop",
    "laptop refresh cycle",
    "travel policy",
    "internal wiki",
    "support macros",
    "sales demo environment",
    "quarterly planning",
    "incident reviews",
    "build pipeline",
    "test data sets",
    "office plants",
    "bike parking",
    "holiday calendar",
    "code review queue",
    "design system",
    "invoice reminders",
    "hiring pipeline",
    "data retention rules",
    "vendor contracts",
    "desk booking",
    "lunch and learn sessions",
    "dashboard alerts",
    "password resets",
    "shipping labels",
    "customer onboarding calls",
    "team offsites",
    "mentoring programme",
    "accessibility audits",
    "translation workflow",
    "status page",
    "backup restore drills",
    "printer fleet",
    "recycling bins",
    "parental leave guide",
    "security training",
    "roadmap reviews",
    "ticket triage",
    "weekly all hands",
    "pricing page",
    "contract templates",
    "knowledge base search",
    "staging servers",
    "feature flags",
    "interview scorecards",
    "office kitchen",
    "video call rooms",
    "budget requests",
    "customer health scores",
    "dependency updates",
    "error budget policy",
    "team retrospectives",
    "travel bookings",
    "new hire buddies",
    "shared drive cleanup",
)
VERBS = (
    "Automate",
    "Simplify",
    "Rethink",
    "Standardise",
    "Speed up",
    "Document",
    "Modernise",
    "Measure",
    "Share",
    "Streamline",
    "Open up",
    "Fix",
    "Replace",
    "Improve",
    "Centralise",
    "Publish",
)
TITLE_ENDINGS = (
    "",
    "",
    "",
    " for new hires",
    " across all offices",
    " for the {team} team",
    " before each release",
    " with a shared template",
    " every quarter",
    " for remote staff",
    " in every region",
)
GROUPS = (
    "new hires",
    "support engineers",
    "account managers",
    "team leads",
    "remote staff",
    "designers",
    "developers",
    "finance analysts",
    "recruiters",
    "field technicians",
    "customers",
    "people on call",
)
TOOLS = (
    "the shared tracker",
    "a simple web form",
    "the wiki",
    "a chat bot",
    "the ticketing system",
    "a weekly digest email",
    "a small internal service",
    "the existing dashboard",
    "a shared calendar",
    "a checklist in the handbook",
)
DURATIONS = ("an hour", "half a day", "two days", "a week", "twenty minutes", "three hours")
PERIODS = ("week", "month", "quarter", "sprint", "release")
NUMBERS = ("10", "15", "20", "25", "30", "40", "60")

PROBLEM = (
    "Today the {thing} depends on a handful of people who remember how it works.",
    "{Group} tell us that they lose {duration} every {period} because of the {thing}.",
    "The current process for the {thing} was designed when we were a much smaller company.",
    "Nobody clearly owns the {thing}, so small problems linger until they become urgent.",
    "In the last survey {number} percent of {group} named the {thing} as a daily annoyance.",
    "Every {period} someone from the {team} team has to chase the same questions by email.",
    "Because the steps live in several spreadsheets, mistakes are common and hard to trace.",
    "The tool we use today does not fit the way {group} actually work.",
    "When the one person who knows the details is away, everything around the {thing} stops.",
    "We keep solving the same problem in slightly different ways in every office.",
)
PROPOSAL = (
    "We propose to move the {thing} into {tool} and give the {team} team clear ownership of it.",
    "Start with a pilot in one office for {duration} a {period}, then decide together whether to roll it out.",
    "Write a short checklist, keep it next to the work itself, and review it every {period}.",
    "Automate the repetitive steps and leave only the real decisions to people.",
    "Publish a simple dashboard so that everyone can see where each request stands.",
    "Ask a few {group} to act as champions who collect feedback during the first {period}.",
    "Retire the old spreadsheet once the new process has run without surprises for a {period}.",
    "Keep the first version deliberately small and add to it only when people ask for more.",
    "Agree on one owner, one place to look and one way to ask for help.",
    "Review the results openly at the next all hands and adjust the plan in public.",
)
IMPACT = (
    "We expect to save about {number} hours a {period} across the company.",
    "Fewer handovers should mean fewer mistakes and calmer weeks for the {team} team.",
    "New colleagues would find answers on their own instead of waiting for a reply.",
    "The change is cheap to try and easy to undo if it does not work.",
    "Customers would notice faster and more consistent answers within a {period} or two.",
    "It would also give us numbers to decide the next step instead of opinions.",
    "Less time spent on the {thing} leaves more time for the work people were hired to do.",
    "A clear owner means problems get noticed early instead of during a crisis.",
)
BENEFITS = (
    "{Group} benefit first, since they deal with the {thing} every day.",
    "The {team} team gets back time for work that matters more.",
    "Managers get a clearer picture of where the time actually goes.",
    "Everyone who has ever asked where to find the latest version of the {thing}.",
    "Customers benefit indirectly through quicker and more consistent service.",
    "Future colleagues inherit a process that is written down rather than remembered.",
)
UPDATES = (
    "Update after talking with the {team} team, the first step would be a short pilot.",
    "Added after the discussion, the pilot could start next {period} with {group}.",
    "Several people asked about cost, and the estimate is a few days of work for one person.",
    "A colleague pointed out that {tool} already covers part of this, which makes it cheaper.",
    "Edited to clarify that nothing changes for teams that are happy with the current way.",
    "We ran a small trial for {duration} and the early results look encouraging.",
)
FEEDBACK = {
    "up": (
        "I would use this every {period}.",
        "We tried something similar in the {team} team and it worked well.",
        "This would have saved me {duration} last month.",
        "Happy to help test it.",
        "The cost seems small compared to the time we lose today.",
        "Yes please, this is long overdue.",
        "Count me in for the pilot.",
    ),
    "down": (
        "Not sure this is the biggest problem we have right now.",
        "I worry about the extra maintenance.",
        "This moves the work around rather than removing it.",
        "We tried this before and it faded after a {period}.",
        "I would rather fix the existing process first.",
    ),
    "none": (
        "Could we start with one office?",
        "Please keep the old way available for a while.",
        "How would this work for part-time staff?",
        "Who would own this once it is in place?",
        "Worth a pilot before rolling it out everywhere.",
    ),
}
REASONS = {
    "under-review": (
        "The {team} leads are estimating the effort and will report back within a {period}.",
        "Under review with the {team} team, who would carry most of the work.",
    ),
    "planned": (
        "Accepted for next quarter, the {team} team will own it.",
        "Strong support from {group}, planned for the coming {period}.",
    ),
    "in-progress": (
        "Work started, a first version is being tried by a small group.",
        "The {team} team started the pilot this {period}.",
    ),
    "done": (
        "Delivered and announced at the all hands, feedback so far is positive.",
        "Done, the new process has been in place for a {period} without issues.",
    ),
    "declined": (
        "The cost is higher than the expected benefit for now, we may revisit it next year.",
        "Declined because the {team} team cannot take it on this year.",
    ),
    "duplicate": (
        "The same proposal as an earlier idea, its votes now count there.",
        "Merged into the earlier idea that asks for the same thing.",
    ),
}
STATUSES = (("under-review", "planned", "in-progress", "done", "declined"), (3, 3, 2, 3, 3))
SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.?-{}")


def _check_vocabulary() -> None:
    """Fail early if a word list ever gains a character that Markdown or YAML would read."""
    texts: list[str] = [
        *TEAMS,
        *TAGS,
        *FIRST_NAMES,
        *LAST_NAMES,
        *THINGS,
        *VERBS,
        *TITLE_ENDINGS,
        *GROUPS,
        *TOOLS,
        *DURATIONS,
        *PERIODS,
        *NUMBERS,
        *PROBLEM,
        *PROPOSAL,
        *IMPACT,
        *BENEFITS,
        *UPDATES,
    ]
    texts += [t for group in FEEDBACK.values() for t in group] + [t for group in REASONS.values() for t in group]
    for text in texts:
        if not set(text) <= SAFE:
            raise AssertionError(f"unsafe vocabulary entry: {text!r}")


_check_vocabulary()

# --------------------------------------------------------------------------- the model


@dataclass(slots=True)
class Person:
    """One roster entry."""

    handle: str
    name: str
    email: str
    team: str


@dataclass(slots=True)
class Idea:
    """An idea: its fixed traits, planned fate, and its current content while streaming."""

    slug: str
    thing: str
    title: str
    authors: list[int]
    tags: list[str]
    t: float  # when it is proposed, as a fraction of the span
    final_status: str
    duplicate_of: int | None
    status: str = "proposed"
    created: str = ""
    decision: tuple[str, str, str] | None = None
    body: str = ""
    updates: list[str] = field(default_factory=list)


# Kinds of content commit, in the order they sort at equal times.
ADD, STATUS, VOTE, EDIT, CHANGE = range(5)


@dataclass
class Plan:
    """Everything decided before the first object is written."""

    people: list[Person]
    deciders: list[int]
    ideas: list[Idea]
    ops: list[tuple]  # (t, kind, seq, a, b), sorted: the content commits in order
    layout: list[int]  # 0: one commit on main; n > 0: a pull request of n commits
    squash_chance: float
    merges: int
    votes: int


def _slots(rng: Random, idea: Idea, people: list[Person]) -> dict[str, str]:
    """The words that fill an idea's sentence templates, chosen once per idea for coherence."""
    group = rng.choice(GROUPS)
    return {
        "thing": idea.thing,
        "team": people[idea.authors[0]].team,
        "group": group,
        "Group": group[0].upper() + group[1:],
        "tool": rng.choice(TOOLS),
        "duration": rng.choice(DURATIONS),
        "period": rng.choice(PERIODS),
        "number": rng.choice(NUMBERS),
    }


def _paragraph(rng: Random, templates: tuple[str, ...], count: int, slots: dict[str, str], split: int = 0) -> str:
    """`count` distinct sentences from `templates`; a blank line after the first `split`."""
    sentences = [sentence.format(**slots) for sentence in rng.sample(templates, count)]
    if split:
        return " ".join(sentences[:split]) + "\n\n" + " ".join(sentences[split:])
    return " ".join(sentences)


def _body(rng: Random, idea: Idea, people: list[Person]) -> str:
    """About 300 words of proposal in the four suggested sections."""
    s = _slots(rng, idea, people)
    return (
        f"## Problem\n\n{_paragraph(rng, PROBLEM, 7, s, 4)}\n\n"
        f"## Proposal\n\n{_paragraph(rng, PROPOSAL, 7, s, 4)}\n\n"
        f"## Expected impact\n\n{_paragraph(rng, IMPACT, 4, s)}\n\n"
        f"## Who benefits\n\n{_paragraph(rng, BENEFITS, 3, s)}\n"
    )


def _render_idea(idea: Idea, plan: Plan) -> str:
    """The idea file as it stands now: front matter, proposal, then any updates."""
    people = plan.people
    lines = [
        "---",
        f'title: "{idea.title}"',
        f"authors: [{', '.join(people[a].handle for a in idea.authors)}]",
        f"status: {idea.status}",
        f"tags: [{', '.join(idea.tags)}]",
        f"created: {idea.created}",
    ]
    if idea.decision:
        by, date, reason = idea.decision
        lines += ["decision:", f"  by: {by}", f"  date: {date}", f'  reason: "{reason}"']
    if idea.status == "duplicate" and idea.duplicate_of is not None:
        lines.append(f"duplicate-of: {plan.ideas[idea.duplicate_of].slug}")
    lines.append("---\n")
    return "\n".join(lines) + idea.body + "".join(f"\n{update}\n" for update in idea.updates)


def _render_vote(value: str, text: str) -> str:
    """A vote file: the vote in front matter, then the feedback text if any."""
    return f"---\nvote: {value}\n---\n" + (f"{text}\n" if text else "")


def _day(ts: int) -> str:
    """A Unix time as a UTC date, YYYY-MM-DD."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def _roster(rng: Random, count: int) -> list[Person]:
    """`count` people with unique handles and emails, spread over the teams."""
    width = max(5, len(str(count)))
    people = []
    for i in range(1, count + 1):
        handle = f"p{i:0{width}d}"
        people.append(
            Person(
                handle,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                f"{handle}@synthetic.example",
                rng.choice(TEAMS),
            )
        )
    return people


def _vote_counts(order: list[int], votes: int, caps: list[int]) -> list[int]:
    """How many votes each idea gets: Zipf-like over `order` (the most popular idea first),
    idea i getting at most caps[i], summing to exactly `votes` (water-filling, then
    largest remainders)."""
    ideas = len(caps)
    weight = [0.0] * ideas
    for rank, idea in enumerate(order):
        weight[idea] = 1.0 / (rank + 1) ** 1.1
    share = [0.0] * ideas
    free, remaining = order, float(votes)
    while free:
        total = sum(weight[i] for i in free)
        full = {i for i in free if remaining * weight[i] / total > caps[i]}
        if not full:
            for i in free:
                share[i] = remaining * weight[i] / total
            break
        for i in full:
            share[i] = float(caps[i])
            remaining -= caps[i]
        free = [i for i in free if i not in full]
    counts = [min(cap, int(s)) for cap, s in zip(caps, share, strict=True)]
    short = votes - sum(counts)
    for i in sorted(range(ideas), key=lambda i: (counts[i] - share[i], i)):
        if short <= 0:
            break
        if counts[i] < caps[i]:
            counts[i] += 1
            short -= 1
    for i in range(ideas):  # floating-point leftovers, if any
        while short > 0 and counts[i] < caps[i]:
            counts[i] += 1
            short -= 1
    return counts


def _plan_ideas(rng: Random, ideas: int, people: int) -> list[Idea]:
    """The ideas, in the order they are proposed, with their authors, tags and fates."""
    times = sorted(rng.random() * 0.995 for _ in range(ideas))
    plan_ideas: list[Idea] = []
    originals: list[int] = []
    for i in range(ideas):
        thing = rng.choice(THINGS)
        team_for_title = rng.choice(TEAMS)
        title = f"{rng.choice(VERBS)} the {thing}{rng.choice(TITLE_ENDINGS).format(team=team_for_title)}"
        slug = f"{thing.replace(' ', '-')}-{i + 1}"
        authors = rng.sample(range(people), 2 if people > 1 and rng.random() < 0.2 else 1)
        tags = sorted(rng.sample(TAGS, rng.randint(1, 3)))
        roll = rng.random()
        duplicate_of = None
        if originals and roll < 0.02:
            status, duplicate_of = "duplicate", rng.choice(originals)
        elif roll < 0.17:
            status = rng.choices(*STATUSES)[0]
        else:
            status = "proposed"
        if status != "duplicate":
            originals.append(i)
        plan_ideas.append(Idea(slug, thing, title, authors, tags, times[i], status, duplicate_of))
    return plan_ideas


def _ballots(
    rng: Random, plan_ideas: list[Idea], votes: int, caps: list[int], people: int
) -> list[list[tuple[float, int]]]:
    """Who votes on what, and when each vote would be cast: (moment, idea) per person."""
    by_person: list[list[tuple[float, int]]] = [[] for _ in range(people)]
    # Popularity: random, but older ideas have had longer to gather votes, and duplicates
    # (closed once noticed) come last.
    popularity = sorted(
        range(len(plan_ideas)),
        key=lambda i: (
            rng.random() * (0.25 + plan_ideas[i].t) + (2.0 if plan_ideas[i].final_status == "duplicate" else 0.0)
        ),
    )
    for i, count in enumerate(_vote_counts(popularity, votes, caps)):
        if count:
            idea = plan_ideas[i]
            t = idea.t
            voters = rng.sample(range(people - len(idea.authors)), count)
            for author in sorted(idea.authors):  # skip the authors: shift the handles at or after each
                voters = [v + 1 if v >= author else v for v in voters]
            for p in voters:
                by_person[p].append((t + (1.0 - t) * rng.random() ** 2, i))
    return by_person


@dataclass(frozen=True)
class _Budget:
    """How the commits divide: 1 initial + content commits + merges == commits, exactly."""

    merges: int
    content: int
    vote_commits: int
    vote_changes: int
    edits: int


def _budget(commits: int, ideas: int, decided: int, votes: int, fewest_vote_commits: int) -> _Budget:
    needed = 1 + ideas + decided + fewest_vote_commits
    if commits < needed:
        raise ValueError(
            f"--commits {commits} is too few: these ideas and votes need at least {needed} "
            f"(1 initial + {ideas} ideas + {decided} decisions + {fewest_vote_commits} vote commits "
            f"of at most {MAX_VOTES_PER_COMMIT} votes)"
        )
    ratio = PR_SHARE / (sum(a * w for a, w in zip(*PR_LENGTHS, strict=True)))
    merges = min(round((commits - 1) * ratio / (1 + ratio)), commits - needed)
    content = commits - 1 - merges
    spare = content - ideas - decided
    vote_commits = min(max(round(spare * 0.85), fewest_vote_commits), votes, spare) if votes else 0
    extra = spare - vote_commits
    vote_changes = round(extra * 0.3) if votes else 0
    return _Budget(merges, content, vote_commits, vote_changes, extra - vote_changes)


def _vote_ops(
    rng: Random, by_person: list[list[tuple[float, int]]], votes: int, vote_commits: int, ops: list[tuple]
) -> list[tuple[float, int, int]]:
    """Group each person's votes, in time order, into exactly `vote_commits` commits; append
    them to `ops` and return every vote cast as (moment, idea, person)."""
    sizes = [len(cast) for cast in by_person]
    reduce_by = votes - vote_commits
    room = [n - math.ceil(n / MAX_VOTES_PER_COMMIT) for n in sizes]
    total_room = sum(room)
    cut = [reduce_by * r // total_room if total_room else 0 for r in room]
    left = reduce_by - sum(cut)
    candidates = [p for p in range(len(by_person)) if cut[p] < room[p]]
    rng.shuffle(candidates)
    for p in candidates[:left]:
        cut[p] += 1
    cast_votes: list[tuple[float, int, int]] = []
    for p, cast in enumerate(by_person):
        if not cast:
            continue
        cast.sort()
        groups = len(cast) - cut[p]
        base, bigger = divmod(len(cast), groups)
        chunk_sizes = [base + 1] * bigger + [base] * (groups - bigger)
        rng.shuffle(chunk_sizes)
        start = 0
        for size in chunk_sizes:
            chunk = cast[start : start + size]
            start += size
            when = chunk[-1][0]
            ops.append((when, VOTE, len(ops), p, tuple(i for _, i in chunk)))
            cast_votes.extend((when, i, p) for _, i in chunk)
    return cast_votes


def _layout(rng: Random, merges: int, content: int) -> tuple[list[int], float]:
    """Which runs of consecutive content commits go through pull requests (a run's length, or
    0 for a commit straight on main), and the chance that a straight commit names a squashed PR."""
    lengths = rng.choices(PR_LENGTHS[0], PR_LENGTHS[1], k=merges)
    while sum(lengths) > content:
        lengths[lengths.index(max(lengths))] -= 1
    singles = content - sum(lengths)
    runs = set(rng.sample(range(merges + singles), merges))
    run_lengths = iter(lengths)
    layout = [next(run_lengths) if slot in runs else 0 for slot in range(merges + singles)]
    squash_chance = min(1.0, SQUASH_SHARE * content / singles) if singles else 0.0
    return layout, squash_chance


def _plan(ideas: int, votes: int, commits: int, people: int, seed: int) -> Plan:
    """Decide the whole repository: roster, ideas and their fates, who votes on what, and
    the exact sequence of commits, pull requests and merges. Raises ValueError when the
    numbers cannot be met.

    Each operation is (moment, kind, sequence number, idea or person, detail); the sequence
    number is its position when made, so that sorting keeps ties in the order they were made.
    The random draws happen in one fixed order, so a seed always makes the same repository."""
    if ideas < 1:
        raise ValueError("--ideas must be at least 1")
    if people < 1:
        raise ValueError("--people must be at least 1")
    if votes < 0:
        raise ValueError("--votes must not be negative")
    rng = Random(seed)
    roster = _roster(rng, people)
    deciders = [i for i, p in enumerate(roster) if p.team == "leadership"] or list(range(min(3, people)))
    plan_ideas = _plan_ideas(rng, ideas, people)
    decided = sum(1 for idea in plan_ideas if idea.final_status != "proposed")
    caps = [people - len(idea.authors) for idea in plan_ideas]  # nobody votes on their own idea
    if votes > sum(caps):
        raise ValueError(
            f"--votes {votes} is more than one vote per person per idea allows "
            f"({sum(caps)} with {ideas} ideas and {people} people, authors not voting)"
        )
    by_person = _ballots(rng, plan_ideas, votes, caps, people)
    fewest_vote_commits = sum(math.ceil(len(cast) / MAX_VOTES_PER_COMMIT) for cast in by_person)
    budget = _budget(commits, ideas, decided, votes, fewest_vote_commits)

    ops: list[tuple] = []
    for i, idea in enumerate(plan_ideas):
        ops.append((idea.t, ADD, len(ops), i, None))
        if idea.final_status != "proposed":
            ops.append((idea.t + (1.0 - idea.t) * rng.random(), STATUS, len(ops), i, None))
    cast_votes = _vote_ops(rng, by_person, votes, budget.vote_commits, ops)
    by_person.clear()
    for _ in range(budget.vote_changes):
        when, i, p = rng.choice(cast_votes)
        ops.append((when + (1.0 - when) * rng.random(), CHANGE, len(ops), i, p))
    for _ in range(budget.edits):
        i = rng.randrange(ideas)
        t = plan_ideas[i].t
        ops.append((t + (1.0 - t) * rng.random(), EDIT, len(ops), i, None))
    ops.sort()
    assert len(ops) == budget.content

    layout, squash_chance = _layout(rng, budget.merges, budget.content)
    return Plan(roster, deciders, plan_ideas, ops, layout, squash_chance, budget.merges, votes)


# --------------------------------------------------------------------------- back ends


class Sink(Protocol):
    """Where commits go. Each commit's tree is its first parent's tree plus `changes`."""

    def commit(self, who: Person, ts: int, message: str, changes: list[tuple[str, str]], parents: list[str]) -> str:
        """Write one commit; return a token that later commits can name as a parent."""
        ...

    def close(self) -> None:
        """Finish writing and point refs/heads/main at the last commit."""
        ...


def _signature(who: Person, ts: int) -> str:
    return f"{who.name} <{who.email}> {ts} +0000"


class FastImportSink:
    """Stream commits to one `git fast-import` process (slow on wide folders; see above)."""

    def __init__(self, repo: Path) -> None:
        self.errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - open for the sink's life, closed in close()
        self.process = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--done"],
            cwd=repo,
            stdin=subprocess.PIPE,
            stderr=self.errors,
            bufsize=1 << 20,
        )
        assert self.process.stdin is not None
        self.stdin = self.process.stdin
        self.marks = 0
        self.last = ""

    def commit(self, who: Person, ts: int, message: str, changes: list[tuple[str, str]], parents: list[str]) -> str:
        """Write one commit on refs/heads/main, naming its parents by mark."""
        self.marks += 1
        text = message.encode()
        out = [
            f"commit refs/heads/main\nmark :{self.marks}\nauthor {_signature(who, ts)}\n"
            f"committer {_signature(who, ts)}\ndata {len(text)}\n".encode(),
            text,
            b"\n",
        ]
        if parents and parents[0] != self.last:
            out.append(f"from {parents[0]}\n".encode())
        out += [f"merge {parent}\n".encode() for parent in parents[1:]]
        for path, content in changes:
            data = content.encode()
            out += [f"M 100644 inline {path}\ndata {len(data)}\n".encode(), data, b"\n"]
        out.append(b"\n")
        try:
            self.stdin.write(b"".join(out))
        except BrokenPipeError:
            self._fail()
        self.last = f":{self.marks}"
        return self.last

    def close(self) -> None:
        """End the stream and wait for fast-import."""
        try:
            self.stdin.write(b"done\n")
            self.stdin.close()
        except BrokenPipeError:
            pass
        if self.process.wait() != 0:
            self._fail()
        self.errors.close()

    def _fail(self) -> None:
        self.process.wait()
        self.errors.seek(0)
        raise RuntimeError(f"git fast-import failed: {self.errors.read().decode(errors='replace')[-2000:]}")


def _varint(n: int) -> bytes:
    """A delta header size: 7 bits at a time, least significant first."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _copy(out: bytearray, offset: int, size: int) -> None:
    """Append delta instructions that copy `size` bytes of the base from `offset`."""
    while size > 0:
        n = min(size, 0xFFFFFF)
        command, args = 0x80, bytearray()
        for i in range(4):
            if (offset >> (8 * i)) & 0xFF:
                command |= 1 << i
                args.append((offset >> (8 * i)) & 0xFF)
        for i in range(3):
            if (n >> (8 * i)) & 0xFF:
                command |= 0x10 << i
                args.append((n >> (8 * i)) & 0xFF)
        out.append(command)
        out += args
        offset += n
        size -= n


def _insert(out: bytearray, data: bytes) -> None:
    """Append delta instructions that insert `data` literally."""
    for start in range(0, len(data), 127):
        chunk = data[start : start + 127]
        out.append(len(chunk))
        out += chunk


class _Dir:
    """One folder of the working tree, kept as sorted tree entries and as the serialised
    tree itself (edited in place, never rebuilt), with what changed since its last
    written version (so that the next version can be a small delta)."""

    __slots__ = ("keys", "entries", "buf", "shortest", "children", "changed", "dirty", "sha", "depth", "size")

    def __init__(self) -> None:
        self.keys: list[bytes] = []  # git's order: a folder sorts as its name plus "/"
        self.entries: list[bytes] = []  # b"<mode> <name>\0<20-byte id>"
        self.buf = bytearray()  # the entries, concatenated: the tree object's content
        self.shortest = 1 << 30  # the shortest entry: entry i starts at or after i * shortest
        self.children: dict[bytes, _Dir] = {}
        self.changed: dict[bytes, bytes | None] = {}  # key -> entry in the last version (None: new)
        self.dirty: dict[bytes, _Dir] = {}  # subfolders changed since the last version
        self.sha = b""  # the last written version (the base of the next one's delta)
        self.depth = 0
        self.size = 0

    def set(self, name: bytes, folder: bool, sha: bytes) -> None:
        """Add or replace one entry."""
        key = name + b"/" if folder else name
        entry = (b"40000 " if folder else b"100644 ") + name + b"\0" + sha
        i = bisect.bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            old = self.entries[i]
            if old == entry:
                return
            self.changed.setdefault(key, old)
            self.entries[i] = entry
            at = self.buf.find(old, i * self.shortest)  # it ends with a 20-byte id: it occurs once
            self.buf[at : at + len(old)] = entry
        else:
            at = self.buf.find(self.entries[i], i * self.shortest) if i < len(self.entries) else len(self.buf)
            self.keys.insert(i, key)
            self.entries.insert(i, entry)
            self.changed.setdefault(key, None)
            self.buf[at:at] = entry
            self.shortest = min(self.shortest, len(entry))


_FRAME = struct.Struct(">20sB20sI")  # object id, kind (0: end), base id (deltas), payload size


class _PackFile:
    """The pack being written: objects appended in order, then the trailer and the index."""

    def __init__(self, pack_dir: Path) -> None:
        self.pack_dir = pack_dir
        self.path = pack_dir / f"tmp_synthetic_{os.getpid()}.pack"
        self.file = open(self.path, "wb", buffering=1 << 20)  # noqa: SIM115 - open until the trailer is written
        self.file.write(b"PACK" + struct.pack(">II", 2, 0))  # the count is filled in at the end
        self.offset = 12
        self.offsets: dict[bytes, int] = {}
        self.index: list[tuple[bytes, int, int]] = []  # (id, crc32, offset)

    def add(self, sha: bytes, kind: int, payload: bytes, base: bytes) -> None:
        """Append one object: kind 1 commit, 2 tree, 3 blob, or 6, a delta on object `base`."""
        size = len(payload)
        header = bytearray()
        byte, size = (kind << 4) | (size & 0x0F), size >> 4
        while size:
            header.append(byte | 0x80)
            byte, size = size & 0x7F, size >> 7
        header.append(byte)
        if kind == 6:
            distance = self.offset - self.offsets[base]
            back = bytearray([distance & 0x7F])
            distance >>= 7
            while distance:
                distance -= 1
                back.insert(0, 0x80 | (distance & 0x7F))
                distance >>= 7
            header += back
        body = zlib.compress(payload, 1)
        self.offsets[sha] = self.offset
        self.index.append((sha, zlib.crc32(body, zlib.crc32(header)), self.offset))
        self.file.write(header)
        self.file.write(body)
        self.offset += len(header) + len(body)

    def finish(self) -> None:
        """Write the object count and the checksum, then the .idx (version 2) beside it."""
        self.file.seek(8)
        self.file.write(struct.pack(">I", len(self.index)))
        self.file.close()
        digest = hashlib.sha1()
        with open(self.path, "rb") as pack:
            while chunk := pack.read(1 << 22):
                digest.update(chunk)
        checksum = digest.digest()
        with open(self.path, "ab") as pack:
            pack.write(checksum)
        self.index.sort()
        fanout = [0] * 256
        for sha, _, _ in self.index:
            fanout[sha[0]] += 1
        for i in range(1, 256):
            fanout[i] += fanout[i - 1]
        count = len(self.index)
        small, large = [], []
        for _, _, offset in self.index:
            if offset < 0x80000000:
                small.append(offset)
            else:
                small.append(0x80000000 | len(large))
                large.append(offset)
        idx = bytearray(b"\xfftOc" + struct.pack(">I", 2) + struct.pack(">256I", *fanout))
        idx += b"".join(sha for sha, _, _ in self.index)
        idx += struct.pack(f">{count}I", *(crc for _, crc, _ in self.index))
        idx += struct.pack(f">{count}I", *small) + struct.pack(f">{len(large)}Q", *large)
        idx += checksum
        idx += hashlib.sha1(idx).digest()
        name = f"pack-{checksum.hex()}"
        os.replace(self.path, self.pack_dir / f"{name}.pack")
        (self.pack_dir / f"{name}.idx").write_bytes(bytes(idx))


def _write_pack(read_fd: int, other_fd: int, pack_dir: str, failures: list[BaseException]) -> None:
    """The pack writer (a forked process, or else a thread): read framed objects from the
    pipe until the end frame, compress and append them, then write the pack's index."""
    if other_fd >= 0:
        os.close(other_fd)  # the parent's end of the pipe, inherited by the fork
    try:
        with open(read_fd, "rb", buffering=1 << 20) as source:
            pack = _PackFile(Path(pack_dir))
            while True:
                sha, kind, base, size = _FRAME.unpack(source.read(_FRAME.size))
                if kind == 0:
                    break
                pack.add(sha, kind, source.read(size), base)
            pack.finish()
    except BaseException as error:
        failures.append(error)
        raise


class PackSink:
    """Write commits straight into a pack file and its index (see the module docstring).

    This process keeps the working tree and hashes every object; a forked writer process
    (a thread where fork is unavailable) compresses them and writes the pack, so the two
    halves of the work run on two cores."""

    MAX_DEPTH = 50
    SMALL_TREE = 1024  # bytes: smaller trees are stored whole

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        pack_dir = repo / ".git" / "objects" / "pack"
        pack_dir.mkdir(parents=True, exist_ok=True)
        self.depths: dict[bytes, int] = {}  # every object id -> its delta depth
        self.root = _Dir()
        self.tip = ""
        self.failures: list[BaseException] = []
        read_fd, write_fd = os.pipe()
        self.writer: multiprocessing.process.BaseProcess | threading.Thread
        if "fork" in multiprocessing.get_all_start_methods():
            self.writer = multiprocessing.get_context("fork").Process(
                target=_write_pack, args=(read_fd, write_fd, str(pack_dir), []), name="pack-writer", daemon=True
            )
            self.writer.start()
            os.close(read_fd)
        else:
            self.writer = threading.Thread(
                target=_write_pack, args=(read_fd, -1, str(pack_dir), self.failures), name="pack-writer", daemon=True
            )
            self.writer.start()
        self.pipe = open(write_fd, "wb", buffering=1 << 20)  # noqa: SIM115 - open until every object is sent

    def _send(self, sha: bytes, kind: int, payload: bytes | bytearray, base: bytes = b"") -> None:
        """Hand one object to the writer."""
        try:
            if len(payload) < 65536:
                self.pipe.write(_FRAME.pack(sha, kind, base, len(payload)) + payload)
            else:
                self.pipe.write(_FRAME.pack(sha, kind, base, len(payload)))
                self.pipe.write(payload)
        except BrokenPipeError:
            self._fail()

    def _fail(self) -> None:
        self.writer.join()
        detail = f": {self.failures[0]!r}" if self.failures else " (see its error above)"
        raise RuntimeError(f"the pack writer failed{detail}")

    def _object(self, kind: int, tag: bytes, payload: bytes) -> bytes:
        """Send a whole object unless the pack already has it; return its id."""
        sha = hashlib.sha1(b"%s %d\0" % (tag, len(payload)) + payload).digest()
        if sha not in self.depths:
            self.depths[sha] = 0
            self._send(sha, kind, payload)
        return sha

    def _set_file(self, path: str, content: bytes) -> None:
        """Put a blob at `path` in the working tree, marking the folders above it as changed."""
        *folders, name = path.encode().split(b"/")
        node = self.root
        for folder in folders:
            child = node.children.get(folder)
            if child is None:
                child = node.children[folder] = _Dir()
            node.dirty[folder] = child
            node = child
        node.set(name, False, self._object(3, b"blob", content))

    def _tree(self, node: _Dir) -> bytes:
        """Send the folder's new version (as a delta on its last one when possible)."""
        for name, child in node.dirty.items():
            node.set(name, True, self._tree(child))
        node.dirty.clear()
        if not node.changed and node.sha:
            return node.sha
        buf = node.buf
        digest = hashlib.sha1(b"tree %d\0" % len(buf))
        digest.update(buf)
        sha = digest.digest()
        depth = self.depths.get(sha)
        if depth is None:
            if node.sha and node.depth < self.MAX_DEPTH and len(buf) >= self.SMALL_TREE:
                delta = bytearray(_varint(node.size) + _varint(len(buf)))
                old = new = 0  # positions in the last version and in this one
                for key in sorted(node.changed):
                    before = node.changed[key]
                    i = bisect.bisect_left(node.keys, key)
                    entry = node.entries[i]
                    start = buf.find(entry, max(new, i * node.shortest))
                    _copy(delta, old, start - new)
                    old += start - new + (len(before) if before is not None else 0)
                    _insert(delta, entry)
                    new = start + len(entry)
                assert node.size - old == len(buf) - new, "tree delta out of step"
                _copy(delta, old, node.size - old)
                depth = node.depth + 1
                self._send(sha, 6, delta, node.sha)
            else:
                depth = 0
                self._send(sha, 2, buf)
            self.depths[sha] = depth
        node.sha, node.depth, node.size = sha, depth, len(buf)
        node.changed.clear()
        return sha

    def commit(self, who: Person, ts: int, message: str, changes: list[tuple[str, str]], parents: list[str]) -> str:
        """Apply the changes to the working tree, send the trees that changed and the commit."""
        for path, content in changes:
            self._set_file(path, content.encode())
        tree = self._tree(self.root)
        lines = [
            f"tree {tree.hex()}",
            *(f"parent {p}" for p in parents),
            f"author {_signature(who, ts)}",
            f"committer {_signature(who, ts)}",
        ]
        self.tip = self._object(1, b"commit", ("\n".join(lines) + "\n\n" + message).encode()).hex()
        return self.tip

    def close(self) -> None:
        """Send the end frame, wait for the writer to finish the pack, point main at the tip."""
        self._send(b"", 0, b"")
        try:
            self.pipe.close()
        except BrokenPipeError:
            self._fail()
        self.writer.join()
        failed = self.writer.exitcode if isinstance(self.writer, multiprocessing.process.BaseProcess) else None
        if failed or self.failures:
            self._fail()
        subprocess.run(["git", "update-ref", "refs/heads/main", self.tip], cwd=self.repo, check=True)


# --------------------------------------------------------------------------- the history


def _site_files(people: list[Person]) -> list[tuple[str, str]]:
    """The initial commit: site configuration, home page, style sheet, roster."""
    # The plugin entry and the style sheet stay on one line each, so that a copy of this
    # configuration with every line naming bubbleup removed is still valid (benchmarks/run.py).
    mkdocs = """site_name: Synthetic ideas
site_description: A synthetic idea repository, generated for benchmarks.

theme:
  name: material
  font: false
  features:
    - navigation.sections
    - search.highlight

plugins:
  - search
  - bubbleup: {ideas_dir: ideas, pages_dir: ideas}

# Idea pages are reached from the views, never listed in the navigation.
not_in_nav: |
  /ideas/

nav:
  - Home: index.md
  - All ideas: ideas/index.md
  - Trending: ideas/trending.md
  - New: ideas/new.md
  - Most discussed: ideas/discussed.md
  - Campaigns: ideas/campaigns/index.md

markdown_extensions:
  - tables
  - toc:
      permalink: true

extra_css: [assets/bubbleup.css]
"""
    home = (
        "# Synthetic ideas\n\nA generated idea board for benchmarks: thousands of ideas, "
        "skewed votes and three years of history.\n\n"
        "Start with [all ideas](ideas/index.md) or [what is trending](ideas/trending.md).\n"
    )
    roster = "".join(f'{p.handle}:\n  name: "{p.name}"\n  emails: [{p.email}]\n  team: {p.team}\n' for p in people)
    return [
        ("mkdocs.yml", mkdocs),
        ("docs/index.md", home),
        ("docs/assets/bubbleup.css", CSS.read_text()),
        (".gitignore", "site/\ndocs/ideas/\n.bubbleup-cache/\n"),
        ("ideas/people.yml", roster),
    ]


class _History:
    """Plays the plan into a sink: turns each planned change into files and commits."""

    def __init__(self, plan: Plan, sink: Sink, seed: int) -> None:
        self.plan = plan
        self.sink = sink
        self.rng = Random(seed * 1_000_003 + 17)
        self.votes: dict[tuple[int, int], list[str]] = {}  # (idea, person) -> [vote, text]
        self.last_ts = START - 86400
        self.pr = 0

    def _tick(self, t: float) -> int:
        """The next timestamp: at the planned time, and always after the previous commit."""
        self.last_ts = max(self.last_ts + 1, START + int(t * SPAN))
        return self.last_ts

    def _pull_request(self) -> int:
        """The next pull request number (issues share the numbering, so some are skipped)."""
        self.pr += 1 + (self.rng.randint(1, 3) if self.rng.random() < 0.25 else 0)
        return self.pr

    def _feedback(self, value: str, idea: Idea) -> str:
        """One or two sentences of feedback matching the vote."""
        slots = _slots(self.rng, idea, self.plan.people)
        return _paragraph(self.rng, FEEDBACK[value], self.rng.choice((1, 1, 2)), slots)

    def apply(self, op: tuple, ts: int) -> tuple[int, str, str, list[tuple[str, str]]]:
        """Carry out one content change; return (author, subject, branch name, changed files)."""
        rng, plan = self.rng, self.plan
        _, kind, _, a, b = op
        if kind == ADD:
            idea = plan.ideas[a]
            idea.created = _day(ts)
            idea.body = _body(rng, idea, plan.people)
            return (
                idea.authors[0],
                f"Propose {idea.title.lower()}",
                f"propose-{idea.slug}",
                [(f"ideas/{idea.slug}.md", _render_idea(idea, plan))],
            )
        if kind == STATUS:
            idea = plan.ideas[a]
            decider = rng.choice(plan.deciders)
            reason = rng.choice(REASONS[idea.final_status]).format(**_slots(rng, idea, plan.people))
            idea.status = idea.final_status
            idea.decision = (plan.people[decider].handle, _day(ts), reason)
            return (
                decider,
                f"Mark {idea.slug} as {idea.status}",
                f"decide-{idea.slug}",
                [(f"ideas/{idea.slug}.md", _render_idea(idea, plan))],
            )
        if kind == VOTE:
            changes = []
            for i in b:
                roll = rng.random()
                value = "up" if roll < 0.80 else "down" if roll < 0.92 else "none"
                text = self._feedback(value, plan.ideas[i]) if value == "none" or rng.random() < 0.25 else ""
                self.votes[(i, a)] = [value, text]
                changes.append((f"ideas/{plan.ideas[i].slug}/{plan.people[a].handle}.md", _render_vote(value, text)))
            first = plan.ideas[b[0]].slug
            subject = f"Vote on {first}" if len(b) == 1 else f"Vote on {first} and {len(b) - 1} more"
            return a, subject, f"vote-{first}", changes
        if kind == EDIT:
            idea = plan.ideas[a]
            idea.updates.append(rng.choice(UPDATES).format(**_slots(rng, idea, plan.people)))
            return (
                rng.choice(idea.authors),
                f"Expand {idea.slug}",
                f"update-{idea.slug}",
                [(f"ideas/{idea.slug}.md", _render_idea(idea, plan))],
            )
        # CHANGE: a person changes their mind.
        idea, vote = plan.ideas[a], self.votes[(a, b)]
        vote[0] = {"up": "down", "down": "up", "none": "up"}[vote[0]]
        if rng.random() < 0.3:
            vote[1] = self._feedback(vote[0], idea)
        return (
            b,
            f"Change vote on {idea.slug}",
            f"revote-{idea.slug}",
            [(f"ideas/{idea.slug}/{plan.people[b].handle}.md", _render_vote(*vote))],
        )

    def run(self) -> int:
        """Write every commit; return how many were written."""
        plan, sink, rng = self.plan, self.sink, self.rng
        people = plan.people
        main = sink.commit(
            people[plan.deciders[0]], self.last_ts, "Start the ideas repository\n", _site_files(people), []
        )
        written, position = 1, 0
        for length in plan.layout:
            if length == 0:
                op = plan.ops[position]
                position += 1
                ts = self._tick(op[0])
                author, subject, _, changes = self.apply(op, ts)
                if rng.random() < plan.squash_chance:
                    subject += f" (#{self._pull_request()})"
                main = sink.commit(people[author], ts, subject + "\n", changes, [main])
                written += 1
                continue
            number = self._pull_request()
            tip, files, opener = main, {}, None
            for op in plan.ops[position : position + length]:
                ts = self._tick(op[0])
                author, subject, branch, changes = self.apply(op, ts)
                opener = opener or (author, subject, branch)
                tip = sink.commit(people[author], ts, subject + "\n", changes, [tip])
                files.update(changes)
            position += length
            assert opener is not None
            self.last_ts += rng.randint(60, 1800)
            merger = people[rng.choice(plan.deciders)]
            message = f"Merge pull request #{number} from {people[opener[0]].handle}/{opener[2][:60]}\n\n{opener[1]}\n"
            main = sink.commit(merger, self.last_ts, message, list(files.items()), [main, tip])
            written += length + 1
        assert position == len(plan.ops)
        return written


def generate(
    dest: Path,
    ideas: int,
    votes: int,
    commits: int,
    people: int | None = None,
    seed: int = 1,
    *,
    fast_import: bool = False,
) -> dict:
    """Create the synthetic repository at `dest` (absent or empty) and check it out.

    Returns the counts: ideas, votes, commits (all of them, merges included), merges,
    people. With `fast_import`, objects are written by `git fast-import` instead of the
    built-in pack writer (same result, much slower at scale)."""
    dest = Path(dest)
    people = max(50, ideas // 5) if people is None else people
    plan = _plan(ideas, votes, commits, people, seed)  # every check happens before touching disk
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ValueError(f"{dest} exists and is not an empty folder")
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    sink: Sink = FastImportSink(dest) if fast_import else PackSink(dest)
    written = _History(plan, sink, seed).run()
    sink.close()
    assert written == commits, (written, commits)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=dest, check=True)
    return {"ideas": ideas, "votes": votes, "commits": written, "merges": plan.merges, "people": people}


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dest", type=Path, help="the repository to create (absent or empty)")
    parser.add_argument("--ideas", type=int, required=True, help="number of ideas")
    parser.add_argument("--votes", type=int, required=True, help="number of vote files")
    parser.add_argument("--commits", type=int, required=True, help="total commits, merges included")
    parser.add_argument("--people", type=int, help="roster size (default: max(50, ideas // 5))")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument(
        "--fast-import",
        action="store_true",
        help="write objects with git fast-import (slow at scale; for cross-checking)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        counts = generate(
            args.dest, args.ideas, args.votes, args.commits, args.people, args.seed, fast_import=args.fast_import
        )
    except ValueError as error:
        parser.error(str(error))
    elapsed = time.perf_counter() - start
    print(
        f"{args.dest}: {counts['ideas']} ideas, {counts['votes']} votes, {counts['people']} people, "
        f"{counts['commits']} commits ({counts['merges']} merges) in {elapsed:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
