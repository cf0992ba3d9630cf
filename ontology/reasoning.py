"""OWL reasoning with owlready2 + HermiT: consistency and inferred types.

HermiT runs in a JVM, so this module imports owlready2 only inside :func:`reason` and checks
for ``java`` first: without Java it raises one clear error and the rest of trialgraph keeps
working (queries rely on :mod:`trialgraph.ontology.closure`, not on this).

HermiT says only *that* an ontology is inconsistent. To say *which* individuals and
axioms are at fault, an inconsistent result is followed by a Java-free diagnosis
(:func:`diagnose`) that checks the axiom kinds our TBox can violate: datatype ranges,
disjoint classes and functional properties.
"""

from __future__ import annotations

import io
import shutil
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node
from trialgraph.ontology.catalogue import load_catalogue
from trialgraph.ontology.packaged import ontology_graph

from trialgraph.config import DEFAULT_BASE_IRI
from trialgraph.errors import TrialgraphError
from trialgraph.vocab import OA, TG, TG_NS

__all__ = [
    "ReasoningReport",
    "build_input",
    "diagnose",
    "reason",
    "reasoning_abox",
    "require_java",
]

_INPUT_IRI = "http://trialgraph.invalid/reasoning-input"
_TG = Namespace(TG_NS)
#: datatypes whose values lie in the value space of a declared range
_COMPATIBLE: dict[URIRef, set[URIRef | None]] = {
    XSD.decimal: {
        XSD.decimal,
        XSD.integer,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.int,
        XSD.long,
    },
    XSD.integer: {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long},
    XSD.string: {XSD.string, None},
    XSD.boolean: {XSD.boolean},
}


@dataclass(frozen=True)
class ReasoningReport:
    """What HermiT concluded about ontology + catalogue + data."""

    consistent: bool
    #: individual -> classes HermiT infers that the input did not assert
    inferred: dict[URIRef, frozenset[URIRef]]
    #: classes equivalent to owl:Nothing (a TBox error)
    unsatisfiable: tuple[str, ...] = ()
    #: readable diagnosis when inconsistent: which axiom, which individual
    problems: tuple[str, ...] = ()
    individuals: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    def inferred_graph(self) -> Graph:
        """The inferred types as triples, for ``{base}graph/inferred``."""
        graph = Graph()
        graph.bind("tg", _TG)
        for individual, classes in self.inferred.items():
            for cls in classes:
                graph.add((individual, RDF.type, cls))
        return graph

    def counts(self) -> Counter[str]:
        """How many individuals each class gained (class local name -> count)."""
        counter: Counter[str] = Counter()
        for classes in self.inferred.values():
            counter.update(str(c).rsplit("#", 1)[-1] for c in classes)
        return counter

    def text(self) -> str:
        """A readable summary for the CLI."""
        lines = [
            f"consistent: {'yes' if self.consistent else 'NO'}  "
            f"({self.individuals} individuals, {self.seconds:.1f} s)"
        ]
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"unsatisfiable class: {c}" for c in self.unsatisfiable]
        lines += [f"problem: {p}" for p in self.problems]
        if self.consistent:
            lines.append(f"inferred types: {sum(len(v) for v in self.inferred.values())}")
            lines += [f"  {name}: {n}" for name, n in sorted(self.counts().items())]
        return "\n".join(lines)


def require_java() -> str:
    """The java executable, or the one error every caller reports."""
    java = shutil.which("java")
    if java is None:
        raise TrialgraphError("reasoning needs Java (a JRE): install default-jre-headless")
    return java


def build_input(
    data: Graph, *, base_iri: str = DEFAULT_BASE_IRI, catalogue_closure: bool = True
) -> Graph:
    """Ontology + catalogue (by default with its class closure) + data, as one graph."""
    graph = ontology_graph(copy=True)
    graph += load_catalogue().to_graph(base_iri, closure=catalogue_closure)
    graph += data
    return graph


def reasoning_abox(data: Graph) -> Graph:
    """``data`` without the Web Annotation evidence nodes (annotation, target, selectors).

    They take part in no defined class, yet cost HermiT about a third of its time
    (benchmarks/bench_reasoning.py); their SHACL shapes check them instead.
    """
    evidence = set(data.subjects(RDF.type, TG.Evidence))
    targets = {t for e in evidence for t in data.objects(e, OA.hasTarget)}
    selectors = {s for t in targets for s in data.objects(t, OA.hasSelector)}
    skip = evidence | targets | selectors
    abox = Graph()
    for s, p, o in data:
        if s not in skip and p != TG.hasEvidence:
            abox.add((s, p, o))
    return abox


