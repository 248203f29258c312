#!/usr/bin/env python3
"""Writes two small model files for formats that have no fixture in tests/fixtures/models, using only Python's own
pickle, zipfile and a few lines of protobuf wire encoding (no framework is installed here):

fixtures/tiny_mobile.ptl  - a PyTorch Mobile (lite interpreter) archive laid out as torch.jit._save_for_lite_interpreter
                             writes it: <archive>/bytecode.pkl (version 5, two methods with operator tables), data.pkl,
                             constants.pkl, version, one tensor file under data/; entries stored uncompressed.
fixtures/tiny_graph.pb     - a frozen TensorFlow GraphDef: Placeholder [1,224,224,3] -> Conv2D (Const 3x3x3x8) ->
                             Relu -> Mean -> Softmax.
fixtures/saved_model.pb    - the same graph inside a SavedModel: schema version 1, one MetaGraphDef holding it.
fixtures/shape_ops.onnx    - an ONNX graph (opset 13) whose MACs need shapes through Pad (initializer pads), Conv,
                             ReduceMean, Split, Flatten and Gemm: x[1,3,32,32] -> Pad 1 -> Conv 8@3x3 -> ReduceMean
                             (2,3) -> Split in 2 -> Conv 4@1x1 -> Flatten -> Gemm 4x10.
fixtures/tiny.caffemodel   - a binary Caffe NetParameter: a Convolution layer with 8x3x3x3 weights and 8 biases, a
                             ReLU, and a legacy V1 INNER_PRODUCT layer whose 1x1x10x72 blob uses num/channels/height/width.
Run from tests/GaugeNN.Formats.Tests: python3 make_small_fixtures.py"""
import pickle, struct, zipfile

bytecode = (5,
    ("__torch__.Tiny.forward", (
        ("instructions", (("STOREN", 1, 2), ("OP", 0, 0), ("OP", 1, 0), ("OP", 0, 0), ("RET", 0, 0))),
        ("operators", (("aten::conv2d", "", 7), ("aten::relu", "", 1))),
        ("constants", ()), ("types", ()), ("register_size", 3))),
    ("__torch__.Tiny.classify", (
        ("instructions", (("STOREN", 1, 2), ("OP", 0, 0), ("RET", 0, 0))),
        ("operators", (("aten::conv2d", "", 7), ("aten::softmax", "int", 3))),
        ("constants", ()), ("types", ()), ("register_size", 2))))
with zipfile.ZipFile("fixtures/tiny_mobile.ptl", "w", zipfile.ZIP_STORED) as archive:
    archive.writestr("tiny/data.pkl", pickle.dumps({"training": False}, protocol=2))
    archive.writestr("tiny/bytecode.pkl", pickle.dumps(bytecode, protocol=2))
    archive.writestr("tiny/constants.pkl", pickle.dumps((), protocol=2))
    archive.writestr("tiny/version", b"5\n")
    archive.writestr("tiny/data/0", struct.pack("<8f", *range(8)))

def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F; v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v: return bytes(out)
def field(number, payload): return varint(number << 3 | 2) + varint(len(payload)) + payload
def vfield(number, value): return varint(number << 3) + varint(value)
def shape(dims): return b"".join(field(2, vfield(1, d)) for d in dims)
def attr(key, value): return field(5, field(1, key.encode()) + field(2, value))
def node(name, op, inputs=(), attrs=b""):
    return field(1, field(1, name.encode()) + field(2, op.encode()) + b"".join(field(3, i.encode()) for i in inputs) + attrs)
DT_FLOAT = 1
graph = (node("input", "Placeholder", attrs=attr("dtype", vfield(6, DT_FLOAT)) + attr("shape", field(7, shape([1, 224, 224, 3]))))
    + node("w", "Const", attrs=attr("dtype", vfield(6, DT_FLOAT))
           + attr("value", field(8, vfield(1, DT_FLOAT) + field(2, shape([3, 3, 3, 8])) + field(4, bytes(4 * 216)))))
    + node("conv", "Conv2D", ["input", "w"], attr("padding", field(2, b"SAME")))
    + node("relu", "Relu", ["conv"])
    + node("pool", "Mean", ["relu"])
    + node("prob", "Softmax", ["pool"])
    + field(4, vfield(1, 27)))
