"""In a real browser, with the keyboard alone: from the gallery to a downloaded letter, every step visibly focused."""

from .browsing import focused, pdf_fonts, pdf_of, pdf_text

# True when the focused element (or what draws its focus: a card's cover, a picker's card) shows a ring.
# A date field's last stop is its calendar button, inside the field's shadow DOM where a page's script
# cannot read styles; the stylesheet rings it (::-webkit-calendar-picker-indicator:focus-visible).
VISIBLE_FOCUS = """() => {
    const element = document.activeElement;
    const ring = (style) => style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const card = element.closest('.choice');
    const calendarButton = element.type === 'date' && !element.matches(':focus');
    return ring(getComputedStyle(element)) || ring(getComputedStyle(element, '::after'))
        || Boolean(card && ring(getComputedStyle(card))) || calendarButton;
}"""


def tab_to(page, wanted, limit=120):
    """Press Tab until `wanted(focus)` holds, checking that every stop on the way shows where it is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focused(page)
        assert page.evaluate(VISIBLE_FOCUS), f"no visible focus on {focus}"
        if wanted(focus):
            return focus
    raise AssertionError(f"never reached the wanted control; last focus {focused(page)}")


def test_the_whole_flow_by_keyboard(page, site):
    page.goto(site("/"))
    tab_to(page, lambda f: f["text"] == "Skip to the content")
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["id"] == "search-letters")  # the skip link lands on the content
    tab_to(page, lambda f: f["text"] == "An anniversary letter")
    page.keyboard.press("Enter")
    page.wait_for_url(site("/letters/anniversary"))

    for field, text in [("sender_name", "Sam Okafor"), ("recipient_name", "Chris Lindqvist"), ("years", "12"),
                        ("memory", "the night the car broke down outside Lyon")]:
        tab_to(page, lambda f, field=field: f["id"] == field)
        page.keyboard.type(text)
    tab_to(page, lambda f: f["name"] == "hand")
    for _ in range(20):
        if focused(page)["value"] == "kalam":
            break
        page.keyboard.press("ArrowRight")
    assert page.is_checked("#hand-kalam")
    tab_to(page, lambda f: f["text"] == "Preview the letter")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your letter to Chris Lindqvist")

    tab_to(page, lambda f: f["text"].startswith("Download PDF"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    pdf = pdf_of(download_info.value)
    assert "the night the car broke down outside Lyon" in pdf_text(pdf)
    assert any("Kalam" in font for font in pdf_fonts(pdf))


def test_every_control_on_the_form_can_be_reached_by_tab(page, site):
    page.goto(site("/letters/anniversary"))
    names = {name for name in page.eval_on_selector_all(
        "form[data-letter-form] [name]:not([type=hidden])",
        "els => els.filter(el => !el.closest('[hidden]')).map(el => el.name)")}  # shown once there is something
    reached = set()
    tab_to(page, lambda f: reached.add(f["name"]) or f["text"] == "Preview the letter", limit=200)
    assert names <= reached, names - reached
