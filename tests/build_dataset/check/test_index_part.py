"""A shard's part of the corpus index, made column by column (part_columns), holds exactly the
rows of its tables as written below row by row from the results: the rows a quick check's
index in memory takes (part_tables), and the Arrow tables and Parquet bytes of a build's part
(part_arrow, part_bytes), on checked synthetic shards and on results of every shape."""

import json
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import generate
from build_dataset.check.articles import ArticleResults, MentionResult, Where, add_articles
from build_dataset.check.corpus_index import TABLES, part_arrow, part_bytes, part_tables
from build_dataset.check.figures import FigureClaim, FigureQuantity
from build_dataset.read.cleaning import load_rules
from build_dataset.read.inputs import article_sources, read_inputs, with_bytes
from build_dataset.read.registries import read_registries

_TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}


def part_schema() -> pa.Schema:
    """Every column of every table once, in the order they first appear, after the table's
    name and the row's seq."""
    columns = {"table": "str", "seq": "int"}
    for table in TABLES.values():
        for name, kind in table:
            columns.setdefault(name, kind)
    return pa.schema([(name, _TYPES[kind]) for name, kind in columns.items()])


def rows(results: ArticleResults) -> dict[str, list[tuple[Any, ...]]]:
    """Each table's rows: its seq, then its columns (TABLES), each row made on its own."""
    tables: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}

    def add(name: str, row: tuple[Any, ...]) -> None:
        tables[name].append((len(tables[name]), *row))

    for declared in results.declared_claims:
        add("declared_claims", (declared,))
    for claim, where in results.claim_origins:
        add("claims", (claim, *where))
    for declared in results.declared_articles:
        add("declared_articles", (declared,))
    for article, where in results.article_origins:
        add("articles", (article, *where))
    for _, target, where in results.relations:
        add("relations", (target, *where))
    for source, target, where in results.supersedes:
        add("supersedes", (source, target, *where))
    for m in results.mentions:
        span = m.span or {"start": None, "end": None, "text": None}
        loc, message, hint = m.problem or (None, None, None)
        located = None if loc is None else json.dumps(loc)
        at = (span["start"], span["end"], span["text"])
        add("mentions", (m.event, m.index, *at, located, message, hint))
    for seq, figure in enumerate(results.figure_claims.values()):
        add("figure_claims", (figure.id,))
        for i, quantity in enumerate(figure.quantities):
            tables["figure_quantities"].append((seq, figure.id, i, *quantity))
        for target in sorted(figure.supersedes):
            tables["figure_supersedes"].append((seq, figure.id, target))
    return tables


def by_rows(results: ArticleResults) -> dict[str, Any]:
    """The part's tables with rows, each row a record of its table's columns, the other
    columns null."""
    schema = part_schema()
    tables = {}
    for name, table in rows(results).items():
        names = ["seq", *(column for column, _ in TABLES[name])]
        records = [{"table": name, **dict(zip(names, row, strict=True))} for row in table]
        if records:
            tables[name] = pa.Table.from_pylist(records, schema=schema)
    return tables


def assert_same_part(results: ArticleResults) -> None:
    assert part_tables(results) == rows(results)
    made, expected = part_arrow(results), by_rows(results)
    assert list(made) == list(expected)
    for name, table in expected.items():
        assert made[name].schema == table.schema
        assert made[name].equals(table), name
    assert part_bytes(made) == part_bytes(expected)


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[ArticleResults]:
    """A synthetic corpus with invalid articles, checked in shards of 15 articles."""
    root = tmp_path_factory.mktemp("index-part") / "corpus"
    generate(root, 60, seed=3, invalid=8, per_file=7)
    load_rules()
    reg = read_registries(read_inputs(root), [], tmp_path_factory.mktemp("registries"))
    sources = [with_bytes(root, source) for source in article_sources(root)]
    checked = []
    for start in range(0, len(sources), 15):
        results = ArticleResults()
        add_articles(root, sources[start : start + 15], reg, results)
        checked.append(results)
    return checked


def test_a_checked_shards_part_holds_the_rows_of_its_tables(
    shards: list[ArticleResults],
) -> None:
    for results in shards:
        assert_same_part(results)
    held = [rows(results) for results in shards]
    for name in ("claims", "articles", "mentions", "figure_claims", "figure_quantities"):
        assert any(tables[name] for tables in held), name
    assert any(results.problems for results in shards)


_ids = st.text("abc-1", min_size=1, max_size=6)
_text = st.none() | st.text(max_size=8)
_where = st.builds(
    Where,
    st.sampled_from(["a.jsonl", "b.yaml"]),
    st.none() | st.integers(1, 99),
    st.none() | st.integers(1, 99),
    st.text(max_size=12),
)
_span = st.none() | st.fixed_dictionaries(
    {"start": st.integers(0, 500), "end": st.integers(0, 500), "text": st.text(max_size=8)}
)
_problem = st.none() | st.tuples(
    st.lists(st.sampled_from(["mentions", 0, 3, "quote"]), max_size=3).map(tuple),
    st.text(max_size=10),
    _text,
)
_number = st.none() | st.integers(-5, 5) | st.floats(allow_nan=False)
_quantity = st.builds(
    FigureQuantity,
    st.sampled_from(["fatalities", "other"]),
    _number,
    _number,
    _number,
    st.sampled_from(["exact", "range"]),
)
_figure = st.builds(
    FigureClaim, _ids, st.lists(_quantity, max_size=3).map(tuple), st.frozensets(_ids, max_size=3)
)
_results = st.builds(
    ArticleResults,
    declared_articles=st.lists(_ids, max_size=4),
    article_origins=st.lists(st.tuples(_ids, _where), max_size=4),
    declared_claims=st.lists(_ids, max_size=4),
    claim_origins=st.lists(st.tuples(_ids, _where), max_size=6),
    relations=st.lists(st.tuples(_ids, _ids, _where), max_size=4),
    supersedes=st.lists(st.tuples(_ids, _ids, _where), max_size=4),
    mentions=st.lists(
        st.builds(MentionResult, st.integers(0, 9), st.integers(0, 9), _span, _problem),
        max_size=4,
    ),
    figure_claims=st.lists(_figure, max_size=3).map(lambda found: {f.id: f for f in found}),
)


@settings(max_examples=300, deadline=None)
@given(_results)
def test_results_of_every_shape_give_the_rows_of_their_tables(results: ArticleResults) -> None:
    assert_same_part(results)
