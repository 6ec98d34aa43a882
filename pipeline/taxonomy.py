"""The goal taxonomy: loading and validating ``configs/taxonomy.yaml`` (or any file of the same shape).

A taxonomy file has ``name``, ``version`` and ``goals``: a list of ``{id, name, parent?, description,
keywords}``. Goals without a parent are level 1; goals with one are level 2. Units link to level-2
goals. A researcher can point the pipeline at another file (a provincial plan, say) without code
changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "configs" / "taxonomy.yaml"


class TaxonomyError(Exception):
    """A taxonomy file that cannot be used; the message lists every problem, one per line."""


@dataclass(frozen=True)
class Goal:
    id: str
    name: str
    parent: str | None = None
    description: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def level(self) -> int:
        return 1 if self.parent is None else 2


@dataclass
class Taxonomy:
    name: str
    goals: dict[str, Goal] = field(default_factory=dict)
    source: str = ""

    @property
    def leaves(self) -> list[Goal]:
        """Level-2 goals, in file order: what units link to."""
        return [g for g in self.goals.values() if g.parent is not None]

    @property
    def roots(self) -> list[Goal]:
        return [g for g in self.goals.values() if g.parent is None]

    def children(self, goal_id: str) -> list[Goal]:
        return [g for g in self.goals.values() if g.parent == goal_id]

    def root_of(self, goal_id: str) -> str:
        goal = self.goals[goal_id]
        return goal.parent or goal.id

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "goals": [
                {"id": g.id, "name": g.name, "parent": g.parent, "description": g.description,
                 "keywords": list(g.keywords)}
                for g in self.goals.values()
            ],
        }


def taxonomy_from_dict(data: dict, source: str = "") -> Taxonomy:
    """A validated :class:`Taxonomy` from a parsed file (YAML or the JSON a saved pipeline keeps)."""
    found = problems(data)
    if found:
        raise TaxonomyError("\n".join(f"{source or 'taxonomy'}: {message}" for message in found))
    goals = {
        g["id"]: Goal(
            id=g["id"],
            name=g["name"].strip(),
            parent=g.get("parent"),
            description=(g.get("description") or "").strip(),
            keywords=tuple(g.get("keywords") or ()),
        )
        for g in data["goals"]
    }
    return Taxonomy(name=str(data.get("name", source)), goals=goals, source=source)


def problems(data: object) -> list[str]:
    """Every problem of a parsed taxonomy file (empty when it is valid)."""
    if not isinstance(data, dict) or not isinstance(data.get("goals"), list):
        return ["the file must be a mapping with a 'goals' list"]
    found: list[str] = []
    seen: dict[str, int] = {}
    for index, goal in enumerate(data["goals"]):
        where = f"goal #{index + 1}"
        if not isinstance(goal, dict):
            found.append(f"{where}: must be a mapping with id and name")
            continue
        goal_id = goal.get("id")
        if not isinstance(goal_id, str) or not goal_id.strip():
            found.append(f"{where}: missing id")
            continue
        where = f"goal {goal_id}"
        if goal_id in seen:
            found.append(f"{where}: duplicate id (also goal #{seen[goal_id] + 1})")
        seen.setdefault(goal_id, index)
        if not isinstance(goal.get("name"), str) or not goal["name"].strip():
            found.append(f"{where}: missing name")
        keywords = goal.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            found.append(f"{where}: keywords must be a list of strings")
    ids = set(seen)
    for goal in data["goals"]:
        if not isinstance(goal, dict) or "parent" not in goal or goal.get("parent") is None:
            continue
        parent = goal["parent"]
        if parent not in ids:
            found.append(f"goal {goal.get('id')}: parent {parent!r} does not exist")
        elif parent == goal.get("id"):
            found.append(f"goal {goal.get('id')}: is its own parent")
        else:
            parent_goal = next(g for g in data["goals"] if isinstance(g, dict) and g.get("id") == parent)
            if parent_goal.get("parent") is not None:
                found.append(f"goal {goal.get('id')}: parent {parent!r} is not a level-1 goal (two levels only)")
    if not any(isinstance(g, dict) and g.get("parent") for g in data["goals"]):
        found.append("no level-2 goals: units link to goals that have a parent")
    return found


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; raise :class:`TaxonomyError` listing every problem."""
    import yaml

    path = Path(path) if path is not None else DEFAULT_TAXONOMY
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: no such file") from None
    except yaml.YAMLError as err:
        raise TaxonomyError(f"{path}: not valid YAML ({str(err).splitlines()[0]})") from None
    return taxonomy_from_dict(data, str(path))
