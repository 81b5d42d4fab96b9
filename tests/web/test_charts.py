"""Chart geometry: round whole-number scales, bars in proportion, labels inside the chart."""

from __future__ import annotations

from romm_comm.web.charts import HEIGHT, WIDTH, bar_chart, line_chart


def test_the_scale_is_four_round_steps_reaching_the_largest_value() -> None:
    chart = bar_chart("Downloads", [("a", 3), ("b", 41)], "downloads")
    assert [t.text for t in chart.y_ticks] == ["0", "20", "40", "60", "80"]
    small = bar_chart("Downloads", [("a", 1)], "downloads")
    assert [t.text for t in small.y_ticks] == ["0", "1", "2", "3", "4"]
    big = line_chart("Games", [("a", 12_000)])
    assert big.y_ticks[-1].text == "20k"


def test_bars_are_in_proportion_and_everything_stays_inside_the_view() -> None:
    chart = bar_chart("Downloads", [(f"w{i}", i) for i in range(12)], "downloads")
    heights = [b.height for b in chart.bars]
    assert heights[0] == 0 and heights[4] * 2 == heights[8]
    assert all(b.x >= 0 and b.x + b.width <= WIDTH and b.y >= 0 for b in chart.bars)
    assert chart.x_ticks[-1].anchor in ("middle", "end")
    assert all(0 <= t.x <= WIDTH and 0 <= t.y <= HEIGHT for t in chart.x_ticks + chart.y_ticks)
    assert chart.bars[3].title == "w3: 3 downloads"


def test_empty_charts_say_so() -> None:
    assert line_chart("Games", []).empty
    assert bar_chart("Downloads", [("w1", 0)], "downloads").empty
    assert not line_chart("Games", [("d", 5)]).empty
