"""The `BENCH` line every benchmark prints, one per measurement, and its parser.

    BENCH name=<snake_case id> median_ms=<x> spread_ms=<max - min> repeats=<n> [key=value ...]

Extra keys are free (gflops=, peak_rss_mib=, accuracy=, impl=ours|pytorch|numpy, ...); values that
read as numbers become floats, the rest stay strings. Other output lines are ignored.
"""
import math
import re
import statistics
from dataclasses import dataclass, field

PREFIX = "BENCH"
REQUIRED = ("name", "median_ms", "spread_ms", "repeats")
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


@dataclass(frozen=True)
class Measurement:
    name: str
    median_ms: float
    spread_ms: float
    repeats: int
    extra: dict = field(default_factory=dict)


class BenchLineError(ValueError):
    """A line that starts with BENCH but does not follow the format."""


def format_line(name, times_ms, **extra):
    """The BENCH line for repeated timings (milliseconds): their median and max - min."""
    if not times_ms:
        raise ValueError(f"times_ms: need at least one timing for {name}, got none")
    extras = "".join(f" {k}={v}" for k, v in extra.items())
    return (f"{PREFIX} name={name} median_ms={statistics.median(times_ms):.3f} "
            f"spread_ms={max(times_ms) - min(times_ms):.3f} repeats={len(times_ms)}{extras}")


def parse_line(line):
    """The Measurement on a BENCH line, or None for any other line; BenchLineError if malformed."""
    tokens = line.split()
    if not tokens or tokens[0] != PREFIX:
        return None
    fields = {}
    for token in tokens[1:]:
        key, sep, value = token.partition("=")
        if not sep or not key or not value:
            raise BenchLineError(f"BENCH line: expected key=value, got '{token}' in: {line.strip()}")
        if key in fields:
            raise BenchLineError(f"BENCH line: key '{key}' given twice in: {line.strip()}")
        fields[key] = value
    missing = [k for k in REQUIRED if k not in fields]
    if missing:
        raise BenchLineError(f"BENCH line: missing {', '.join(missing)} (required: {', '.join(REQUIRED)})"
                             f" in: {line.strip()}")
    name = fields.pop("name")
    if not NAME.match(name):
        raise BenchLineError(f"BENCH line: name must be snake_case [a-z][a-z0-9_]*, got '{name}'")
    median = _number(fields.pop("median_ms"), "median_ms", line, minimum=0.0)
    spread = _number(fields.pop("spread_ms"), "spread_ms", line, minimum=0.0)
    repeats = _number(fields.pop("repeats"), "repeats", line, minimum=1.0)
    if repeats != int(repeats):
        raise BenchLineError(f"BENCH line: repeats must be a whole number >= 1, got {repeats:g} in: {line.strip()}")
    extra = {k: _maybe_number(v) for k, v in fields.items()}
    return Measurement(name, median, spread, int(repeats), extra)


def parse_text(text):
    """{name: Measurement} of every BENCH line in text; a name printed twice keeps the last line."""
    found = {}
    for line in text.splitlines():
        m = parse_line(line)
        if m is not None:
            found[m.name] = m
    return found


def _number(text, key, line, minimum):
    try:
        x = float(text)
    except ValueError:
        raise BenchLineError(f"BENCH line: {key} must be a number, got '{text}' in: {line.strip()}") from None
    if not math.isfinite(x) or x < minimum:
        raise BenchLineError(f"BENCH line: {key} must be finite and >= {minimum:g}, got {text} in: {line.strip()}")
    return x


def _maybe_number(text):
    try:
        return float(text)
    except ValueError:
        return text
