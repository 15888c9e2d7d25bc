import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse

from mealplan import charts
from mealplan.tests.factories import fill_week

SVG = "{http://www.w3.org/2000/svg}"


def week_points():
    return [(f"Day {i}", value) for i, value in enumerate([420, 380, 0, 500, 419.6, 200, 421])]


def test_nice_max():
    assert charts.nice_max(0) == 1
    assert charts.nice_max(441) == 500
    assert charts.nice_max(120) == 200
    assert charts.nice_max(1000) == 1000


def test_bars_scale_to_the_target_line():
    chart = charts.bar_chart(
        chart_id="c", title="T", description="D", points=week_points(), target=420
    )
    assert chart.scale_max == 1000
    assert len(chart.bars) == 7
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert all(bar.height <= tallest.height for bar in chart.bars)
    # A bar that reaches the target reaches up to the target line.
    reached = chart.bars[0]
    assert reached.y == pytest.approx(chart.target.y1, abs=0.2)
    assert [bar.reached for bar in chart.bars] == [True, False, False, True, True, False, True]
    assert chart.bars[2].height == 0


def test_no_target_no_line():
    chart = charts.bar_chart(chart_id="c", title="T", description="D", points=[("a", 5.0)])
    assert chart.target is None
    assert chart.bars[0].reached is None


def test_horizontal_bars_grow_rightwards():
    chart = charts.bar_chart(
        chart_id="c",
        title="T",
        description="D",
        points=[("Greens", 300.0), ("Nuts", 150.0)],
        horizontal=True,
    )
    greens, nuts = chart.bars
    assert greens.x == nuts.x
    assert greens.width == pytest.approx(2 * nuts.width, abs=0.2)
    assert greens.y < nuts.y


def test_svg_is_well_formed_accessible_and_escaped():
    chart = charts.bar_chart(
        chart_id="days",
        title="Mg <per> day",
        description="Fish & chips",
        points=[("<b>Mon</b>", 300.0), ("Tue", 450.0)],
        target=420,
    )
    markup = charts.render_svg(chart)
    root = ET.fromstring(markup)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "days-title days-desc"
    assert root.find(f"{SVG}title").text == "Mg <per> day"
    assert root.find(f"{SVG}desc").text == "Fish & chips"
    assert len(root.findall(f".//{SVG}rect")) == 2
    assert "<b>" not in markup
    assert root.find(f"{SVG}line[@class='chart-target']") is not None
    assert 'style="' not in markup


def test_empty_chart_renders():
    chart = charts.bar_chart(chart_id="e", title="T", description="D", points=[], target=420)
    ET.fromstring(charts.render_svg(chart))


@pytest.mark.django_db
def test_chart_page_has_three_charts_and_tables(user_client, planned_week, week_start):
    url = reverse("mealplan:week_charts", kwargs={"week_start": week_start})
    response = user_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 3
    assert page.count('role="img"') == 3
    assert page.count("<table") == 3
    assert "Magnesium per day" in page and "Weekly average, last 12 weeks" in page
    assert "Greens and vegetables" in page  # the factories' category is vegetables
    assert len(re.findall(r"<td>yes</td>", page)) >= 7


@pytest.mark.django_db
def test_chart_page_rejects_a_non_monday_and_needs_login(client, user, profile, week_start):
    url = reverse("mealplan:week_charts", kwargs={"week_start": week_start})
    assert client.get(url).status_code == 302
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    tuesday = week_start + timedelta(days=1)
    bad = reverse("mealplan:week_charts", kwargs={"week_start": tuesday})
    assert client.get(bad).status_code == 404
    assert client.get("/plan/week/2026-13-01/charts/").status_code == 404


@pytest.mark.django_db
def test_chart_page_shows_only_my_week(client, other_user, planned_week, week_start):
    client.force_login(other_user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("mealplan:week_charts", kwargs={"week_start": week_start})
    page = client.get(url).content.decode()
    assert "Greens and vegetables" not in page


@pytest.mark.django_db
def test_chart_page_query_count_is_constant(
    user_client, profile, catalog, week_start, django_assert_max_num_queries
):
    url = reverse("mealplan:week_charts", kwargs={"week_start": week_start})
    user_client.get(url)
    with django_assert_max_num_queries(12):
        user_client.get(url)
    for weeks_back in (0, 1, 2, 5):
        fill_week(
            user=profile.user, week_start=week_start - timedelta(weeks=weeks_back), meals=catalog
        )
    with django_assert_max_num_queries(12):
        user_client.get(url)
