#!/usr/bin/python3
"""Runs one benchmark command under several environments, quiet and under a fixed background load.

Each variant is a name and environment assignments (thread counts, OMP_WAIT_POLICY, JAVA_TOOL_OPTIONS for
JVM flags...). Rounds interleave the variants, and within a variant the quiet run and the loaded one, so a
drift of the machine hits all of them alike. The load is `--load N` busy-loop processes that this script
starts before the loaded run and stops after it: a fixed stand-in for a browser or another kernel busy on
the same cores. Prints, for every BENCH line of the command (see benchline.py):
  BENCH name=<line>_<variant> ...          median over rounds of the command's median, spread over rounds
  BENCH name=<line>_<variant>_loaded ...   the same under load, with slowdown=<loaded / quiet>

With `--rank LINE[,LINE...] --fastest FILE` it also writes the environment of the fastest variant (the lowest
sum of the quiet medians of those lines), one KEY=VALUE per line, to FILE.

Usage: /usr/bin/python3 variants.py [--rounds R] [--load N] [--rank LINES --fastest FILE]
                                    --variant NAME[:KEY=VALUE,...] ... -- COMMAND...
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time

from benchline import BenchLineError, format_line, parse_text

VARIANT = re.compile(r"([a-z][a-z0-9_]*)(?::(.*))?\Z")
BUSY_LOOP = "while True: pass"


def parse_variant(text):
    """'name:K=V,K2=V2' -> (name, {K: V}); JAVA_TOOL_OPTIONS values may hold spaces but no commas."""
    m = VARIANT.match(text)
    if not m:
        raise ValueError(f"--variant: expected NAME[:KEY=VALUE,...] with a snake_case NAME, got '{text}'")
    env = {}
    for item in filter(None, (m.group(2) or "").split(",")):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--variant {m.group(1)}: expected KEY=VALUE, got '{item}'")
        env[key] = value
    return m.group(1), env


class BackgroundLoad:
    """`n` busy-loop processes for the duration of a with block (none for n = 0)."""

    def __init__(self, n):
        self.n, self.procs = n, []

    def __enter__(self):
        self.procs = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(self.n)]
        if self.procs:
            time.sleep(0.5)  # let them reach their loop before the measured command starts
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            p.wait()
        return False


def run(command, env, load):
    """{BENCH name: Measurement} of one run of the command; exits naming the variant when it fails."""
    with BackgroundLoad(load):
        r = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    sys.stderr.write(r.stderr[-2000:] if r.returncode else "")
    if r.returncode != 0:
        sys.exit(f"variants.py: command failed (exit {r.returncode}) with {env}, load {load}: {' '.join(command)}")
    for line in r.stdout.splitlines():
        if line.startswith("#"):
            print(f"# [{' '.join(f'{k}={v}' for k, v in env.items()) or 'default'}, load {load}] {line[1:].strip()}")
    return parse_text(r.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    ap.add_argument("--load", type=int, default=0, help="busy-loop processes for the loaded runs (0: quiet only)")
    ap.add_argument("--variant", action="append", required=True, help="NAME[:KEY=VALUE,...], repeatable")
    ap.add_argument("--rank", help="comma-separated BENCH line names whose quiet medians rank the variants")
    ap.add_argument("--fastest", help="file to write the fastest variant's KEY=VALUE lines to (with --rank)")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND ARGS...")
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        sys.exit("variants.py: command: missing; give it after --")
    if args.rounds < 1 or args.load < 0:
        sys.exit(f"variants.py: --rounds must be >= 1 and --load >= 0, got {args.rounds} and {args.load}")
    try:
        variants = [parse_variant(v) for v in args.variant]
    except ValueError as e:
        sys.exit(f"variants.py: {e}")
    if len({name for name, _ in variants}) != len(variants):
        sys.exit("variants.py: --variant: names must be distinct")
    if (args.rank is None) != (args.fastest is None):
        sys.exit("variants.py: --rank and --fastest go together")
    loads = [0, args.load] if args.load > 0 else [0]
    samples = {}  # (line, variant, load) -> [median per round]
    extras = {}
    for _ in range(args.rounds):
        for name, env in variants:
            for load in loads:
                for line, m in run(command, env, load).items():
                    samples.setdefault((line, name, load), []).append(m.median_ms)
                    extras[(line, name, load)] = m.extra
    for (line, name, load), times in samples.items():
        extra = {k: f"{v:g}" if isinstance(v, float) else v for k, v in extras[(line, name, load)].items()}
        label = f"{line}_{name}"
        if load:
            quiet = samples.get((line, name, 0))
            extra["load"] = load
            if quiet:
                extra["slowdown"] = f"{statistics.median(times) / statistics.median(quiet):.3f}"
            label += "_loaded"
        print(format_line(label, times, **extra))
    if args.rank:
        write_fastest(args.rank.split(","), variants, samples, args.fastest)


def write_fastest(lines, variants, samples, path):
    """Writes the environment of the variant with the lowest sum of quiet medians over `lines` to path."""
    def total(name):
        missing = [line for line in lines if (line, name, 0) not in samples]
        if missing:
            sys.exit(f"variants.py: --rank: variant {name} printed no BENCH line {', '.join(missing)}")
        return sum(statistics.median(samples[(line, name, 0)]) for line in lines)

    name, env = min(variants, key=lambda v: total(v[0]))
    print(f"# fastest by {'+'.join(lines)}: {name} ({total(name):.2f} ms)")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(f"{k}={v}\n" for k, v in env.items())


if __name__ == "__main__":
    try:
        main()
    except BenchLineError as e:
        sys.exit(f"variants.py: {e}")
