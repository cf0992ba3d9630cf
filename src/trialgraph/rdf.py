"""The one module that knows our triples: Evidence <-> rdflib Graph (``docs/graph-model.md``).

Everything one article says becomes one graph (stored as ``{base}graph/article/{key}``);
:func:`graph_to_evidence` reads the same graph back into the contract model, so the JSON
and the RDF cannot drift apart. Design choices the spec leaves open:

- IRIs are content-derived (:class:`~trialgraph.ids.Minter`), never random or timed, so
  mapping the same article twice gives the same triples and no blank nodes are written.
- Trials share one IRI across articles (NCT id, else the slug of the name); two trials of
  one article with the same key are the same trial and merge.
- Arms are keyed by (trial, drug set); a second arm of the same trial with the same drug
  set in one article gets a ``--2`` suffix rather than silently merging into the first.
- A result's IRI hashes every contract field plus its provenance, so two different claims
  never share a node; an exact duplicate claim (same provenance too) is written once.
- Drugs (``tg:Drug`` + ``rdfs:label``) and endpoints (``tg:Endpoint`` + ``skos:notation``)
  are typed and named in the article graph too: the names are the contract's strings (read
  back on the way out, IRI slugs are lossy) and the graph validates on its own. For
  catalogue entries these triples repeat the catalogue's.
- ``notes`` are kept as ``rdfs:comment`` on the article.
- Every trial has an ``rdfs:label``: its name, else its NCT id, else "unnamed trial N in
  {article}" (the contract allows unnamed trials; ``tg:trialName`` is only the real name).
- Numbers are ``xsd:decimal`` (written in plain positional notation, as the XSD lexical
  space requires); counts and offsets are ``xsd:integer``.

The writer builds pyoxigraph terms (Rust objects: ~10x cheaper to make than rdflib's, and
``str()`` of one is its N-Triples form); :func:`evidence_triples` is what ingest uses
(N-Triples for SHACL and the store come straight from it), :func:`evidence_to_graph`
wraps the same triples in an rdflib Graph for callers that want one.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from trialgraph.errors import InputError
from trialgraph.ids import Minter, content_hash, slug
from trialgraph.model import (
    COMPARISON_MEASURES,
    Arm,
    Evidence,
    Population,
    Provenance,
    Result,
    Trial,
)
from trialgraph.store._terms import OxTriple, triples_to_graph
from trialgraph.vocab import DCTERMS, FACETS, MEASURES, OA, PROV, SKOS, TG, UNITS

__all__ = [
    "CONTEXT_CHARS",
    "AddonFunction",
    "article_key",
    "evidence_to_graph",
    "evidence_triples",
    "graph_to_evidence",
]

#: characters of context kept before and after a quote (TextQuoteSelector prefix/suffix)
CONTEXT_CHARS = 32

AddonFunction = Callable[[set[str], set[str]], set[str]]

_MEASURE_BY_IRI = {iri: name for name, iri in MEASURES.items()}
_UNIT_BY_IRI = {iri: name for name, iri in UNITS.items()}
_FACET_BY_IRI = {
    field: {iri: value for value, iri in table.items()} for field, (_, table) in FACETS.items()
}
_ROLE_TYPES = {"experimental": TG.ExperimentalArm, "control": TG.ControlArm, "single": TG.SingleArm}
_ROLE_BY_TYPE: dict[Node, str] = {iri: role for role, iri in _ROLE_TYPES.items()}


class _Terms:
    """pyoxigraph twins of a namespace's terms, made on first use and then kept as plain
    attributes (so later look-ups cost an attribute read, not a conversion)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)
        return node


