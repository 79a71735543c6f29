"""The growth table's extrapolation to 1,000,000 messages and its plot."""

from __future__ import annotations

import xml.dom.minidom

from bench.growth import EXTRAPOLATED, OPERATIONS, extrapolate, svg, table


def test_extrapolate_follows_the_power_law_through_the_two_largest_sizes():
    assert round(extrapolate([10_000, 100_000], [10.0, 100.0])) == 1_000
    assert round(extrapolate([1_000, 10_000, 100_000], [1.0, 10.0, 20.0]), 1) == 40.0


def test_extrapolate_holds_a_cost_that_fell_flat():
    assert extrapolate([10_000, 100_000], [40.0, 30.0]) == 30.0


def test_svg_is_a_well_formed_plot_naming_every_operation():
    figures = {name: {"p50_ms": 1.0 + n, "p95_ms": 2.0 + n} for n, name in enumerate(OPERATIONS)}
    runs = [{"messages": 10_000, "figures": figures}, {"messages": 100_000, "figures": figures}]
    text = svg(runs)
    xml.dom.minidom.parseString(text)  # noqa: S318 - our own output
    assert all(label.replace("`", "") in text for label in OPERATIONS.values())


def test_a_measured_million_is_not_extrapolated():
    names = ["baseline_floor", *OPERATIONS]
    figures = {name: {"p50_ms": 1.0 + n, "p95_ms": 2.0 + n} for n, name in enumerate(names)}
    measured = [{"messages": size, "figures": figures} for size in (10_000, 100_000, EXTRAPOLATED)]
    guessed = measured[:2]
    assert "extrapolated" not in " ".join(table(measured)) and "extrapolated" in " ".join(table(guessed))
    assert "stroke-dasharray" not in svg(measured) and "stroke-dasharray" in svg(guessed)
    assert all(len(line.split(" | ")) == 4 for line in table(measured)[2:])
