#!/usr/bin/env python3
"""Writes fixtures/external_buffer.tflite: a one-operator TFLite model (CONV_2D, input [1,8,8,3], filter [4,3,3,3],
output [1,6,6,4]) whose filter weights are stored the way models over 2 GB store them: not in Buffer.data but after
the FlatBuffer, addressed by Buffer.offset and Buffer.size from the start of the file. Built with a small forward
FlatBuffer writer (every table is written before its children, so every uoffset points forward)."""
import struct

out = bytearray()
def align(n):
    while len(out) % n: out.append(0)
def pos(): return len(out)
def patch_uoffset(at, target): struct.pack_into("<I", out, at, target - at)

def table(fields):
    """fields: list of (slot, kind, value); kind 'b','i','I','Q' scalars or 'off' (value = writer returning position)."""
    slots = max(s for s, _, _ in fields) + 1 if fields else 0
    align(4)
    vtable = pos()
    out.extend(b"\0" * (4 + 2 * slots))
    align(8)
    start = pos()
    out.extend(b"\0" * 4)  # soffset
    offsets, children = {}, []
    for slot, kind, value in fields:
        size = 4 if kind == "off" else struct.calcsize("<" + kind)
        while (pos() - start) % size: out.append(0)
        offsets[slot] = pos() - start
        if kind == "off":
            children.append((pos(), value)); out.extend(b"\0" * 4)
        else:
            out.extend(struct.pack("<" + kind, value))
    struct.pack_into("<i", out, start, start - vtable)
    struct.pack_into("<HH", out, vtable, 4 + 2 * slots, pos() - start)
    for slot, rel in offsets.items(): struct.pack_into("<H", out, vtable + 4 + 2 * slot, rel)
    for at, writer in children: patch_uoffset(at, writer())
    return start

def vector_of(kind, values):
    def write():
        align(4); at = pos(); out.extend(struct.pack("<I", len(values)))
        out.extend(b"".join(struct.pack("<" + kind, v) for v in values)); return at
    return write

def table_vector(writers):
    def write():
        align(4); at = pos(); out.extend(struct.pack("<I", len(writers)))
        slots = [pos() + 4 * i for i in range(len(writers))]; out.extend(b"\0" * 4 * len(writers))
        for slot, writer in zip(slots, writers): patch_uoffset(slot, writer())
        return at
    return write

def string(text):
    def write():
        align(4); at = pos(); data = text.encode(); out.extend(struct.pack("<I", len(data)) + data + b"\0"); return at
    return write

FLOAT32, CONV_2D = 0, 3
def tensor(name, shape, buffer): return lambda: table([(0, "off", vector_of("i", shape)), (1, "b", FLOAT32), (2, "I", buffer), (3, "off", string(name))])
weights = struct.pack("<108f", *[0.01 * i for i in range(108)])
external = {}
def external_buffer():
    external["table"] = table([(1, "Q", 0), (2, "Q", len(weights))])
    return external["table"]

out.extend(b"\0" * 4 + b"TFL3")
model = table([
    (0, "I", 3),
    (1, "off", table_vector([lambda: table([(0, "b", CONV_2D), (2, "i", 1), (3, "i", CONV_2D)])])),
    (2, "off", table_vector([lambda: table([
        (0, "off", table_vector([tensor("input", [1, 8, 8, 3], 0), tensor("filter", [4, 3, 3, 3], 1), tensor("output", [1, 6, 6, 4], 0)])),
        (1, "off", vector_of("i", [0])), (2, "off", vector_of("i", [2])),
        (3, "off", table_vector([lambda: table([(0, "I", 0), (1, "off", vector_of("i", [0, 1])), (2, "off", vector_of("i", [2]))])])),
        (4, "off", string("main"))])])),
    (3, "off", string("external buffer fixture")),
    (4, "off", table_vector([lambda: table([]), external_buffer])),
])
patch_uoffset(0, model)
align(16)
data_offset = pos()
# Buffer.offset is the first field after the soffset; with 8-byte alignment it sits at table + 8.
struct.pack_into("<Q", out, external["table"] + 8, data_offset)
out.extend(weights)
open("fixtures/external_buffer.tflite", "wb").write(out)
print(len(out), "bytes; weights at", data_offset)