_RDF, _RDFS, _TG, _OA = _Terms(RDF), _Terms(RDFS), _Terms(TG), _Terms(OA)
_PROV, _DCTERMS, _SKOS = _Terms(PROV), _Terms(DCTERMS), _Terms(SKOS)
_OX_MEASURES = {name: ox.NamedNode(str(iri)) for name, iri in MEASURES.items()}
_OX_UNITS = {name: ox.NamedNode(str(iri)) for name, iri in UNITS.items()}
_OX_FACETS = {
    name: (ox.NamedNode(str(prop)), {v: ox.NamedNode(str(iri)) for v, iri in table.items()})
    for name, (prop, table) in FACETS.items()
}
_OX_ROLES = {role: ox.NamedNode(str(iri)) for role, iri in _ROLE_TYPES.items()}
_XSD_DECIMAL = ox.NamedNode(str(XSD.decimal))
_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
_XSD_BOOLEAN = ox.NamedNode(str(XSD.boolean))
_TRUE = ox.Literal("true", datatype=_XSD_BOOLEAN)
_FALSE = ox.Literal("false", datatype=_XSD_BOOLEAN)


def article_key(name: str) -> str:
    """The article key: the slug of its file name (``graph/article/{key}``)."""
    return slug(name)


def _iri(value: str) -> ox.NamedNode:
    """A minted IRI as a term; checked here (pyoxigraph validates IRIs) so a bad one is
    an input problem of this article, not a store failure later."""
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise InputError(f"not a valid IRI: {value!r}: {exc}") from exc


def _text(value: str) -> ox.Literal:
    """An ``xsd:string`` literal (a lone surrogate cannot be stored: an input error)."""
    try:
        return ox.Literal(value)
    except ValueError as exc:
        raise InputError(f"cannot store text {value[:60]!r}: {exc}") from exc


def _bool(value: bool) -> ox.Literal:
    return _TRUE if value else _FALSE


def _decimal(value: float) -> ox.Literal:
    """An ``xsd:decimal`` literal in positional notation (no exponent: not valid XSD)."""
    if not math.isfinite(value):
        raise InputError(f"cannot store a non-finite number: {value!r}")
    return ox.Literal(format(Decimal(repr(value)), "f"), datatype=_XSD_DECIMAL)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def _default_addon(experimental: set[str], control: set[str]) -> set[str]:
    """The catalogue-aware rule lives with the ontology; imported late (no import cycle)."""
    from trialgraph.ontology.closure import addon_drugs

    return addon_drugs(experimental, control)


