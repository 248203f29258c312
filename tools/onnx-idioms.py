#!/usr/bin/python3
"""Builds small ONNX models that reproduce what real exporters write, and their ground truth.

Idioms (PyTorch's torch.onnx.export and tf2onnx):
  - Slice "to the end" with ends = INT64_MAX, reversal with starts -1, ends -INT64_MAX, steps -1 (torch.flip),
    Slice with attributes (opset 9) and with Constant-node operands (opset 13);
  - Gather with scalar and tensor indices, Pad with a constant pads input, Expand, Range, ConstantOfShape, Tile,
    Reshape with 0 (copy) and -1 (infer), Shape -> Gather -> Unsqueeze -> Concat -> Reshape (x.view(x.size(0), -1));
  - If branches, Loop bodies with scan outputs, Scan bodies; symbolic `batch` / `sequence` dims and tf2onnx's
    `unk__N` dims; several opset imports (ai.onnx, ai.onnx.ml, com.microsoft) and a com.microsoft op;
  - initializers stored as external data (the .onnx alone is the fixture: params come from the declared dims);
  - two models exported by PyTorch itself (Debian's python3-torch), scripted so that `if` becomes an If node.

Writes tests/fixtures/onnx-idioms/*.onnx and truth.json: per model the fields of expected-models.json (DEFINITIONS.md,
ONNX section) computed here from the protobuf and onnx.shape_inference.infer_shapes, plus the inferred shape of every
tensor a node produces (graph/tensor; onnx's generated `unk__N` symbols written as null), and the names of the nodes
whose MACs stay unknown. Nothing here comes from gaugeNN.

Needs Debian's python3-onnx (1.12 on bookworm) and python3-torch (1.13). Run from the repository root:
    /usr/bin/python3 tools/onnx-idioms.py
"""
import collections
import hashlib
import json
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

OUT = os.path.join("tests", "fixtures", "onnx-idioms")
I64_MAX = 2**63 - 1
rng = np.random.RandomState(9)


def weights(name, *shape):
    return nh.from_array(rng.uniform(-1, 1, shape).astype(np.float32), name)


def const(name, values, dtype=np.int64):
    """A Constant node as PyTorch writes them: a `value` tensor attribute."""
    return h.make_node("Constant", [], [name], name=name + "_const", value=nh.from_array(np.array(values, dtype=dtype), name))


def value(name, elem, shape):
    return h.make_tensor_value_info(name, elem, shape)


def model(graph, opsets, producer=("gaugenn-onnx-idioms", "1")):
    m = h.make_model(graph, opset_imports=[h.make_opsetid(d, v) for d, v in opsets],
                     producer_name=producer[0], producer_version=producer[1])
    m.ir_version = 8
    return m


