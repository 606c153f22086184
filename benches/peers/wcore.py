#!/usr/bin/env python3
"""W-core (issue 20) in SimPy: the peer the engine is measured against.

    python3 benches/peers/wcore.py --runs 5 --seed 1        # one JSON line per run
    python3 benches/peers/wcore.py --runs 3 --result        # plus a RESULT line for the bench

Each run prints {"seed", "facts", "messages", "events", "learnings": [e, c, s],
"mean_delay": [e, c, s], "ms"}: learnings other than at the origin per level (executive,
coordinating, strategic), their mean delay in minutes, and the run's wall time in ms.
With --result a last line `RESULT sim_ms=... runs=...` (the median time of one run, the
median counts) is printed in the format of benches/perf/child.rs.

The model is the one of benches/wcore/loop.rs (read that file's comment for W-core): units
are PriorityResources served highest severity first, then first come; a message takes a
handler even if it brings nothing new; a unit forwards a fact only when it learned it from
a message; a conference shares what its participants knew at its start. `events` counts
the processes started (facts, messages, conference sessions), SimPy has no event counter.
"""

import argparse
import json
import random
import statistics
import sys
import time

import simpy

ORGS = 40
END = 72 * 60.0
CONFERENCE_EVERY = 240.0
CONFERENCE_LENGTH = 30.0
LATENCY_MEAN = 2.0
FACT_GAP_MEAN = 60.0
REGIONAL = 2 * ORGS
STRATEGIC = 2 * ORGS + 1


def level(unit):
    if unit < ORGS:
        return 0
    return 2 if unit == STRATEGIC else 1


class WCore:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.env = simpy.Environment()
        spec = [(2, 4.0)] * ORGS + [(1, 6.0)] * ORGS + [(3, 3.0), (2, 5.0)]
        self.units = [simpy.PriorityResource(self.env, capacity=c) for c, _ in spec]
        self.mean = [m for _, m in spec]
        self.known = [set() for _ in spec]
        self.origin = []  # per fact: (time, severity)
        self.learnings = [0, 0, 0]
        self.delay_sum = [0.0, 0.0, 0.0]
        self.messages = 0
        self.events = 0

    def learn(self, unit, fact):
        if fact in self.known[unit]:
            return False
        self.known[unit].add(fact)
        lv = level(unit)
        self.learnings[lv] += 1
        self.delay_sum[lv] += self.env.now - self.origin[fact][0]
        return True

    def handle(self, unit, fact):
        """A message about `fact` at `unit`: queue, process, learn, forward."""
        self.events += 1
        severity = self.origin[fact][1]
        with self.units[unit].request(priority=-severity) as req:
            yield req
            yield self.env.timeout(self.rng.expovariate(1.0 / self.mean[unit]))
        if self.learn(unit, fact):
            if unit < ORGS:
                self.send(ORGS + unit, fact)
                self.send(REGIONAL, fact)
            elif unit != STRATEGIC and severity == 5:
                self.send(STRATEGIC, fact)

    def send(self, to, fact):
        self.messages += 1
        self.env.process(self.transit(to, fact))

    def transit(self, to, fact):
        yield self.env.timeout(self.rng.expovariate(1.0 / LATENCY_MEAN))
        yield self.env.process(self.handle(to, fact))

    def arrivals(self, exec_unit):
        while True:
            yield self.env.timeout(self.rng.expovariate(1.0 / FACT_GAP_MEAN))
            fact = len(self.origin)
            self.origin.append((self.env.now, self.rng.randint(1, 5)))
            self.env.process(self.handle(exec_unit, fact))

    def conference(self):
        participants = range(ORGS, REGIONAL + 1)
        yield self.env.timeout(CONFERENCE_EVERY)
        while True:
            self.events += 1
            union = set().union(*(self.known[u] for u in participants))
            yield self.env.timeout(CONFERENCE_LENGTH)
            for u in participants:
                for fact in union - self.known[u]:
                    self.learn(u, fact)
            yield self.env.timeout(CONFERENCE_EVERY - CONFERENCE_LENGTH)

    def run(self):
        for e in range(ORGS):
            self.env.process(self.arrivals(e))
        self.env.process(self.conference())
        # Events at END do not happen (the engine's rule): stop just before it.
        self.env.run(until=END)
        return {
            "facts": len(self.origin),
            "messages": self.messages,
            "events": self.events,
            "learnings": self.learnings,
            "mean_delay": [s / n if n else None for s, n in zip(self.delay_sum, self.learnings)],
        }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1, help="the first run's seed; run i has seed + i")
    p.add_argument("--result", action="store_true", help="print a RESULT line for benches/perf")
    a = p.parse_args()
    times, rows = [], []
    for i in range(a.runs):
        t = time.perf_counter()
        row = WCore(a.seed + i).run()
        ms = (time.perf_counter() - t) * 1e3
        times.append(ms)
        rows.append(row)
        print(json.dumps({"seed": a.seed + i, **row, "ms": round(ms, 3)}), flush=True)
    if a.result:
        med = lambda k: statistics.median(r[k] for r in rows)
        learnings = statistics.median(sum(r["learnings"]) for r in rows)
        print(
            f"RESULT sim_ms={statistics.median(times):.3f} events={med('events'):.0f} "
            f"messages={med('messages'):.0f} learnings={learnings:.0f} runs={a.runs}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