class _Writer:
    """Accumulates one article's triples; a class only to share the per-article context."""

    def __init__(
        self, evidence: Evidence, text: str, minter: Minter, version: str, addon: AddonFunction
    ) -> None:
        self.evidence = evidence
        self.text = text
        self.minter = minter
        self.addon = addon
        self.key = article_key(evidence.article)
        self.article = _iri(minter.article(self.key))
        self.text_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        self.run = _iri(minter.run(self.text_hash, version))
        self.version = version
        self.triples: list[OxTriple] = []
        self.add = self.triples.append

    def write(self) -> list[OxTriple]:
        add, art = self.add, self.article
        add((art, _RDF.type, _TG.Article))
        add((art, _DCTERMS.title, _text(self.evidence.article)))
        add((art, _TG.contentHash, _text(self.text_hash)))
        add((art, _TG.characterCount, _integer(len(self.text))))
        for note in self.evidence.notes:
            add((art, _RDFS.comment, _text(note)))
        add((self.run, _RDF.type, _TG.IngestRun))
        add((self.run, _RDF.type, _PROV.Activity))
        add((self.run, _PROV.used, art))
        add((self.run, _TG.softwareVersion, _text(self.version)))
        for index, trial in enumerate(self.evidence.trials):
            self.trial(index, trial)
        return self.triples

    def trial(self, index: int, trial: Trial) -> None:
        add = self.add
        tkey = self.minter.trial_key(
            nct_id=trial.nct_id, name=trial.name, fallback=f"{self.key}-{index}"
        )
        t = _iri(self.minter.trial(tkey))
        add((self.article, _TG.mentionsTrial, t))
        add((t, _RDF.type, _TG.Trial))
        if trial.name is not None:
            add((t, _TG.trialName, _text(trial.name)))
            add((t, _RDFS.label, _text(trial.name)))
        elif trial.nct_id is not None:
            add((t, _RDFS.label, _text(trial.nct_id)))
        else:  # people and the shapes need something to call it by
            label = f"unnamed trial {index + 1} in {self.evidence.article}"
            add((t, _RDFS.label, _text(label)))
        if trial.nct_id is not None:
            add((t, _TG.nctId, _text(trial.nct_id)))
        if trial.phase is not None:
            add((t, _TG.phase, _text(trial.phase)))
        if trial.randomized is not None:
            add((t, _TG.randomised, _bool(trial.randomized)))
        if trial.enrollment is not None:
            add((t, _TG.enrollment, _integer(trial.enrollment)))
        if trial.provenance is not None:
            self.provenance(t, f"trial|{tkey}", trial.provenance)
        self.population(t, tkey, trial.population)
        arms = self.arms(t, tkey, trial.arms)
        self.addons(trial, arms)
        for result in trial.results:
            self.result(t, tkey, arms, result)

    def population(self, t: ox.NamedNode, tkey: str, population: Population) -> None:
        values = [getattr(population, name) for name in ("condition", *FACETS)]
        p = _iri(self.minter.population(tkey, *values))
        self.add((t, _TG.hasPopulation, p))
        self.add((p, _RDF.type, _TG.Population))
        if population.condition is not None:
            self.add((p, _TG.condition, _text(population.condition)))
        for name, (prop, table) in _OX_FACETS.items():
            value = getattr(population, name)
            if value is not None:
                self.add((p, prop, table[value]))

    def arms(self, t: ox.NamedNode, tkey: str, arms: list[Arm]) -> list[ox.NamedNode]:
        names: list[str] = []
        iris: list[ox.NamedNode] = []
        add = self.add
        for arm in arms:
            name = str(self.minter.arm(tkey, arm.drugs))
            duplicates = sum(1 for seen in names if seen == name or seen.startswith(f"{name}--"))
            if duplicates:
                name = f"{name}--{duplicates + 1}"
            names.append(name)
            iri = _iri(name)
            iris.append(iri)
            add((t, _TG.hasArm, iri))
            add((iri, _RDF.type, _TG.Arm))
            if arm.role is not None:
                add((iri, _RDF.type, _OX_ROLES[arm.role]))
            if arm.label is not None:
                add((iri, _RDFS.label, _text(arm.label)))
            if arm.n is not None:
                add((iri, _TG.armSize, _integer(arm.n)))
            for drug in arm.drugs:
                d = _iri(self.minter.drug(drug))
                add((iri, _TG.hasIntervention, d))
                add((d, _RDF.type, _TG.Drug))
                add((d, _RDFS.label, _text(drug)))
            if arm.provenance is not None:
                self.provenance(iri, f"arm|{name}", arm.provenance)
        return iris

    def addons(self, trial: Trial, iris: list[ox.NamedNode]) -> None:
        """Store 'experimental arm adds drug X over its control' as facts (PERF_NOTES)."""
        pairs = {
            (e, c)
            for e, a in enumerate(trial.arms)
            if a.role == "experimental"
            for c, b in enumerate(trial.arms)
            if b.role == "control"
        }
        pairs |= {(r.arms[0], r.arms[1]) for r in trial.results if r.arms is not None}
        for e, c in sorted(pairs):
            self.add((iris[e], _TG.comparedWith, iris[c]))
            added = self.addon(set(trial.arms[e].drugs), set(trial.arms[c].drugs))
            for drug in sorted(added):
                self.add((iris[e], _TG.addsDrug, _iri(self.minter.drug(drug))))

    def result(self, t: ox.NamedNode, tkey: str, arms: list[ox.NamedNode], result: Result) -> None:
        add = self.add
        arm_iris = [arms[result.arm]] if result.arm is not None else []
        pair = [arms[i] for i in result.arms] if result.arms is not None else []
        prov = result.provenance
        prov_key = (
            (prov.quote, prov.start, prov.end, prov.method, prov.confidence) if prov else None
        )
        rkey = content_hash(
            self.key,
            tkey,
            result.endpoint,
            result.measure,
            # rdflib IRIs, as before pyoxigraph terms: the key hashes their repr()
            [URIRef(a.value) for a in arm_iris],
            [URIRef(a.value) for a in pair],
            result.subgroup,
            result.value,
            result.not_reached,
            result.unit,
            result.ci,
            result.p_value,
            result.p_operator,
            prov_key,
            length=32,
        )
        r = _iri(self.minter.iri("result", rkey[:16]))
        add((r, _RDF.type, _TG.Result))
        is_comparison = result.measure in COMPARISON_MEASURES
        add((r, _RDF.type, _TG.Comparison if is_comparison else _TG.ArmResult))
        add((r, _TG.ofTrial, t))
        endpoint = _iri(self.minter.endpoint(result.endpoint))
        add((r, _TG.endpoint, endpoint))
        add((endpoint, _RDF.type, _TG.Endpoint))
        add((endpoint, _SKOS.notation, _text(result.endpoint)))
        add((r, _TG.measure, _OX_MEASURES[result.measure]))
        for a in arm_iris:
            add((r, _TG.arm, a))
        if pair:
            add((r, _TG.experimentalArm, pair[0]))
            add((r, _TG.controlArm, pair[1]))
        if result.value is not None:
            add((r, _TG.value, _decimal(result.value)))
        if result.not_reached is not None:
            add((r, _TG.notReached, _bool(result.not_reached)))
        if result.unit is not None:
            add((r, _TG.unit, _OX_UNITS[result.unit]))
        if result.ci is not None:
            add((r, _TG.ciLower, _decimal(result.ci[0])))
            add((r, _TG.ciUpper, _decimal(result.ci[1])))
        if result.p_value is not None:
            add((r, _TG.pValue, _decimal(result.p_value)))
        if result.p_operator is not None:
            add((r, _TG.pOperator, _text(result.p_operator)))
        if result.subgroup is not None:
            s = _iri(self.minter.subgroup(tkey, result.subgroup))
            add((r, _TG.subgroup, s))
            add((s, _RDF.type, _TG.Subgroup))
            add((s, _RDFS.label, _text(result.subgroup)))
        add((r, _PROV.wasDerivedFrom, self.article))
        if prov is not None:
            self.provenance(r, rkey, prov)

    def provenance(self, body: ox.NamedNode, key: str, prov: Provenance) -> None:
        """A Web Annotation whose target selects the quote by text and by position."""
        add = self.add
        e = str(self.minter.evidence(f"{self.key}|{key}"))
        ev, target, quote, position = (
            _iri(e),
            _iri(f"{e}/target"),
            _iri(f"{e}/quote"),
            _iri(f"{e}/position"),
        )
        add((body, _TG.hasEvidence, ev))
        add((ev, _RDF.type, _TG.Evidence))
        add((ev, _RDF.type, _OA.Annotation))
        add((ev, _OA.motivatedBy, _OA.describing))
        add((ev, _OA.hasBody, body))
        add((ev, _OA.hasTarget, target))
        add((ev, _TG.extractionMethod, _text(prov.method)))
        add((ev, _TG.confidence, _decimal(prov.confidence)))
        add((ev, _PROV.wasGeneratedBy, self.run))
        add((target, _RDF.type, _OA.SpecificResource))
        add((target, _OA.hasSource, self.article))
        add((target, _OA.hasSelector, quote))
        add((target, _OA.hasSelector, position))
        add((quote, _RDF.type, _OA.TextQuoteSelector))
        add((quote, _OA.exact, _text(prov.quote)))
        prefix = self.text[max(0, prov.start - CONTEXT_CHARS) : prov.start]
        suffix = self.text[prov.end : prov.end + CONTEXT_CHARS]
        if prefix:
            add((quote, _OA.prefix, _text(prefix)))
        if suffix:
            add((quote, _OA.suffix, _text(suffix)))
        add((position, _RDF.type, _OA.TextPositionSelector))
        add((position, _OA.start, _integer(prov.start)))
        add((position, _OA.end, _integer(prov.end)))


