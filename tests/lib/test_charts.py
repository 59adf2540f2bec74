"""Server-made SVG charts: the same markup in pages and PDFs, escaped, CJK font named."""

from __future__ import annotations

from portal.lib import charts


def test_a_bar_chart_has_one_bar_per_point_and_names_the_cjk_font():
    points = [charts.Point(f"{m}/26", m * 100_00) for m in range(1, 13)]

    svg = str(charts.bar_chart(points, title="营业额"))

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 12
    assert "Noto Sans CJK SC" in svg and "<title>营业额</title>" in svg


def test_chart_labels_are_escaped():
    svg = str(charts.bar_chart([charts.Point("<b>", 1, title="<script>")], title="<i>"))

    assert "<script>" not in svg and "<b>" not in svg and "&lt;script&gt;" in svg


def test_targets_draw_a_marker_and_a_legend():
    points = [charts.Point("1", 50, target=100), charts.Point("2", 150, target=100)]

    svg = str(charts.bar_chart(points, title="t", target_label="Target"))

    assert svg.count(f'stroke="{charts.TARGET}"') == 3  # two markers and the legend
    assert ">Target</text>" in svg


def test_charts_use_no_style_attributes_so_pages_keep_the_csp():
    svg = str(charts.bar_chart([charts.Point("1", 5)], title="t"))
    bar = str(charts.progress_bar(0.5, label="half"))

    assert "style=" not in svg + bar


def test_an_empty_chart_still_renders():
    assert "<svg" in str(charts.bar_chart([], title="nothing"))


def test_progress_is_capped_at_the_full_bar():
    full = str(charts.progress_bar(3.0, label="x", width=100))

    assert 'width="100.0"' in full


def test_a_month_without_revenue_labels_its_axis_zero_once():
    """Issue 12 point 16: a zero-revenue chart labelled its axis "0.01, 0, 0, 0"."""
    import re

    def yuan(fen: int) -> str:
        return f"{fen / 100:g}" if fen % 100 else str(fen // 100)

    svg = str(
        charts.bar_chart(
            [charts.Point(label=m, value=0) for m in ("Sep", "Oct", "Nov")],
            title="Revenue",
            axis_format=yuan,
        )
    )

    axis = re.findall(r'text-anchor="end"[^>]*>([^<]*)<', svg)
    assert axis == ["0"]
