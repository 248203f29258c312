#!/usr/bin/env python3
"""Writes regressions/tflite-shared-tables-exceed-work-budget.bin: a TFLite FlatBuffer whose subgraphs vector holds
K references to one SubGraph whose tensors vector holds M references to one Tensor, so a naive walk visits K*M
tensors from a few kilobytes. The reader must refuse it (work budget) instead of walking it."""
import struct

K = M = 2000
out = bytearray()
def here(): return len(out)
def u32(v): out.extend(struct.pack("<I", v))
def i32(v): out.extend(struct.pack("<i", v))
def u16(*vs): out.extend(struct.pack("<" + "H" * len(vs), *vs))

u32(0)                      # root uoffset, patched below
out.extend(b"TFL3")
model_vtable = here(); u16(10, 16, 4, 8, 12); u16(0)
model = here(); i32(model - model_vtable); u32(3); u32(0); u32(0)
codes = here(); u32(0)
struct.pack_into("<I", out, model + 8, codes - (model + 8))
subgraphs = here(); u32(K)
slots = here(); out.extend(b"\0" * 4 * K)
struct.pack_into("<I", out, model + 12, subgraphs - (model + 12))
sub_vtable = here(); u16(6, 8, 4); u16(0)
sub = here(); i32(sub - sub_vtable); u32(0)
for k in range(K): struct.pack_into("<I", out, slots + 4 * k, sub - (slots + 4 * k))
tensors = here(); u32(M)
tslots = here(); out.extend(b"\0" * 4 * M)
struct.pack_into("<I", out, sub + 4, tensors - (sub + 4))
t_vtable = here(); u16(6, 8, 4); u16(0)
tensor = here(); i32(tensor - t_vtable); u32(0)
for m in range(M): struct.pack_into("<I", out, tslots + 4 * m, tensor - (tslots + 4 * m))
shape = here(); u32(2); i32(1); i32(1)
struct.pack_into("<I", out, tensor + 4, shape - (tensor + 4))
struct.pack_into("<I", out, 0, model)
open("regressions/tflite-shared-tables-exceed-work-budget.bin", "wb").write(out)
print(len(out), "bytes")