def evidence_triples(
    evidence: Evidence,
    *,
    document_text: str,
    minter: Minter,
    software_version: str,
    addon: AddonFunction | None = None,
) -> list[OxTriple]:
    """The triples of one article as pyoxigraph terms, duplicates removed, in write order.

    Ingest's form: :func:`trialgraph.store._terms.to_ntriples` gives the N-Triples that
    both the SHACL engine and the store read, with no rdflib Graph in between. Arguments
    and errors as :func:`evidence_to_graph`.
    """
    writer = _Writer(evidence, document_text, minter, software_version, addon or _default_addon)
    return list(dict.fromkeys(writer.write()))


def evidence_to_graph(
    evidence: Evidence,
    *,
    document_text: str,
    minter: Minter,
    software_version: str,
    addon: AddonFunction | None = None,
) -> Graph:
    """The triples of one article (to store as ``minter.article_graph(article_key(...))``).

    ``document_text`` is the text the provenance offsets index into; it gives the
    content hash, the character count and the quote selectors' prefix and suffix.
    ``addon`` decides which drugs an experimental arm adds over its control; by default
    the catalogue-aware rule of :func:`trialgraph.ontology.closure.addon_drugs`.

    :raises InputError: a value that cannot be stored (a non-finite number, a bad IRI).
    """
    return triples_to_graph(
        evidence_triples(
            evidence,
            document_text=document_text,
            minter=minter,
            software_version=software_version,
            addon=addon,
        )
    )


