"""HermiT reasoning time against the number of trials, with a same-run reference.

Synthetic trials in the docs/graph-model.md shape (trial, population, two arms, two
medians and a hazard ratio, each with a Web Annotation evidence) are built with rdflib
directly. For each size the script prints the triple count, the time to parse the same
data as N-Triples with rdflib (the reference measured in this run), the HermiT time
(ontology + catalogue + data, through owlready2) and their ratio.

Each HermiT run happens in a child process with a wall-clock limit, so a size HermiT
cannot handle is reported as "timeout" instead of hanging the machine; ``trialgraph
reason`` then works on a bounded ABox (``--max-trials``).

    .venv/bin/python benchmarks/bench_reasoning.py --sizes 100,1000,10000 --limit 900
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from trialgraph.ids import Minter
from trialgraph.vocab import OA, PROV, TG

DRUG_SETS = [
    (["pertuzumab", "trastuzumab", "docetaxel"], ["trastuzumab", "docetaxel"]),
    (["olaparib"], ["placebo"]),
    (["ribociclib", "letrozole"], ["placebo", "letrozole"]),
    (["trastuzumab deruxtecan"], ["trastuzumab emtansine"]),
]
FACETS = [TG.HER2Positive, TG.HER2Negative, TG.HER2Low]


def _dec(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 3))), datatype=XSD.decimal)


def synthetic_graph(trials: int) -> Graph:
    """``trials`` synthetic trials, one article per 5 trials, ~75 triples per trial."""
    m = Minter()
    g = Graph()
    for i in range(trials):
        article = m.article(f"bench-{i // 5}")
        g.add((article, RDF.type, TG.Article))
        g.add((article, TG.characterCount, Literal(5000, datatype=XSD.integer)))
        t = m.trial(f"nct{i:08d}")
        g.add((t, RDF.type, TG.Trial))
        g.add((t, TG.nctId, Literal(f"NCT{i:08d}")))
        g.add((t, TG.trialName, Literal(f"BENCH-{i}")))
        g.add((t, TG.randomised, Literal(i % 3 != 0)))
        g.add((article, TG.mentionsTrial, t))
        p = m.population(f"nct{i:08d}", i)
        g.add((p, RDF.type, TG.Population))
        g.add((t, TG.hasPopulation, p))
        g.add((p, TG.her2Status, FACETS[i % 3]))
        g.add((p, TG.setting, TG.Metastatic))
        g.add((p, TG.lineOfTherapy, TG.FirstLine if i % 2 else TG.SecondLine))
        exp_drugs, ctrl_drugs = DRUG_SETS[i % len(DRUG_SETS)]
        arms = []
        for drugs, role in ((exp_drugs, TG.ExperimentalArm), (ctrl_drugs, TG.ControlArm)):
            a = m.arm(f"nct{i:08d}", drugs)
            g.add((a, RDF.type, TG.Arm))
            g.add((a, RDF.type, role))
            g.add((t, TG.hasArm, a))
            for drug in drugs:
                g.add((a, TG.hasIntervention, m.drug(drug)))
            arms.append(a)
        g.add((arms[0], TG.comparedWith, arms[1]))
        for added in set(exp_drugs) - set(ctrl_drugs) - {"placebo"}:
            if set(ctrl_drugs) - {"placebo"} <= set(exp_drugs):
                g.add((arms[0], TG.addsDrug, m.drug(added)))
        for k, (measure, arm) in enumerate(
            [(TG.Median, arms[0]), (TG.Median, arms[1]), (TG.HazardRatio, None)]
        ):
            r = m.result(f"bench-{i}", k)
            g.add((r, RDF.type, TG.Result))
            g.add((r, RDF.type, TG.Comparison if arm is None else TG.ArmResult))
            g.add((r, TG.ofTrial, t))
            g.add((r, TG.endpoint, m.endpoint("PFS")))
            g.add((r, TG.measure, measure))
            if arm is None:
                g.add((r, TG.experimentalArm, arms[0]))
                g.add((r, TG.controlArm, arms[1]))
                g.add((r, TG.value, _dec(0.6 + (i % 30) / 100)))
            else:
                g.add((r, TG.arm, arm))
                g.add((r, TG.value, _dec(10 + (i % 90) / 10)))
                g.add((r, TG.unit, TG.Months))
            g.add((r, PROV.wasDerivedFrom, article))
            e = m.evidence(f"bench-{i}-{k}")
            target, pos = URIRef(f"{e}/target"), URIRef(f"{e}/position")
            g.add((r, TG.hasEvidence, e))
            g.add((e, RDF.type, TG.Evidence))
            g.add((e, OA.hasTarget, target))
            g.add((target, OA.hasSource, article))
            g.add((target, OA.hasSelector, pos))
            g.add((pos, OA.start, Literal(100 * k, datatype=XSD.integer)))
            g.add((pos, OA.end, Literal(100 * k + 50, datatype=XSD.integer)))
            g.add((pos, RDFS.comment, Literal("synthetic")))
    return g


def measure_one(trials: int, bound: int) -> dict[str, float | int | bool]:
    """Build, reference-parse and reason one size (runs in the child process).

    Above ``bound`` trials HermiT gets the first ``bound`` trials only, as
    ``trialgraph reason --max-trials`` does; the reference still parses everything.
    """
    from trialgraph.ontology.reasoning import reason

    graph = synthetic_graph(trials)
    data = graph.serialize(format="nt", encoding="utf-8")
    started = time.perf_counter()
    Graph().parse(data=data, format="nt")
    parse_s = time.perf_counter() - started
    reasoned = trials if trials <= bound else bound
    report = reason(graph if reasoned == trials else synthetic_graph(reasoned))
    return {
        "trials": trials,
        "reasoned": reasoned,
        "triples": len(graph),
        "parse_s": parse_s,
        "reason_s": report.seconds,
        "consistent": report.consistent,
        "inferred": sum(len(v) for v in report.inferred.values()),
    }


def run_limited(trials: int, bound: int, limit: float) -> dict[str, float | int | bool] | None:
    """``measure_one`` in a child process group, killed (with its JVM) after ``limit`` s."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--one", str(trials), "--bound", str(bound)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return None
    if child.returncode != 0:
        raise RuntimeError(f"benchmark child failed for {trials} trials")
    result: dict[str, float | int | bool] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--limit", type=float, default=900.0, help="seconds per HermiT run")
    parser.add_argument(
        "--bound",
        type=int,
        default=300,
        help="above this many trials, reason a bounded ABox of this size",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure_one(args.one, args.bound)))
        return
    print(
        f"{'trials':>7} {'reasoned':>8} {'triples':>8} {'rdflib parse s':>15} "
        f"{'HermiT s':>9} {'ratio':>7}  consistent  inferred types"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        row = run_limited(size, args.bound, args.limit)
        if row is None:
            print(
                f"{size:>7} {'':>8} {'':>8} {'':>15} {'timeout':>9}  (> {args.limit:.0f} s: "
                "reason a bounded ABox with --max-trials)"
            )
            continue
        ratio = float(row["reason_s"]) / max(float(row["parse_s"]), 1e-9)
        print(
            f"{row['trials']:>7} {row['reasoned']:>8} {row['triples']:>8} {row['parse_s']:>15.2f} "
            f"{row['reason_s']:>9.1f} {ratio:>7.1f}  {row['consistent']!s:>10}  "
            f"{row['inferred']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