open("fixtures/tiny_graph.pb", "wb").write(graph)
open("fixtures/saved_model.pb", "wb").write(vfield(1, 1) + field(2, field(1, b"") + field(2, graph)))

def blob_shape(dims): return field(7, b"".join(vfield(1, d) for d in dims))
def packed_floats(n): return field(5, bytes(4 * n))
conv = (field(1, b"conv1") + field(2, b"Convolution") + field(3, b"data") + field(4, b"conv1")
        + field(7, blob_shape([8, 3, 3, 3]) + packed_floats(216)) + field(7, blob_shape([8]) + packed_floats(8)))
relu = field(1, b"relu1") + field(2, b"ReLU") + field(3, b"conv1") + field(4, b"conv1")
legacy_fc = (field(2, b"conv1") + field(3, b"fc") + field(4, b"fc") + vfield(5, 14)
             + field(6, vfield(1, 1) + vfield(2, 1) + vfield(3, 10) + vfield(4, 72) + packed_floats(720)))
net = field(1, b"tiny") + field(3, b"data") + field(100, conv) + field(100, relu) + field(2, legacy_fc)
open("fixtures/tiny.caffemodel", "wb").write(net)

def onnx_tensor(name, dims, data_type, raw):
    return b"".join(vfield(1, d) for d in dims) + vfield(2, data_type) + field(8, name.encode()) + field(9, raw)
def onnx_attr_ints(name, values): return field(1, name.encode()) + b"".join(vfield(8, v) for v in values) + vfield(20, 7)
def onnx_attr_int(name, value): return field(1, name.encode()) + vfield(3, value) + vfield(20, 2)
def onnx_node(op, inputs, outputs, attrs=()):
    return (b"".join(field(1, i.encode()) for i in inputs) + b"".join(field(2, o.encode()) for o in outputs)
            + field(4, op.encode()) + b"".join(field(5, a) for a in attrs))
def onnx_value(name, dims):
    return field(1, name.encode()) + field(2, field(1, vfield(1, 1) + field(2, b"".join(field(1, vfield(1, d)) for d in dims))))
FLOAT, INT64 = 1, 7
graph = (field(1, onnx_node("Pad", ["x", "pads"], ["padded"]))
    + field(1, onnx_node("Conv", ["padded", "w1"], ["c1"], [onnx_attr_ints("kernel_shape", [3, 3])]))
    + field(1, onnx_node("ReduceMean", ["c1"], ["m"], [onnx_attr_ints("axes", [2, 3]), onnx_attr_int("keepdims", 1)]))
    + field(1, onnx_node("Split", ["m"], ["s0", "s1"], [onnx_attr_int("axis", 1)]))
    + field(1, onnx_node("Conv", ["s0", "w2"], ["c2"]))
    + field(1, onnx_node("Flatten", ["c2"], ["f"]))
    + field(1, onnx_node("Gemm", ["f", "w3"], ["y"]))
    + field(2, b"shape_ops")
    + field(5, onnx_tensor("pads", [8], INT64, struct.pack("<8q", 0, 0, 1, 1, 0, 0, 1, 1)))
    + field(5, onnx_tensor("w1", [8, 3, 3, 3], FLOAT, bytes(4 * 216)))
    + field(5, onnx_tensor("w2", [4, 4, 1, 1], FLOAT, bytes(4 * 16)))
    + field(5, onnx_tensor("w3", [4, 10], FLOAT, bytes(4 * 40)))
    + field(11, onnx_value("x", [1, 3, 32, 32]))
    + field(12, onnx_value("y", [1, 10])))
model = vfield(1, 7) + field(2, b"make_small_fixtures") + field(7, graph) + field(8, field(1, b"") + vfield(2, 13))
open("fixtures/shape_ops.onnx", "wb").write(model)