# ---------------------------------------------------------------------------------------
# the inverse


def _one(graph: Graph, s: Node, p: Node) -> Node | None:
    """The smallest object (deterministic if a shared node carries several)."""
    values = sorted(graph.objects(s, p), key=str)
    return values[0] if values else None


def _py(node: Node | None) -> object:
    return node.toPython() if isinstance(node, Literal) else None


def _str(graph: Graph, s: Node, p: Node) -> str | None:
    node = _one(graph, s, p)
    return str(node) if node is not None else None


def _float(graph: Graph, s: Node, p: Node) -> float | None:
    node = _one(graph, s, p)
    return float(node) if isinstance(node, Literal) else None


def _int(graph: Graph, s: Node, p: Node) -> int | None:
    node = _one(graph, s, p)
    return int(node) if isinstance(node, Literal) else None


def _provenance(graph: Graph, body: Node) -> Provenance | None:
    e = _one(graph, body, TG.hasEvidence)
    if e is None:
        return None
    target = _one(graph, e, OA.hasTarget)
    quote = position = None
    for selector in graph.objects(target, OA.hasSelector) if target is not None else ():
        if (selector, RDF.type, OA.TextQuoteSelector) in graph:
            quote = selector
        elif (selector, RDF.type, OA.TextPositionSelector) in graph:
            position = selector
    if quote is None or position is None:
        return None
    return Provenance(
        quote=_str(graph, quote, OA.exact) or "",
        start=_int(graph, position, OA.start) or 0,
        end=_int(graph, position, OA.end) or 0,
        method=_str(graph, e, TG.extractionMethod) or "",
        confidence=_float(graph, e, TG.confidence) or 0.0,
    )


def _population(graph: Graph, t: Node) -> Population:
    p = _one(graph, t, TG.hasPopulation)
    if p is None:
        return Population()
    values: dict[str, object] = {"condition": _str(graph, p, TG.condition)}
    for name, (prop, _) in FACETS.items():
        node = _one(graph, p, prop)
        values[name] = _FACET_BY_IRI[name].get(node) if node is not None else None  # type: ignore[call-overload]
    return Population.model_validate(values)