# ---- 1. PyTorch idioms at opset 13: INT64_MAX slices, flip, view(size(0), -1), If branches ----
def pytorch_slices_if():
    then_branch = h.make_graph(
        [h.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["then_y"], name="then_gemm", transB=1)],
        "then_branch", [], [value("then_y", T.FLOAT, None)])
    else_branch = h.make_graph(
        [const("two", 2.0, np.float32),
         h.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["else_g"], name="else_gemm", transB=1),
         h.make_node("Mul", ["else_g", "two"], ["else_y"], name="else_mul")],
        "else_branch", [], [value("else_y", T.FLOAT, None)])
    nodes = [
        h.make_node("Conv", ["x", "conv_w", "conv_b"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        h.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        const("s_start", [1]), const("s_end", [I64_MAX]), const("s_axes", [2]), const("s_steps", [1]),
        h.make_node("Slice", ["r1", "s_start", "s_end", "s_axes", "s_steps"], ["sliced"], name="slice_to_end"),
        const("f_start", [-1]), const("f_end", [-I64_MAX]), const("f_axes", [3]), const("f_steps", [-1]),
        h.make_node("Slice", ["sliced", "f_start", "f_end", "f_axes", "f_steps"], ["flipped"], name="flip"),
        h.make_node("Conv", ["flipped", "conv2_w"], ["c2"], name="conv2", kernel_shape=[3, 3], strides=[2, 2]),
        h.make_node("GlobalAveragePool", ["c2"], ["pooled"], name="gap"),
        # x.view(x.size(0), -1): the size is read at run time, so only the rank of the result is known.
        h.make_node("Shape", ["pooled"], ["pshape"], name="shape"),
        const("zero", 0),
        h.make_node("Gather", ["pshape", "zero"], ["n"], name="gather_n", axis=0),
        const("unsq_axes", [0]),
        h.make_node("Unsqueeze", ["n", "unsq_axes"], ["n1"], name="unsq_n"),
        const("minus_one", [-1]),
        h.make_node("Concat", ["n1", "minus_one"], ["view_shape"], name="concat_shape", axis=0),
        h.make_node("Reshape", ["pooled", "view_shape"], ["viewed"], name="view"),
        # The exporter's constant-folded twin: Flatten keeps the channels known.
        h.make_node("Flatten", ["pooled"], ["flat"], name="flatten", axis=1),
        h.make_node("Gemm", ["viewed", "fc_w", "fc_b"], ["dyn"], name="gemm_after_view", transB=1),
        h.make_node("ReduceSum", ["flat"], ["total"], name="sum", keepdims=0),
        const("zero_f", 0.0, np.float32),
        h.make_node("Greater", ["total", "zero_f"], ["cond"], name="greater"),
        h.make_node("If", ["cond"], ["y"], name="branch", then_branch=then_branch, else_branch=else_branch),
    ]
    graph = h.make_graph(nodes, "pytorch_slices_if", [value("x", T.FLOAT, ["batch", 3, 16, 16])],
                         [value("y", T.FLOAT, ["batch", 4]), value("dyn", T.FLOAT, None)],
                         initializer=[weights("conv_w", 8, 3, 3, 3), weights("conv_b", 8), weights("conv2_w", 8, 8, 3, 3),
                                      weights("fc_w", 4, 8), weights("fc_b", 4)])
    return model(graph, [("", 13)], ("pytorch", "1.13.1"))


# ---- 2. PyTorch at opset 9: Slice with attributes, Upsample with a scales input, Pad with attributes ----
def pytorch_opset9():
    nodes = [
        h.make_node("Slice", ["x"], ["s"], name="slice_attr", axes=[2, 3], starts=[2, -14], ends=[I64_MAX, -2]),
        h.make_node("Pad", ["s"], ["p"], name="pad_attr", mode="constant", pads=[0, 0, 1, 0, 0, 0, 1, 0]),
        h.make_node("Upsample", ["p", "scales"], ["u"], name="upsample", mode="nearest"),
        h.make_node("Conv", ["u", "w"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=2),
        h.make_node("MaxPool", ["c"], ["m"], name="pool", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        h.make_node("Transpose", ["m"], ["t"], name="to_nhwc", perm=[0, 2, 3, 1]),
        h.make_node("MatMul", ["t", "proj"], ["y"], name="project"),
    ]
    graph = h.make_graph(nodes, "pytorch_opset9", [value("x", T.FLOAT, [1, 4, 20, 20])], [value("y", T.FLOAT, None)],
                         initializer=[nh.from_array(np.array([1, 1, 2, 2], np.float32), "scales"),
                                      weights("w", 6, 2, 3, 3), weights("proj", 6, 5)])
    return model(graph, [("", 9)], ("pytorch", "1.8.0"))


# ---- 3. tf2onnx idioms: NHWC transposes, unk__ dims, Loop and Scan, several opsets, a contrib op ----
def tf2onnx_loop_scan():
    loop_body = h.make_graph(
        [h.make_node("Identity", ["cond_in"], ["cond_out"], name="loop_cond"),
         h.make_node("MatMul", ["state", "loop_w"], ["state_mm"], name="loop_matmul"),
         h.make_node("Relu", ["state_mm"], ["state_out"], name="loop_relu"),
         h.make_node("MatMul", ["state", "loop_w"], ["step_out"], name="loop_scan_matmul")],
        "loop_body",
        [value("iter", T.INT64, []), value("cond_in", T.BOOL, []), value("state", T.FLOAT, None)],
        [value("cond_out", T.BOOL, []), value("state_out", T.FLOAT, None), value("step_out", T.FLOAT, None)])
    scan_body = h.make_graph(
        [h.make_node("MatMul", ["row", "scan_w"], ["row_mm"], name="scan_matmul"),
         h.make_node("Add", ["acc", "row_mm"], ["acc_out"], name="scan_add"),
         h.make_node("Identity", ["row_mm"], ["row_out"], name="scan_identity")],
        "scan_body", [value("acc", T.FLOAT, None), value("row", T.FLOAT, None)],
        [value("acc_out", T.FLOAT, None), value("row_out", T.FLOAT, None)])
    nodes = [
        h.make_node("Transpose", ["images"], ["nchw"], name="to_nchw", perm=[0, 3, 1, 2]),
        h.make_node("Conv", ["nchw", "conv_w"], ["c"], name="conv", kernel_shape=[3, 3], auto_pad="SAME_UPPER", strides=[2, 2]),
        h.make_node("Transpose", ["c"], ["nhwc"], name="to_nhwc", perm=[0, 2, 3, 1]),
        const("rs", [0, -1]),
        h.make_node("Reshape", ["nhwc", "rs"], ["rows"], name="reshape_rows"),
        h.make_node("FusedMatMul", ["rows", "contrib_w"], ["contrib"], name="contrib_fused", domain="com.microsoft", alpha=1.0),
        h.make_node("MatMul", ["contrib", "after_w"], ["after_contrib"], name="matmul_after_contrib"),
        h.make_node("Gemm", ["rows", "gemm_w"], ["g"], name="gemm", transB=1),
        const("trip", 3), const("keep_going", True, np.bool_),
        h.make_node("Loop", ["trip", "keep_going", "g"], ["loop_final", "loop_steps"], name="loop", body=loop_body),
        h.make_node("Scan", ["acc0", "seq"], ["scan_final", "scan_rows"], name="scan", body=scan_body, num_scan_inputs=1),
        h.make_node("MatMul", ["scan_rows", "tail_w"], ["tail"], name="matmul_after_scan"),
        h.make_node("Shape", ["seq"], ["seq_shape"], name="seq_shape"),
        h.make_node("ConstantOfShape", ["seq_shape"], ["zeros_like_seq"], name="zeros_like",
                    value=nh.from_array(np.array([0], np.float32))),
        const("cos_shape", [2, 6]),
        h.make_node("ConstantOfShape", ["cos_shape"], ["cos"], name="constant_of_shape"),
        const("r_start", 0), const("r_limit", 10), const("r_delta", 3),
        h.make_node("Range", ["r_start", "r_limit", "r_delta"], ["positions"], name="range"),
        const("expand_to", [4, 1, 6]),
        h.make_node("Expand", ["cos", "expand_to"], ["expanded"], name="expand"),
        const("tile_repeats", [1, 2, 1]),
        h.make_node("Tile", ["expanded", "tile_repeats"], ["tiled"], name="tile"),
        const("pads", [0, 1, 0, 0, 1, 0]),
        h.make_node("Pad", ["tiled", "pads"], ["padded"], name="pad"),
        const("gidx", [[0, 2], [1, 3]]),
        h.make_node("Gather", ["padded", "gidx"], ["gathered"], name="gather_matrix", axis=1),
        const("rs2", [-1, 0, 6]),
        h.make_node("Reshape", ["gathered", "rs2"], ["regrouped"], name="reshape_infer"),
        h.make_node("MatMul", ["regrouped", "mm_w"], ["mm"], name="batched_matmul"),
        const("sq_axes", [1]),
        h.make_node("Unsqueeze", ["mm", "sq_axes"], ["mm_u"], name="unsqueeze"),
        h.make_node("Squeeze", ["mm_u", "sq_axes"], ["mm_s"], name="squeeze"),
    ]
    graph = h.make_graph(
        nodes, "tf2onnx_loop_scan",
        [value("images", T.FLOAT, ["unk__21", 8, 8, 3]), value("acc0", T.FLOAT, [5]), value("seq", T.FLOAT, ["sequence", 7])],
        [value("loop_final", T.FLOAT, None), value("loop_steps", T.FLOAT, None), value("scan_final", T.FLOAT, [5]),
         value("tail", T.FLOAT, None), value("after_contrib", T.FLOAT, None), value("mm_s", T.FLOAT, None),
         value("positions", T.INT64, None), value("zeros_like_seq", T.FLOAT, None)],
        initializer=[weights("conv_w", 4, 3, 3, 3), weights("contrib_w", 64, 8), weights("after_w", 8, 2),
                     weights("gemm_w", 10, 64), weights("loop_w", 10, 10), weights("scan_w", 7, 5), weights("tail_w", 5, 3),
                     weights("mm_w", 6, 2)])
    return model(graph, [("", 13), ("ai.onnx.ml", 2), ("com.microsoft", 1)], ("tf2onnx", "1.9.3 1190aa"))


# ---- 4. Symbolic batch and sequence, as a text encoder exported with dynamic axes ----
def symbolic_sequence():
    nodes = [
        h.make_node("Gather", ["embedding", "input_ids"], ["embedded"], name="embed", axis=0),
        h.make_node("MatMul", ["embedded", "q_w"], ["q"], name="query"),
        h.make_node("Transpose", ["q"], ["q_t"], name="q_transpose", perm=[0, 2, 1]),
        h.make_node("MatMul", ["q", "q_t"], ["scores"], name="scores"),
        h.make_node("Softmax", ["scores"], ["attn"], name="softmax", axis=-1),
        h.make_node("ReduceMean", ["embedded"], ["pooled"], name="mean_over_sequence", axes=[1], keepdims=0),
        h.make_node("Gemm", ["pooled", "cls_w"], ["logits"], name="classifier", transB=1),
    ]
    graph = h.make_graph(nodes, "symbolic_sequence",
                         [value("input_ids", T.INT64, ["batch", "sequence"])],
                         [value("logits", T.FLOAT, ["batch", 3]), value("attn", T.FLOAT, ["batch", "sequence", "sequence"])],
                         initializer=[weights("embedding", 50, 16), weights("q_w", 16, 16), weights("cls_w", 3, 16)])
    return model(graph, [("", 13)], ("pytorch", "2.1.0"))


# ---- 5. External-data initializers: the weights live in another file, not shipped with the model ----
def external_data():
    nodes = [
        h.make_node("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[5, 5]),
        h.make_node("Flatten", ["c"], ["f"], name="flatten"),
        h.make_node("MatMul", ["f", "fc"], ["y"], name="fc"),
    ]
    graph = h.make_graph(nodes, "external_data", [value("x", T.FLOAT, [1, 2, 12, 12])], [value("y", T.FLOAT, [1, 10])],
                         initializer=[weights("w", 6, 2, 5, 5), weights("fc", 384, 10), nh.from_array(np.arange(4, dtype=np.int64), "unused_ids")])
    m = model(graph, [("", 13)])
    for tensor in m.graph.initializer:
        onnx.external_data_helper.set_external_data(tensor, location="external_data.weights")
        tensor.ClearField("raw_data")
        tensor.data_location = T.EXTERNAL
    return m


# ---- 6. Real exports by torch.onnx.export (PyTorch 1.13 from Debian) ----
def torch_exports():
    import torch

    torch.manual_seed(9)

    class Flipper(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 6, 3, padding=1)
            self.fc = torch.nn.Linear(6, 4)

        def forward(self, x):
            y = self.conv(x)[:, :, 1:, :]
            y = torch.flip(y, [3])
            z = y.mean(dim=(2, 3))
            if bool(z.sum() > 0):
                z = self.fc(z)
            else:
                z = self.fc(z) * 2
            return z.view(z.size(0), -1)

    class Recurrent(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = torch.nn.Linear(8, 8)

        def forward(self, x, steps: int):
            h = x
            for _ in range(steps):
                h = torch.relu(self.proj(h))
            return h

    made = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.onnx")
        torch.onnx.export(torch.jit.script(Flipper()), (torch.randn(1, 3, 8, 8),), path, opset_version=13,
                          input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
        made["torch_flip_if.onnx"] = onnx.load(path)
        torch.onnx.export(torch.jit.script(Recurrent()), (torch.randn(2, 8), 3), path, opset_version=14,
                          input_names=["x", "steps"], output_names=["h"], dynamic_axes={"x": {0: "batch"}})
        made["torch_loop.onnx"] = onnx.load(path)
    return made


# ---- truth ----
def dims_of(type_proto):
    t = type_proto.tensor_type
    if not t.HasField("shape"):
        return None
    return [d.dim_value if d.HasField("dim_value") else d.dim_param if d.HasField("dim_param") else None for d in t.shape.dim]


def declared_symbols(m):
    """Every dim_param the file itself writes (tf2onnx writes unk__N names of its own)."""
    symbols = set()
    for _, g in graphs(m.graph):
        for vi in list(g.input) + list(g.output) + list(g.value_info):
            symbols.update(d for d in dims_of(vi.type) or [] if isinstance(d, str))
    return symbols


def generated(shape, declared):
    """onnx names the dims it cannot infer unk__N; those are unknown, not symbols the file declares."""
    return None if shape is None else [None if isinstance(d, str) and d.startswith("unk__") and d not in declared else d for d in shape]


def graphs(graph, path=""):
    yield path + graph.name, graph
    for node in graph.node:
        for a in node.attribute:
            for g in ([a.g] if a.type == onnx.AttributeProto.GRAPH else list(a.graphs)):
                yield from graphs(g, path + graph.name + "/")


def op_key(node):
    return f"{node.domain}::{node.op_type}" if node.domain else node.op_type


def tensor_elements(t):
    return int(np.prod(t.dims)) if len(t.dims) else 1


def truth(m):
    main = m.graph
    all_graphs = list(graphs(main))
    inferred = onnx.shape_inference.infer_shapes(m, strict_mode=False)
    inferred_graphs = dict(graphs(inferred.graph))
    symbols = declared_symbols(m)
    dtype_names = {v: k for k, v in T.DataType.items()}

    params = params_main = int8 = 0
    dtypes = collections.Counter()
    ops = collections.Counter()
    quantized = False
    for path, g in all_graphs:
        for t in g.initializer:
            n = tensor_elements(t)
            params += n
            params_main += n if g is main else 0
            dtypes[dtype_names[t.data_type]] += n
            int8 += t.data_type in (T.INT8, T.UINT8)
        for node in g.node:
            ops[op_key(node)] += 1
            quantized |= node.op_type in ("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "ConvInteger",
                                          "MatMulInteger") or node.op_type.startswith("QLinear")
            if node.op_type == "Constant" and not node.domain:
                for a in node.attribute:
                    n, dt = {"value": lambda: (tensor_elements(a.t), a.t.data_type), "value_float": lambda: (1, T.FLOAT),
                             "value_int": lambda: (1, T.INT64), "value_floats": lambda: (len(a.floats), T.FLOAT),
                             "value_ints": lambda: (len(a.ints), T.INT64)}.get(a.name, lambda: (None, None))()
                    if n is not None:
                        params += n
                        params_main += n if g is main else 0
                        dtypes[dtype_names[dt]] += n

    # Shapes per graph: graph inputs (of every enclosing graph), initializer and Constant dims, inferred values.
    macs = macs_main = unknown = unknown_main = 0
    unknown_nodes = []
    tensor_shapes = {}
    for path, g in all_graphs:
        ig = inferred_graphs[path]
        scope = {}
        # A subgraph sees the names of every graph that encloses it (path prefixes), its own last.
        chain = [p for p, _ in all_graphs if path == p or path.startswith(p + "/")]
        for p in sorted(chain, key=len):
            og, oig = dict(all_graphs)[p], inferred_graphs[p]
            for t in og.initializer:
                scope[t.name] = list(t.dims)
            for vi in list(oig.input) + list(oig.value_info) + list(oig.output):
                scope[vi.name] = generated(dims_of(vi.type), symbols)
            for node in og.node:
                if node.op_type == "Constant" and not node.domain:
                    for a in node.attribute:
                        if a.name == "value":
                            scope[node.output[0]] = list(a.t.dims)
        for node in g.node:
            for o in node.output:
                if o:
                    tensor_shapes[f"{g.name}/{o}"] = scope.get(o)
            if node.domain or node.op_type not in ("Conv", "ConvTranspose", "Gemm", "MatMul"):
                continue
            n = node_macs(node, scope)
            if n is None:
                unknown += 1
                unknown_main += g is main
                unknown_nodes.append(node.name or node.output[0])
            else:
                macs += n
                macs_main += n if g is main else 0

    def io(vi):
        return {"name": vi.name, "shape": dims_of(vi.type) or [], "elem_type": dtype_names[vi.type.tensor_type.elem_type]}

    initializer_names = {t.name for t in main.initializer}
    return {
        "framework": "onnx",
        "sha256": None,
        "ir_version": m.ir_version,
        "opset_import": [{"domain": o.domain, "version": o.version} for o in m.opset_import],
        "producer_name": m.producer_name,
        "producer_version": m.producer_version,
        "node_count": len(main.node),
        "node_count_all_graphs": sum(ops.values()),
        "subgraph_count": len(all_graphs) - 1,
        "op_histogram_all_graphs": dict(sorted(ops.items())),
        "params": params,
        "params_main_graph": params_main,
        "weight_dtype_histogram": dict(sorted(dtypes.items())),
        "int8_uint8_initializers": int8,
        "external_data_initializers": sum(1 for _, g in all_graphs for t in g.initializer if t.data_location == T.EXTERNAL),
        "quantized": quantized,
        "macs": macs,
        "flops": 2 * macs,
        "macs_unknown_nodes": unknown,
        "macs_main_graph": macs_main,
        "macs_unknown_nodes_main_graph": unknown_main,
        "unknown_mac_nodes": sorted(unknown_nodes),
        "inputs": [io(vi) for vi in main.input if vi.name not in initializer_names],
        "outputs": [io(vi) for vi in main.output],
        "tensor_shapes": tensor_shapes,
    }


def node_macs(node, scope):
    """DEFINITIONS.md: an unknown or symbolic batch counts as 1; any other needed unknown dim makes the node unknown."""
    def shape(i):
        return scope.get(node.input[i]) if i < len(node.input) and node.input[i] else None

    def known(dims):
        return all(isinstance(d, int) for d in dims)

    def batch(d):
        return d if isinstance(d, int) else 1

    attrs = {a.name: h.get_attribute_value(a) for a in node.attribute}
    if node.op_type == "Conv":
        y, w = scope.get(node.output[0]), shape(1)
        if y is None or w is None or len(y) < 3 or len(w) != len(y):
            return None
        dims = [*y[2:], y[1], *w[2:], w[1]]
        return int(np.prod(dims)) * batch(y[0]) if known(dims) else None
    if node.op_type == "ConvTranspose":
        x, w = shape(0), shape(1)
        if x is None or w is None or len(x) < 3 or len(w) != len(x):
            return None
        dims = [*x[2:], x[1], *w[2:], w[1]]
        return int(np.prod(dims)) * batch(x[0]) if known(dims) else None
    if node.op_type == "Gemm":
        a, b = shape(0), shape(1)
        if a is None or b is None or len(a) != 2 or len(b) != 2:
            return None
        m, k = (a[1], a[0]) if attrs.get("transA", 0) else (a[0], a[1])
        n = b[0] if attrs.get("transB", 0) else b[1]
        return batch(m) * k * n if known([k, n]) else None
    a, b = shape(0), shape(1)
    if a is None or b is None or not a or not b:
        return None
    left = [1, a[0]] if len(a) == 1 else [batch(a[0])] + list(a[1:])
    right = [b[0], 1] if len(b) == 1 else list(b)
    rank = max(len(left), len(right)) - 2
    lb = [1] * (rank - (len(left) - 2)) + left[:-2]
    rb = [1] * (rank - (len(right) - 2)) + right[:-2]
    dims = [left[-2], right[-1], left[-1]]
    if not known(dims + lb + rb):
        return None
    return int(np.prod(dims)) * int(np.prod([max(x, y) for x, y in zip(lb, rb)]))


def main():
    if not onnx.__version__.startswith("1.12"):
        print(f"note: truth made with onnx {onnx.__version__}; the checked-in truth used 1.12 (Debian bookworm)", file=sys.stderr)
    os.makedirs(OUT, exist_ok=True)
    built = {
        "pytorch_slices_if.onnx": pytorch_slices_if(),
        "pytorch_opset9.onnx": pytorch_opset9(),
        "tf2onnx_loop_scan.onnx": tf2onnx_loop_scan(),
        "symbolic_sequence.onnx": symbolic_sequence(),
        "external_data.onnx": external_data(),
        **torch_exports(),
    }
    models = {}
    for name, m in built.items():
        data = m.SerializeToString()
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        entry = truth(m)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        entry["bytes"] = len(data)
        models[name] = entry
    with open(os.path.join(OUT, "truth.json"), "w") as f:
        json.dump({"generator": "tools/onnx-idioms.py", "onnx_version": onnx.__version__, "models": models}, f, indent=1, sort_keys=True)
        f.write("\n")
    for name, entry in models.items():
        print(f"{name}: {entry['bytes']} bytes, {entry['node_count_all_graphs']} nodes, params {entry['params']}, "
              f"MACs {entry['macs']}, unknown {entry['unknown_mac_nodes']}")


if __name__ == "__main__":
    main()
