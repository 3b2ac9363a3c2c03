"""Fuzz-found page defects, each as a small fixed input (issue 9)."""

from __future__ import annotations

from scrape_helpers import HEAD, page


def _ids(spec: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(op["operationId"] for item in spec["paths"].values() for op in item.values())


def test_same_title_twice_in_one_category_gets_unique_ids(parse_pages) -> None:  # type: ignore[no-untyped-def]
    index = page("""
        All REST Endpoints
        Things/Foo
        Get Thing
        Method: get
        Path: /rest/apis/b
        Get Thing
        Method: get
        Path: /rest/apis/c
        Other/Foo
        Get Thing
        Method: post
        Path: /rest/apis/c
    """)
    result = parse_pages({"index.txt": index})
    assert not [d for d in result.diagnostics if d.level == "error"]
    assert _ids(result.spec) == [
        "getThingFooGetRestApisB",
        "getThingFooGetRestApisC",
        "getThingFooPostRestApisC",
    ]


DEEP_HEAD = (
    HEAD
    + """
    Root Schema : C1ActionBill
    Type: object
    Show Source
      • p0
"""
)


def _nested_pairs(pairs: int) -> str:
    """An array block and its items block, each owning the next pair: 2 levels per pair."""
    blocks = "".join(
        f"""
    Nested Schema : p{i}
    Type: array
    Show Source
    Nested Schema : items
    Type: object
    Show Source
      • p{i + 1}
"""
        for i in range(pairs)
    )
    return page(DEEP_HEAD + blocks)


def test_schema_nested_too_deep_is_a_located_error(parse_pages) -> None:  # type: ignore[no-untyped-def]
    text = _nested_pairs(80)
    first_too_deep = text.splitlines().index("Nested Schema : p20") + 1  # level 41
    root = text.splitlines().index("Root Schema : C1ActionBill") + 1
    # 400 pairs: deeper than the block grammar's own recursion goes
    for pages, line in ((text, first_too_deep), (_nested_pairs(400), root)):
        result = parse_pages({"deep.txt": pages})
        [error] = [d for d in result.diagnostics if d.level == "error"]
        assert error.code == "schema-too-deep"
        assert error.location is not None and error.location.line == line


def test_schema_nested_up_to_the_limit_parses(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"deep.txt": _nested_pairs(19)})
    assert not [d for d in result.diagnostics if d.level == "error"]
    node = result.spec["components"]["schemas"]["C1ActionBill"]
    for _ in range(19):
        node = node["properties"][next(iter(node["properties"]))]["items"]
    assert node["type"] == "object"


def _lost_lists(blocks: int) -> str:
    """A root and ``blocks`` object blocks in alphabetical order, every property list lost."""
    nested = "".join(
        f"""
    Nested Schema : a{i:03d}
    Type: object
    Show Source
"""
        for i in range(blocks)
    )
    return page(HEAD + "\nRoot Schema : C1ActionBill\nType: object\nShow Source\n" + nested)


def test_lost_property_lists_search_is_bounded(parse_pages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """60 such blocks needed ~10^9 parse extensions (about n^5; 40 took 36 million): the search
    stops weighing nestings at a fixed budget, nests greedily and says so at the root's line."""
    from generator.scrape import assemble, tree

    results: list[tree.TreeResult] = []

    def counted(body, hints):  # type: ignore[no-untyped-def]
        results.append(tree.rebuild(body, hints))
        return results[-1]

    monkeypatch.setattr(assemble, "rebuild", counted)
    text = _lost_lists(60)
    result = parse_pages({"lost.txt": text})
    [capped] = [d for d in result.diagnostics if d.code == "structure-search-capped"]
    assert capped.location is not None
    assert capped.location.line == text.splitlines().index("Root Schema : C1ActionBill") + 1
    [done] = results
    assert done.capped and done.work <= tree.WORK_BUDGET + 10 * 61
    assert len(result.spec["components"]["schemas"]["C1ActionBill"]["properties"]) == 60


def test_lost_property_lists_under_the_budget_are_weighed_exactly(parse_pages) -> None:  # type: ignore[no-untyped-def]
    result = parse_pages({"lost.txt": _lost_lists(12)})
    assert "structure-search-capped" not in [d.code for d in result.diagnostics]
    assert len(result.spec["components"]["schemas"]["C1ActionBill"]["properties"]) == 12


def _quadratic_heaviest(entries: list[tuple[int, str, float]]) -> set[int]:
    """The alphabetical-order filter as first written: every earlier entry tried (O(n^2))."""
    weight: list[float] = []
    back: list[int] = []
    for i, (_, name, own) in enumerate(entries):
        earlier = [j for j in range(i) if entries[j][1].lower() < name.lower()]
        best = max(earlier, key=lambda j: (weight[j], -j), default=None)
        extend = best is not None and weight[best] > 0
        weight.append(weight[best] + own if extend and best is not None else own)
        back.append(best if extend and best is not None else -1)
    i = max(range(len(entries)), key=lambda k: (weight[k], -k))
    keep = set()
    while i >= 0:
        keep.add(entries[i][0])
        i = back[i]
    return keep


def test_alphabetical_order_filter_is_n_log_n_and_picks_as_the_quadratic_rule(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """10,000 bullets took > 60 s when the filter tried every earlier entry (issue 9)."""
    import random

    from generator.scrape import names

    rng = random.Random(9)
    for _ in range(300):
        entries = [
            (i, rng.choice("aAbBcdE"), rng.choice([0.0, 0.5, 1.0, 2.0]))
            for i in range(rng.randint(1, 12))
        ]
        assert names._heaviest_increasing(entries) == _quadratic_heaviest(entries), entries
    steps = [0]

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        steps[0] += 1
        return max(*args, **kwargs)

    monkeypatch.setattr(names, "max", counted, raising=False)
    entries = [(i, f"w{rng.randrange(10**6):06d}", 1.0) for i in range(10_000)]
    names._heaviest_increasing(entries)
    assert steps[0] < 10_000 * 2 * 15  # two Fenwick walks of log2(10,000) ~ 14 steps each
