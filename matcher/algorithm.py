"""The scoring rule and every feature weight: the one place a score becomes a level."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from core.config import Thresholds
from matcher import features as f
from matcher import features_derived as d
from matcher.features_zh import DERIVED_HOWS
from matcher.index import ENTITY_KINDS, Hit
from matcher.types import Evidence, Level
from matcher.verdict_zh import PARTIAL_SCORE, TOP_SCORE, TYPO_SCORE

# The best a translated name can score (it stays at review).
GLOSS_SCORE = PARTIAL_SCORE + 0.03

# "cap_entity" limits only a score that would reach entity; "cap_below_entity" only one that won't.
Role = Literal["main", "cap", "cap_entity", "cap_below_entity", "info"]


@dataclass(frozen=True)
class Feature:
    """A feature with its weight; main features compete, caps limit, info only explains."""

    fn: Callable[[f.Candidate], Evidence]
    weight: float
    role: Role = "main"

    @property
    def name(self) -> str:
        """The feature's name as shown in explanations."""
        return self.fn.__name__


FEATURES: tuple[Feature, ...] = (
    Feature(f.registered_name, 1.0),
    Feature(f.close_spelling, 0.95),
    Feature(f.affiliate_name, 0.85),
    Feature(f.contains_name, 0.8),
    Feature(f.pinyin_name, 0.6),
    Feature(d.derived_name, 1.0),
    Feature(f.other_place, 0.8, "cap"),
    Feature(f.huizhou_missing, 0.8, "cap"),
    # Review at most: a namesake trade name abroad is the common false alarm.
    Feature(f.legal_form_differs, 0.7, "cap_entity"),
    Feature(f.first_word_differs, 0.85, "cap_entity"),
    Feature(f.trade_name_only, 0.8, "cap"),
    Feature(f.generic_name, 0.4, "cap"),
    Feature(d.person_name, 0.0, "cap"),
    Feature(d.district_differs, 0.4, "cap"),
    Feature(f.foreign_group, 0.6, "cap_below_entity"),
    Feature(f.huizhou_words, 0.0, "info"),
    Feature(d.trade_pinyin, 0.0, "info"),
    Feature(d.industry_agrees, 0.0, "info"),
    Feature(d.own_place, 0.0, "info"),
    Feature(d.legal_form_class, 0.0, "info"),
)
WEIGHTS = {feat.name: feat.weight for feat in FEATURES}
_MAIN = [feat for feat in FEATURES if feat.role == "main"]
_CAPS = [feat for feat in FEATURES if feat.role == "cap"]
_CAPS_ENTITY = [feat for feat in FEATURES if feat.role == "cap_entity"]
_CAPS_BELOW_ENTITY = [feat for feat in FEATURES if feat.role == "cap_below_entity"]
_INFO = [feat for feat in FEATURES if feat.role == "info"]
# Only these can name the Huizhou entity itself; brands and affiliates stop at group level.
ENTITY_FEATURES = frozenset({"registered_name", "close_spelling", "derived_name"})
# A derived name's own features judge place and form; the English-name caps do not apply.
_DERIVED_CAPS = frozenset({"person_name"})
LOCAL_SCORE = 0.5


@dataclass(frozen=True)
class Scored:
    """A candidate's score, level and the evidence behind them."""

    score: float
    level: Level
    main: str
    explanations: dict[str, Evidence]


def level_for(score: float, main: str, thresholds: Thresholds) -> Level:
    """The level a score reaches; entity needs a registered-name feature."""
    if score >= thresholds.entity and main in ENTITY_FEATURES:
        return "entity"
    if main in ("derived_name", "close_spelling"):
        # A derived name, or a misspelt registered name, names one company or none: an
        # analyst decides which, never a group affiliate.
        return "review" if score >= thresholds.review else "none"
    if score >= thresholds.group:
        return "group"
    if score >= thresholds.review:
        return "review"
    return "none"


def score(candidate: f.Candidate, thresholds: Thresholds) -> Scored:
    """Best main feature × weight, then limited by every cap that fires, clamped to [0, 1]."""
    explanations: dict[str, Evidence] = {}
    best, main = 0.0, ""
    for feat in _MAIN:
        ev = feat.fn(candidate)
        if ev.score > 0:
            explanations[feat.name] = ev
            if ev.score * feat.weight > best:
                best, main = ev.score * feat.weight, feat.name
    value = best
    derived = candidate.hit.how in DERIVED_HOWS
    for feat in _CAPS:
        if derived and feat.name not in _DERIVED_CAPS:
            continue
        ev = feat.fn(candidate)
        if ev.score > 0:
            explanations[feat.name] = ev
            value = min(value, feat.weight)
    if level_for(value, main, thresholds) == "entity" and not derived:
        # Only a would-be entity is held back: a place conflict already said "affiliate".
        for feat in _CAPS_ENTITY:
            ev = feat.fn(candidate)
            if ev.score > 0:
                explanations[feat.name] = ev
                value = min(value, feat.weight)
    if level_for(value, main, thresholds) != "entity" and not derived:
        for feat in _CAPS_BELOW_ENTITY:
            ev = feat.fn(candidate)
            if ev.score > 0:
                explanations[feat.name] = ev
                value = min(value, feat.weight)
    for feat in _INFO:
        ev = feat.fn(candidate)
        if ev.score > 0:
            explanations[feat.name] = ev
    value = max(0.0, min(1.0, value))
    return Scored(value, level_for(value, main, thresholds), main, explanations)


def upper_bound(hit: Hit, relation: str = "primary") -> float:
    """The highest score a hit could reach: used to score likely hits first."""
    if hit.how == "exact":
        name = "registered_name" if hit.entry.kind in ENTITY_KINDS else "affiliate_name"
        bound = WEIGHTS[name]
    elif hit.how == "contains":
        bound = WEIGHTS["contains_name"] * (1.0 if hit.start == 0 else f.INSIDE_STRENGTH)
    elif hit.how == "fuzzy":
        bound = WEIGHTS["close_spelling"] * hit.similarity
    elif hit.how == "derived":
        bound = TOP_SCORE
    elif hit.how == "derived_typo":
        bound = TYPO_SCORE
    elif hit.how == "derived_gloss":
        bound = GLOSS_SCORE
    else:
        bound = WEIGHTS["pinyin_name"]
    # A trade name (d/b/a) is always capped, so its bound already includes the cap.
    return min(bound, WEIGHTS["trade_name_only"]) if relation == "dba" else bound
