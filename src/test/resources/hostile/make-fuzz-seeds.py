#!/usr/bin/env python3
"""Writes the Jazzer seed corpora from the golden and hostile cases (re-run after adding cases).

Seeds live where jazzer-junit's regression mode reads them:
src/test/resources/io/segmentramen/fuzz/<FuzzTestClass>Inputs/<method>/.
FuzzedDataProvider reads choices from the end of the input: HttpCore seeds end in one byte
(1 = Content-Type application/json), Lambda seeds in two (that byte, then the payload shape 0-6).
"""
import binascii, json, os, pathlib, time

root = pathlib.Path(__file__).resolve().parents[1]          # src/test/resources
fuzz = root / "io/segmentramen/fuzz"

def substitute(text, i=0):
    return text.replace("{i}", str(i)).replace("{now}", str(int(time.time()))).replace("{uuid}", "00000000-0000-4000-8000-%012d" % i)

def hostile_bodies():
    for name in (root / "hostile/cases.txt").read_text().split("\n"):
        name = name.strip()
        if not name or name.startswith("#"):
            continue
        spec = json.loads((root / "hostile" / name / "case.json").read_text())
        encoding = spec.get("encoding", "UTF-8").replace("UTF-16", "utf-16")
        out = b""
        raw = root / "hostile" / name / "body.json"
        if raw.exists():
            out += substitute(raw.read_text()).encode(encoding)
        for part in spec.get("parts", []):
            if "hex" in part:
                out += binascii.unhexlify(part["hex"])
                continue
            out += part.get("joiner", "").join(substitute(part["text"], i) for i in range(part.get("times", 1))).encode(encoding)
        yield "hostile-" + name, out

def golden_bodies():
    for name in (root / "golden/cases.txt").read_text().split("\n"):
        name = name.strip()
        if name and not name.startswith("#"):
            yield "golden-" + name, (root / "golden" / name / "event.json").read_bytes()

def write(target, name, data):
    directory = fuzz / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)

bodies = list(golden_bodies()) + list(hostile_bodies())
for n, (name, body) in enumerate(bodies):
    write("BodyParserFuzzTestInputs/parse", name, body)
    if len(body) <= 40_000:
        write("HttpCoreFuzzTestInputs/post", name, body + b"\x01")
        write("LambdaHandlerFuzzTestInputs/sniff", name, body + b"\x01" + bytes([n % 7]))
