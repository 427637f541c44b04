"""Moving through pages by keyboard only, checking at every stop that focus can be seen.

`tab_to` presses Tab (or Shift+Tab) until the wanted element has focus. Every element
focus lands on on the way must show a focus indicator: its computed outline,
box-shadow, background or border must differ from the same element without focus,
it must match `:focus-visible`, and it must be on screen (WCAG 2.4.7 and 2.4.11).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Dialog, Locator, Page

# Compares the focused element's look with the same element blurred, then focuses it
# again. The last input was a key press, so the browser keeps it :focus-visible.
_FOCUS_SCRIPT = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {element: 'nothing', visible: false, changed: [], inView: false};
  }
  const sides = ['top', 'right', 'bottom', 'left'];
  const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow',
                 'background-color', 'color', 'text-decoration-line']
    .concat(sides.map(s => 'border-' + s + '-color'), sides.map(s => 'border-' + s + '-width'));
  const read = () => {
    const style = getComputedStyle(el);
    return Object.fromEntries(props.map(p => [p, style.getPropertyValue(p)]));
  };
  const focusVisible = el.matches(':focus-visible');
  const on = read();
  const box = el.getBoundingClientRect();
  el.blur();
  const off = read();
  el.focus({preventScroll: true});
  // What a person can see change: an outline, a shadow, a background, or a border that
  // is there (a border colour follows the text colour even when the border is 0 wide).
  const strong = ['outline-style', 'outline-width', 'box-shadow', 'background-color']
    .concat(sides.map(s => 'border-' + s + '-width'),
            sides.filter(s => parseFloat(on['border-' + s + '-width']) > 0)
                 .map(s => 'border-' + s + '-color'));
  const changed = strong.filter(p => on[p] !== off[p]);
  const outlined = on['outline-style'] !== 'none' && parseFloat(on['outline-width']) >= 2;
  const inView = box.bottom > 0 && box.right > 0 && box.top < window.innerHeight
    && box.left < window.innerWidth;
  const name = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 50);
  return {
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + name + '"',
    visible: focusVisible && (changed.length > 0 || outlined) && inView,
    focusVisible, changed, outlined, inView,
  };
}
"""


def focus_report(page: Page) -> dict[str, Any]:
    """Return what has focus and whether its focus indicator can be seen."""
    return dict(page.evaluate(_FOCUS_SCRIPT))


def assert_focus_visible(page: Page) -> str:
    """Fail unless the focused element shows a visible focus indicator; return its description."""
    report = focus_report(page)
    assert report["visible"], f"focus cannot be seen on {report['element']}: {report}"
    return str(report["element"])


def has_focus(target: Locator) -> bool:
    """Return True when `target` is the focused element."""
    return bool(target.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab) until `target` has focus, checking focus is visible at every stop.

    Raises AssertionError when `target` is not reached within `limit` presses (it is not
    in the tab order), or when focus is invisible anywhere on the way.
    """
    key = "Shift+Tab" if backwards else "Tab"
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        if has_focus(target):
            assert_focus_visible(page)
            return
        report = focus_report(page)
        # Past the last element focus leaves the page for the browser itself, then wraps.
        if report["element"] != "nothing":
            assert report["visible"], f"focus cannot be seen on {report['element']}: {report}"
        seen.append(str(report["element"]))
    raise AssertionError(f"{target} was not reached by {key}; focus went through: {seen}")


def press(page: Page, key: str) -> None:
    """Press a key on the focused element (Enter, Space, ...) after checking focus is visible."""
    assert_focus_visible(page)
    page.keyboard.press(key)


def activate(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Tab to a link or button and press Enter on it."""
    tab_to(page, target, backwards=backwards)
    press(page, "Enter")


def choose(page: Page, option: Locator) -> None:
    """Tick a checkbox, or select a radio button, by keyboard.

    A radio group is one tab stop: Tab reaches it, then the arrow keys move to the
    wanted option (selecting it); Space selects the first one.
    """
    kind = option.get_attribute("type")
    if kind == "checkbox":
        tab_to(page, option)
        if not option.is_checked():
            press(page, "Space")
        assert option.is_checked()
        return
    assert kind == "radio", f"not a checkbox or radio button: {option}"
    name = option.get_attribute("name")
    seen: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        seen.append(assert_focus_visible(page))
        if page.evaluate(
            "name => document.activeElement.type === 'radio'"
            " && document.activeElement.name === name",
            name,
        ):
            break
    else:
        raise AssertionError(f"the radio group {name} was not reached by Tab: {seen}")
    for _ in range(20):
        if has_focus(option):
            if not option.is_checked():
                press(page, "Space")
            assert option.is_checked()
            return
        press(page, "ArrowDown")
    raise AssertionError(f"{option} was not reached with the arrow keys")


def type_into(page: Page, field: Locator, text: str) -> None:
    """Tab to a text field and type into it (after emptying it with the keyboard)."""
    tab_to(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def pick(page: Page, select: Locator, text: str) -> None:
    """Choose an option of a drop-down list by keyboard: Tab to it, type its text's start.

    A closed list picks the first option that starts with what is typed, as people do.
    Raises AssertionError when another option ends up chosen.
    """
    tab_to(page, select)
    page.keyboard.type(text)
    chosen = select.evaluate("s => s.options[s.selectedIndex].text")
    assert chosen.startswith(text), f"typing {text!r} chose {chosen!r}"


def stay_on_leaving(page: Page) -> list[str]:
    """Answer every dialog the page opens by staying (the "Leave site?" question included)
    and return the list its types are added to, to check which were asked."""
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    return asked
