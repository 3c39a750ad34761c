"""Highlighting claims in the article body: nesting, crossing and paragraph breaks stay valid HTML."""

from html.parser import HTMLParser

from factcheck.web.annotate import Highlight, annotate


def hl(start: int, end: int, name: str) -> Highlight:
    return Highlight(
        start=start,
        end=end,
        anchor=f"claim-{name}",
        css_class=f"rating-{name}",
        chip_label=name.upper(),
        chip_prefix="Verdict:",
        chip_href=f"/claims/{name}/",
    )


class Balance(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check(paragraph: str) -> str:
    parser = Balance()
    parser.feed(paragraph)
    assert parser.stack == []
    return "".join(parser.text)


def test_a_claim_is_marked_with_its_id_and_a_chip_linking_to_its_page():
    [paragraph] = annotate("Satu dua tiga.", [hl(5, 8, "a")])
    assert paragraph == (
        'Satu <mark class="claim rating-a" id="claim-a">dua<a class="chip rating-a" href="/claims/a/">'
        '<span class="visually-hidden">Verdict: </span>A</a></mark> tiga.'
    )


def test_text_is_escaped():
    [paragraph] = annotate("<b>x</b> & y", [hl(3, 4, "a")])
    assert "&lt;b&gt;" in paragraph
    assert "&amp; y" in paragraph


def test_nested_claims_nest():
    body = "Awal klaim panjang dengan klaim pendek di dalamnya akhir."
    outer = hl(5, 50, "outer")
    inner = hl(body.index("klaim pendek"), body.index("klaim pendek") + len("klaim pendek"), "inner")
    [paragraph] = annotate(body, [inner, outer])
    assert check(paragraph).replace("Verdict: ", "").replace("OUTER", "").replace("INNER", "") == body
    assert paragraph.index('id="claim-outer"') < paragraph.index('id="claim-inner"')
    assert paragraph.count("<mark") == 2


def test_crossing_claims_are_split_and_stay_balanced():
    body = "aaa bbb ccc ddd"
    first, second = hl(0, 7, "first"), hl(4, 11, "second")
    [paragraph] = annotate(body, [first, second])
    check(paragraph)
    assert paragraph.count('id="claim-second"') == 1
    assert paragraph.count("claim-continued") == 1  # the second claim reopened after the first closes
    assert paragraph.count('href="/claims/first/"') == 1
    assert paragraph.count('href="/claims/second/"') == 1


def test_a_claim_across_a_line_break_continues_in_the_next_paragraph():
    body = "Satu dua.\nTiga empat.\n\nLima."
    paragraphs = annotate(body, [hl(5, 15, "a")])
    assert len(paragraphs) == 3
    for paragraph in paragraphs:
        check(paragraph)
    assert 'id="claim-a"' in paragraphs[0]
    assert "claim-continued" in paragraphs[1]
    assert 'href="/claims/a/"' in paragraphs[1]
    assert "<mark" not in paragraphs[2]


def test_spans_outside_the_body_are_ignored():
    assert annotate("abc", [hl(2, 10, "x")]) == ["abc"]
