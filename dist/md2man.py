#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""md2man: the Markdown of vxgate's documentation to a man page (man(7) macros).

Usage: md2man.py --name NAME --section N --summary TEXT [--version V] IN.md OUT

The manual pages are written in the same Markdown as the READMEs, and vxgate.yaml(5) is
config/README.md itself, so that the page cannot say other than the reference. Only what
those files use is understood: '#' headings (the first is the title, '##' a section,
'###' a subsection), paragraphs, '-' and '1.' lists with indented continuation lines,
fenced code blocks, tables (each row becomes a tagged paragraph: the first cell is the
tag, the others "header: cell"), `code`, **bold** and *italic*. The page's date is
SOURCE_DATE_EPOCH's (reproducible builds), or none.
"""
import argparse
import datetime
import os
import re
import sys


def esc(text):
    """Plain text for roff: backslashes escaped, nothing read as a request."""
    return text.replace("\\", "\\e")


def inline(text):
    """`code` bold with minus signs kept as such, **bold**, *italic*; the rest escaped."""
    out, pos = [], 0
    for m in re.finditer(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", text):
        out.append(esc(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append("\\fB" + esc(m.group(1)).replace("-", "\\-") + "\\fR")
        elif m.group(2) is not None:
            out.append("\\fB" + inline(m.group(2)) + "\\fR")
        else:
            out.append("\\fI" + esc(m.group(3)) + "\\fR")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def line(text):
    """One output line of text: a leading '.' or "'" would be a request."""
    return "\\&" + text if text[:1] in (".", "'") else text


def cells(row):
    """A table row's cells; '\\|' is a '|' inside a cell."""
    row = row.strip().strip("|")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


class Page:
    def __init__(self, out):
        self.out = out

    def emit(self, text):
        self.out.append(line(text))

    def paragraph(self, lines):
        self.out.append(".PP")
        self.emit(inline(" ".join(lines)))

    def item(self, mark, lines, width):
        self.out.append('.IP "%s" %d' % (mark, width))
        self.emit(inline(" ".join(lines)))

    def code(self, lines):
        self.out += [".PP", ".RS 4", ".nf"]
        self.out += [line(esc(s)) for s in lines]
        self.out += [".fi", ".RE"]

    def table(self, rows):
        head = cells(rows[0])
        for row in rows[2:]:
            c = cells(row)
            self.out.append(".TP")
            self.emit(inline(c[0]))
            parts = []
            for h, v in zip(head[1:], c[1:]):
                if v:
                    parts.append("%s: %s" % (h, v) if h else v)
            self.emit(inline("; ".join(parts)) if parts else "\\&")


def convert(md, name, section, summary, version):
    out = []
    date = ""
    if "SOURCE_DATE_EPOCH" in os.environ:
        t = datetime.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]),
                                             datetime.timezone.utc)
        date = t.strftime("%Y-%m-%d")
    manual = "System Administration" if section == "8" else "File Formats"
    out.append('.TH "%s" "%s" "%s" "vxgate %s" "%s"' % (name.upper(), section, date,
                                                        version, manual))
    out += [".SH NAME", "%s \\- %s" % (esc(name).replace("-", "\\-"), esc(summary))]
    page, lines = Page(out), md.split("\n")
    i, titled = 0, False
    while i < len(lines):
        s = lines[i]
        if s.startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            page.code(lines[i + 1:j])
            i = j + 1
        elif s.startswith("#"):
            level, title = len(s) - len(s.lstrip("#")), s.lstrip("#").strip()
            if level == 1 and not titled:
                out.append(".SH DESCRIPTION")  # the title itself is the NAME line's
                titled = True
            elif level <= 2:
                out += [".SH", line(inline(title.upper()))]
            else:
                out += [".SS", line(inline(title))]
            i += 1
        elif s.startswith("|"):
            j = i
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            page.table(lines[i:j])
            i = j
        elif re.match(r"(- |\d+\. )", s):
            mark = s.split(" ", 1)[0]
            j, body = i + 1, [s[len(mark) + 1:]]
            while j < len(lines) and lines[j].startswith("  ") and lines[j].strip():
                body.append(lines[j].strip())
                j += 1
            page.item("\\(bu" if mark == "-" else mark, body, 2 if mark == "-" else 4)
            i = j
        elif s.strip():
            j = i
            while (j < len(lines) and lines[j].strip() and
                   not re.match(r"(#|\||```|- |\d+\. )", lines[j])):
                j += 1
            page.paragraph([x.strip() for x in lines[i:j]])
            i = j
        else:
            i += 1
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--name", required=True)
    ap.add_argument("--section", required=True)
    ap.add_argument("--summary", required=True)
    ap.add_argument("--version", default="")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    with open(a.input, encoding="utf-8") as f:
        md = f.read()
    page = convert(md, a.name, a.section, a.summary, a.version)
    with open(a.output, "w", encoding="utf-8") as f:
        f.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
