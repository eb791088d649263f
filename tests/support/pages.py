"""Reading the text and tables of a rendered page."""

import re
from html import unescape


def text_of(response):
    """The page's visible text, tags removed, whitespace squeezed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"</?(strong|b|em|span)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def table_html(response, css_class):
    html = response.content.decode()
    return re.search(
        rf'<table class="[^"]*{css_class}[^"]*">(.*?)</table>', html, flags=re.S
    ).group(1)


def cell_texts(html):
    return [
        unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, flags=re.S)
    ]