def _arm(graph: Graph, iri: Node) -> Arm:
    roles = [_ROLE_BY_TYPE[c] for c in graph.objects(iri, RDF.type) if c in _ROLE_BY_TYPE]
    drugs = sorted(
        _str(graph, d, RDFS.label) or str(d).rsplit("/", 1)[-1]
        for d in graph.objects(iri, TG.hasIntervention)
    )
    return Arm.model_validate(
        {
            "label": _str(graph, iri, RDFS.label),
            "drugs": drugs,
            "role": roles[0] if roles else None,
            "n": _int(graph, iri, TG.armSize),
            "provenance": _provenance(graph, iri),
        }
    )


def _result(graph: Graph, r: Node, index: dict[Node, int]) -> Result:
    measure = _MEASURE_BY_IRI[_one(graph, r, TG.measure)]  # type: ignore[index]
    unit = _one(graph, r, TG.unit)
    arm = _one(graph, r, TG.arm)
    exp, ctl = _one(graph, r, TG.experimentalArm), _one(graph, r, TG.controlArm)
    lower, upper = _float(graph, r, TG.ciLower), _float(graph, r, TG.ciUpper)
    subgroup = _one(graph, r, TG.subgroup)
    endpoint = _one(graph, r, TG.endpoint)
    notation = _str(graph, endpoint, SKOS.notation) if endpoint is not None else None
    not_reached = _py(_one(graph, r, TG.notReached))
    return Result.model_validate(
        {
            "endpoint": notation or (str(endpoint).rsplit("/", 1)[-1] if endpoint else ""),
            "measure": measure,
            "arm": index[arm] if arm is not None else None,
            "arms": [index[exp], index[ctl]] if exp is not None and ctl is not None else None,
            "value": _float(graph, r, TG.value),
            "not_reached": not_reached,
            "unit": _UNIT_BY_IRI.get(unit) if unit is not None else None,  # type: ignore[call-overload]
            "ci": [lower, upper] if lower is not None and upper is not None else None,
            "p_value": _float(graph, r, TG.pValue),
            "p_operator": _str(graph, r, TG.pOperator),
            "subgroup": _str(graph, subgroup, RDFS.label) if subgroup is not None else None,
            "provenance": _provenance(graph, r),
        }
    )


def _trial(graph: Graph, t: Node, results: Iterable[Node]) -> Trial:
    arm_iris = sorted(graph.objects(t, TG.hasArm), key=str)
    index = {iri: i for i, iri in enumerate(arm_iris)}
    randomised = _py(_one(graph, t, TG.randomised))
    return Trial.model_validate(
        {
            "name": _str(graph, t, TG.trialName),
            "nct_id": _str(graph, t, TG.nctId),
            "phase": _str(graph, t, TG.phase),
            "randomized": randomised,
            "enrollment": _int(graph, t, TG.enrollment),
            "population": _population(graph, t),
            "arms": [_arm(graph, a) for a in arm_iris],
            "results": [_result(graph, r, index) for r in sorted(results, key=str)],
            "provenance": _provenance(graph, t),
        }
    )


def graph_to_evidence(graph: Graph, article_iri: URIRef) -> Evidence:
    """Read one article's graph back into the contract model (with provenance).

    Order is not kept by RDF: trials, arms and results come back sorted by IRI, drugs
    by label, and result arm indexes refer to that order.

    :raises InputError: the graph holds no such article.
    """
    title = _str(graph, article_iri, DCTERMS.title)
    if title is None:
        raise InputError(f"no article {article_iri} in the graph")
    by_trial: dict[Node, list[Node]] = {}
    for r in graph.subjects(RDF.type, TG.Result):
        if (r, PROV.wasDerivedFrom, article_iri) in graph:
            t = _one(graph, r, TG.ofTrial)
            if t is not None:
                by_trial.setdefault(t, []).append(r)
    trials = sorted(graph.objects(article_iri, TG.mentionsTrial), key=str)
    notes = sorted(str(n) for n in graph.objects(article_iri, RDFS.comment))
    return Evidence(
        article=title, notes=notes, trials=[_trial(graph, t, by_trial.get(t, [])) for t in trials]
    )
