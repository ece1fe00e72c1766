"""The design system in a real browser: the phone header and its menu, the focus indicator."""

import re

import pytest

pytestmark = pytest.mark.browser

# The focused element's two rings and the colour of what lies behind it: the first
# ancestor with an opaque background (the page's white when none has one).
FOCUS_STYLE = """
element => {
  const style = getComputedStyle(element);
  let node = element.parentElement;
  let background = "rgb(255, 255, 255)";
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour.startsWith("rgb(")) { background = colour; break; }
    node = node.parentElement;
  }
  return {
    tag: element.tagName.toLowerCase(),
    text: (element.textContent || element.getAttribute("aria-label") || "").trim().slice(0, 40),
    outline: style.outlineColor,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    shadow: style.boxShadow,
    background,
  };
}
"""


def _rgb(css: str) -> tuple[int, int, int]:
    red, green, blue = re.search(r"rgba?\((\d+), (\d+), (\d+)", css).groups()
    return int(red), int(green), int(blue)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_wcag():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((0xFF, 0xBF, 0x47), (255, 255, 255)), 2) == 1.64


@pytest.mark.parametrize(
    ("path", "width"),
    [
        ("/fr/", 1280),
        ("/en/enterprises/?q=cooperative", 1280),
        ("/fr/statistiques/", 1280),
        ("/en/accessibility/", 390),
    ],
)
def test_focus_indicator_has_3_to_1_contrast_on_its_background(portal, new_page, path, width):
    """Each element reached with Tab shows a two-tone ring: both rings solid, at least 3:1
    against each other, and one of them at least 3:1 against the background behind it."""
    page = new_page(width=width)
    page.goto(portal + path)
    seen, failures = [], []
    for _ in range(45):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        style = page.evaluate(FOCUS_STYLE, focused)
        if style["tag"] == "body":
            break
        seen.append(style)
        outer, inner = _rgb(style["outline"]), _rgb(style["shadow"])
        background = _rgb(style["background"])
        best = max(contrast(outer, background), contrast(inner, background))
        if (
            style["outlineStyle"] != "solid"
            or style["outlineWidth"] < 2
            or contrast(outer, inner) < 3
            or best < 3
        ):
            failures.append((style, round(best, 2)))
    # The sample crosses the header, the menu, the content and the footer's backgrounds.
    assert len(seen) >= 12
    assert len({item["background"] for item in seen}) >= 3, {i["background"] for i in seen}
    assert failures == []


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
def test_phone_header_is_compact_and_its_menu_button_discloses_the_menu(portal, new_page, locale):
    page = new_page(locale=locale, width=390, height=844)
    page.goto(portal + "/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 80
    menu = page.locator("#site-menu")
    assert not menu.is_visible()
    button = page.locator(".menu-button")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert page.locator("#site-menu a").count() == 8
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-button"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_phone_menu_is_reachable_without_javascript(portal, browser):
    context = browser.new_context(
        locale="en-CA", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(portal + "/en/statistics/")
    assert page.locator(".site-header").bounding_box()["height"] < 80
    assert not page.locator("#site-menu").is_visible()
    page.get_by_role("link", name="Menu").click()
    assert page.get_by_role("link", name="Events").is_visible()
    page.get_by_role("link", name="Events").click()
    page.wait_for_url(re.compile(r"/en/events/$"))
    context.close()


@pytest.mark.parametrize("path", ["/fr/statistiques/", "/en/statistics/"])
def test_statistics_page_stays_under_2500_px_at_1280(portal, new_page, path):
    """Published figures first, tables folded and charts side by side keep the page short."""
    page = new_page(width=1280)
    page.goto(portal + path)
    assert page.evaluate("document.documentElement.scrollHeight") < 2500
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] in {"Chiffres publiés", "Published figures"}