def reason(
    data: Graph,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    catalogue_closure: bool = True,
    include_evidence: bool = False,
) -> ReasoningReport:
    """Run HermiT over ontology + catalogue + ``data`` and collect new types of individuals.

    Only individuals that are subjects in ``data`` are reported; evidence annotations are
    left out unless ``include_evidence`` (see :func:`reasoning_abox`). With the (default)
    materialised catalogue closure, drug-class types are asserted already;
    ``catalogue_closure=False`` makes HermiT derive them (to check the closure).
    """
    require_java()
    import owlready2  # heavy, and starts nothing until sync_reasoner: kept out of import time

    started = time.perf_counter()
    if not include_evidence:
        data = reasoning_abox(data)
    full = build_input(data, base_iri=base_iri, catalogue_closure=catalogue_closure)
    world = owlready2.World()
    try:
        return _run_hermit(owlready2, world, full, data, started)
    finally:
        world.close()


def _run_hermit(
    owlready2: Any, world: Any, full: Graph, data: Graph, started: float
) -> ReasoningReport:
    try:
        onto = world.get_ontology(_INPUT_IRI).load(
            fileobj=io.BytesIO(full.serialize(format="nt", encoding="utf-8")),
            format="ntriples",
        )
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return ReasoningReport(
            consistent=False,
            inferred={},
            problems=tuple(diagnose(full)) or ("HermiT: inconsistent (no axiom pinpointed)",),
            individuals=_count_individuals(data),
            seconds=time.perf_counter() - started,
        )
    except owlready2.OwlReadyJavaError as exc:
        raise TrialgraphError(f"HermiT failed: {str(exc).strip()[-500:]}") from exc
    unsatisfiable = tuple(
        sorted(str(c.iri) for c in world.inconsistent_classes() if hasattr(c, "iri"))
    )
    return ReasoningReport(
        consistent=not unsatisfiable,
        inferred=_new_types(world, full, data),
        unsatisfiable=unsatisfiable,
        individuals=_count_individuals(data),
        seconds=time.perf_counter() - started,
    )


def _count_individuals(data: Graph) -> int:
    return len({s for s in data.subjects(RDF.type, None) if isinstance(s, URIRef)})


def _new_types(world: Any, full: Graph, data: Graph) -> dict[URIRef, frozenset[URIRef]]:
    import owlready2

    asserted: dict[Node, set[Node]] = defaultdict(set)
    for s, o in full.subject_objects(RDF.type):
        asserted[s].add(o)
    inferred: dict[URIRef, frozenset[URIRef]] = {}
    for subject in {s for s in data.subjects() if isinstance(s, URIRef)}:
        individual = world[str(subject)]
        if not isinstance(individual, owlready2.Thing):
            continue
        classes = {
            URIRef(c.iri)
            for c in individual.INDIRECT_is_a
            if isinstance(c, owlready2.ThingClass) and c is not owlready2.Thing
        }
        new = frozenset(classes - asserted[subject])
        if new:
            inferred[subject] = new
    return inferred


def diagnose(graph: Graph) -> list[str]:
    """Java-free checks of the axioms our TBox can be violated through, naming the axiom
    and the individual: datatype ranges, ill-typed literals, disjoint classes, functional
    properties."""
    problems: list[str] = []
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        ranges = set(graph.objects(prop, RDFS.range))
        for s, o in graph.subject_objects(prop):
            if not isinstance(o, Literal):
                problems.append(f"{prop} is a datatype property but {s} has IRI value {o}")
                continue
            if o.ill_typed:
                problems.append(f"{s} {prop} {o.n3()}: ill-typed literal")
            for rng in ranges:
                allowed = _COMPATIBLE.get(URIRef(str(rng)))
                if allowed is not None and o.datatype not in allowed:
                    problems.append(
                        f"axiom {prop} rdfs:range {rng}: {s} has {o.n3()} (wrong datatype)"
                    )
    for a, b in graph.subject_objects(OWL.disjointWith):
        for s in set(graph.subjects(RDF.type, a)) & set(graph.subjects(RDF.type, b)):
            problems.append(f"axiom {a} owl:disjointWith {b}: {s} is typed with both")
    for prop in graph.subjects(RDF.type, OWL.FunctionalProperty):
        values: dict[Node, set[Node]] = defaultdict(set)
        for s, o in graph.subject_objects(prop):
            values[s].add(o)
        for s, objs in values.items():
            if len(objs) > 1:
                shown = ", ".join(sorted(str(o) for o in objs))
                problems.append(f"axiom {prop} is functional: {s} has {len(objs)} values ({shown})")
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        for s, o in graph.subject_objects(prop):
            if isinstance(o, Literal):
                problems.append(f"{prop} is an object property but {s} has literal {o.n3()}")
    return problems
