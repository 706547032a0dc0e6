"""Writes tests/fixtures/evtx-dump from tests/fixtures/basic/wevtutil.xml:
the same 129 events as evtx_dump would render them, once as JSON (a
`Record <n>` line before each pretty-printed event, attributes under
`#attributes`, EventID as an element object) and once as JSON lines
(attributes beside the element as `<name>_attributes`, EventID a number).

Run from the repository root: python3 tests/make_evtx_dump.py
"""
import json
import re
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
SRC = "tests/fixtures/basic/wevtutil.xml"
OUT = "tests/fixtures/evtx-dump/"


def events():
    text = open(SRC, encoding="utf-8").read()
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    root = ET.fromstring("<Root>" + text + "</Root>")
    return root.findall(NS + "Event")


def render(event, separate):
    system = event.find(NS + "System")
    out = {}
    for child in system:
        name = child.tag.replace(NS, "")
        attrs = dict(child.attrib)
        text = child.text
        if text is not None and text.isdigit():
            text = int(text)
        if attrs and separate:
            out[name] = text
            out[name + "_attributes"] = attrs
        elif attrs:
            out[name] = {"#attributes": attrs} if text is None else {"#attributes": attrs, "#text": text}
        else:
            out[name] = text
    data = [d.text or "" for d in event.find(NS + "EventData").findall(NS + "Data")]
    event_data = {"Data": {"#text": data[0] if len(data) == 1 else data}}
    body = {"System": out, "EventData": event_data}
    if separate:
        return {"Event": body, "Event_attributes": {"xmlns": NS.strip("{}")}}
    return {"Event": dict({"#attributes": {"xmlns": NS.strip("{}")}}, **body)}


def main():
    evs = events()
    with open(OUT + "evtx_dump.json", "w", encoding="utf-8", newline="\n") as f:
        for i, e in enumerate(evs, 1):
            f.write("Record %d\n" % i)
            f.write(json.dumps(render(e, False), indent=2, ensure_ascii=False))
            f.write("\n")
    with open(OUT + "evtx_dump.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for e in evs:
            f.write(json.dumps(render(e, True), ensure_ascii=False) + "\n")


main()
