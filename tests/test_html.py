"""tests/html.py finds elements by tag and attributes, whatever their order or the whitespace."""

from tests.html import elements

PAGE = """<ul><li><a aria-current="page"
   href="?page=1">1</a></li><li><a href="?course=two&amp;page=2" rel="next">2</a></li></ul>
<select><option selected value="two">Two</option><option value="one">One</option></select>
<p class="box wide">Widget <code>x</code>
<input readonly value="v"><th scope="row">bob <small>late</small></th>"""


def test_attributes_match_in_any_order_with_entities_decoded():
    assert [a.text for a in elements(PAGE, "a", href="?page=1", aria_current="page")] == ["1"]
    assert [a.text for a in elements(PAGE, "a", rel="next", href="?course=two&page=2")] == ["2"]


def test_true_means_present_and_class_matches_one_of_its_words():
    assert [o.text for o in elements(PAGE, "option", selected=True)] == ["Two"]
    assert elements(PAGE, "input", readonly=True, value="v")
    assert [p.text for p in elements(PAGE, "p", class_="wide")][0].startswith("Widget x")


def test_an_element_missing_an_attribute_or_value_is_not_found():
    assert elements(PAGE, "option", value="one", selected=True) == []
    assert elements(PAGE, "a", rel="prev") == []


def test_text_includes_nested_elements_with_whitespace_collapsed():
    assert [th.text for th in elements(PAGE.encode(), "th", scope="row")] == ["bob late"]
