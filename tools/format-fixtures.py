#!/usr/bin/python3
"""Builds small model files for the formats read beyond their op list, with the truth they were built from.

tests/fixtures/formats/
  paddle_v2.nb, paddle_v1.nb  - Paddle-Lite naive-buffer models as opt 2.7+ writes them (meta_version 2: ParamSerializer
                                records; meta_version 1: one CombinedParamsDesc), the FlatBuffers encoded by flatc from
                                tools/schemas/paddle-lite (Paddle-Lite's framework.fbs and param.fbs, unmodified).
  tflite_metadata.tflite      - a one-op TFLite model (schemas/tflite/schema.fbs) carrying TFLITE_METADATA
                                (tools/schemas/tflite-support/metadata_schema.fbs: name, version, author, licence,
                                input normalization, label and vocabulary files at model, tensor and tokenizer level)
                                with the label and vocabulary files packed in a zip appended to the model, as
                                tflite-support's metadata populator does (Python zipfile in append mode).
  tf_convnet.pb               - a frozen TensorFlow GraphDef (hand-encoded protobuf, tensorflow/core/framework/*.proto):
                                Conv2D, BiasAdd, Relu6, DepthwiseConv2dNative, MaxPool, Reshape, MatMul with an
                                unknown batch; a node with exporter-written _output_shapes; and a Conv2D after an op
                                without a shape rule (its MACs unknown).
  torch_mobile.ptl            - a small module saved by PyTorch 1.13 itself (torch.jit._save_for_lite_interpreter):
                                conv, batch norm (with its int64 counter) and a float16 linear layer.
  truth.json                  - per file: op histogram, params and dtypes, MACs, inputs/outputs, as declared here.

The truth is what the files declare, computed here from the same description that is encoded (ops, var dims, param
dims and types; MACs by the rules in src/Formats/README.md), not by gaugeNN.

Needs flatc (Debian flatbuffers-compiler 2.0.8) and PyTorch (Debian python3-torch 1.13). PyTorch's archive is not
byte-reproducible (its debug records differ per run), so rerunning rewrites torch_mobile.ptl and its truth together. Run from the repository root:  /usr/bin/python3 tools/format-fixtures.py
"""
import collections
import hashlib
import io
import json
import os
import pickle
import re
import struct
import subprocess
import tempfile
import zipfile

OUT = os.path.join("tests", "fixtures", "formats")
SCHEMAS = os.path.join("tools", "schemas")
FP32, INT8, FEED, FETCH = "FP32", "INT8", "FEED_MINIBATCH", "FETCH_LIST"
ELEMENT_BYTES = {FP32: 4, INT8: 1}


def flatc(schema_dir, schema, root, document):
    """Encodes a JSON document with flatc and returns the binary."""
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "doc.json")
        with open(source, "w") as f:
            json.dump(document, f)
        subprocess.run(["flatc", "-b", "-o", tmp, "--root-type", root, os.path.join(schema_dir, schema), source],
                       check=True, capture_output=True)
        # The output takes the schema's file_extension (bin by default, tflitemeta, tflite, ...).
        output = next(name for name in os.listdir(tmp) if name.startswith("doc.") and name != "doc.json")
        with open(os.path.join(tmp, output), "rb") as f:
            return f.read()


# ---- Paddle-Lite ----
PADDLE_VARS = {  # name: (type, dims); None dims = not a tensor
    "feed": (FEED, None), "fetch": (FETCH, None),
    "image": (FP32, [-1, 3, 32, 32]), "conv_w": (FP32, [8, 3, 3, 3]), "conv_b": (FP32, [8]),
    "conv_out": (FP32, [-1, 8, 32, 32]), "add_out": (FP32, [-1, 8, 32, 32]), "relu_out": (FP32, [-1, 8, 32, 32]),
    "dw_w": (FP32, [8, 1, 3, 3]), "dw_out": (FP32, [-1, 8, 16, 16]), "pool_out": (FP32, [-1, 8, 1, 1]),
    "flat": (FP32, [-1, 8]), "fc_w": (INT8, [8, 10]), "fc_b": (FP32, [10]), "fc_out": (FP32, [-1, 10]),
    "prob": (FP32, [-1, 10]),
}
PADDLE_PARAMS = ["conv_w", "conv_b", "dw_w", "fc_w", "fc_b"]
PADDLE_OPS = [  # type, inputs, outputs, attrs
    ("feed", {"X": ["feed"]}, {"Out": ["image"]}, [("col", "INT", 0)]),
    ("conv2d", {"Input": ["image"], "Filter": ["conv_w"]}, {"Output": ["conv_out"]},
     [("strides", "INTS", [1, 1]), ("paddings", "INTS", [1, 1]), ("groups", "INT", 1)]),
    ("elementwise_add", {"X": ["conv_out"], "Y": ["conv_b"]}, {"Out": ["add_out"]}, [("axis", "INT", 1)]),
    ("relu", {"X": ["add_out"]}, {"Out": ["relu_out"]}, []),
    ("depthwise_conv2d", {"Input": ["relu_out"], "Filter": ["dw_w"]}, {"Output": ["dw_out"]},
     [("strides", "INTS", [2, 2]), ("paddings", "INTS", [1, 1]), ("groups", "INT", 8)]),
    ("pool2d", {"X": ["dw_out"]}, {"Out": ["pool_out"]}, [("global_pooling", "BOOLEAN", True)]),
    ("flatten_contiguous_range", {"X": ["pool_out"]}, {"Out": ["flat"]}, [("start_axis", "INT", 1)]),
    ("fc", {"Input": ["flat"], "W": ["fc_w"], "Bias": ["fc_b"]}, {"Out": ["fc_out"]}, [("in_num_col_dims", "INT", 1)]),
    ("softmax", {"X": ["fc_out"]}, {"Out": ["prob"]}, [("axis", "INT", -1)]),
    ("fetch", {"X": ["prob"]}, {"Out": ["fetch"]}, [("col", "INT", 0)]),
]


def paddle_attr(name, kind, value):
    field = {"INT": "i", "INTS": "ints", "BOOLEAN": "b"}[kind]
    return {"name": name, "type": kind, field: value}


def paddle_program():
    variables = []
    for name, (kind, dims) in PADDLE_VARS.items():
        if dims is None:
            var_type = {"type": kind}
        else:
            var_type = {"type": "LOD_TENSOR", "lod_tensor": {"tensor": {"data_type": kind, "dims": dims}, "lod_level": 0}}
        variables.append({"name": name, "type": var_type, "persistable": name in PADDLE_PARAMS})
    ops = [{"type": t, "inputs": [{"parameter": k, "arguments": v} for k, v in i.items()],
            "outputs": [{"parameter": k, "arguments": v} for k, v in o.items()],
            "attrs": [paddle_attr(*a) for a in attrs]} for t, i, o, attrs in PADDLE_OPS]
    return {"blocks": [{"idx": 0, "parent_idx": -1, "vars": variables, "ops": ops}], "version": {"version": 2012000}}


def paddle_param(name):
    kind, dims = PADDLE_VARS[name]
    count = 1
    for d in dims:
        count *= d
    data = [(i * 7) % 100 - 50 for i in range(count * ELEMENT_BYTES[kind])]
    return {"version": {"version": 0, "model_version": 0}, "name": name, "variable_type": "LoDTensorDesc",
            "variable": {"lod_level": 0, "dim": dims, "data_type": kind, "data": data}}


def paddle_file(meta_version):
    schema_dir = os.path.join(SCHEMAS, "paddle-lite")
    topology = flatc(schema_dir, "framework.fbs", "paddle.lite.fbs.proto.ProgramDesc", paddle_program())
    header = struct.pack("<H", meta_version) + b"v2.12".ljust(16, b"\0") + struct.pack("<Q", len(topology))
    if meta_version == 1:
        params = flatc(schema_dir, "param.fbs", "paddle.lite.fbs.proto.CombinedParamsDesc",
                       {"params": [paddle_param(n) for n in PADDLE_PARAMS]})
    else:
        records = [flatc(schema_dir, "param.fbs", "paddle.lite.fbs.proto.ParamDesc", paddle_param(n)) for n in PADDLE_PARAMS]
        largest = max(ELEMENT_BYTES[PADDLE_VARS[n][0]] * count_of(n) for n in PADDLE_PARAMS)
        params = struct.pack("<HHI", 6, len(records), largest)
        for record in records:
            params += struct.pack("<II", len(record) + 4, 4) + record
    return header + topology + params


def count_of(name):
    count = 1
    for d in PADDLE_VARS[name][1]:
        count *= d
    return count


def paddle_truth(meta_version):
    ops = collections.Counter(t for t, _, _, _ in PADDLE_OPS)
    dtypes = collections.Counter()
    for name in PADDLE_PARAMS:
        dtypes[PADDLE_VARS[name][0]] += count_of(name)
    macs = 0
    for t, inputs, outputs, _ in PADDLE_OPS:
        if t in ("conv2d", "depthwise_conv2d"):
            n, oc, oh, ow = PADDLE_VARS[outputs["Output"][0]][1]
            _, icg, kh, kw = PADDLE_VARS[inputs["Filter"][0]][1]
            macs += max(n, 1) * oc * oh * ow * icg * kh * kw
        elif t == "fc":
            n, oc = PADDLE_VARS[outputs["Out"][0]][1]
            macs += max(n, 1) * oc * PADDLE_VARS[inputs["W"][0]][1][0]

    def spec(name):
        kind, dims = PADDLE_VARS[name]
        return {"name": name, "shape": [d if d >= 0 else None for d in dims], "dtype": kind}

    return {"format": "paddle", "op_histogram": dict(sorted(ops.items())), "layers": len(PADDLE_OPS),
            "params": sum(dtypes.values()), "weight_dtype_histogram": dict(sorted(dtypes.items())), "quantized": True,
            "macs": macs, "macs_unknown_nodes": 0, "inputs": [spec("image")], "outputs": [spec("prob")],
            "metadata": {"meta_version": str(meta_version), "opt_version": "v2.12", "params_stored": str(len(PADDLE_PARAMS)), "blocks": "1",
                         "vars": str(sum(1 for _, dims in PADDLE_VARS.values() if dims is not None))}}


# ---- TFLite with metadata and packed associated files ----
PACKED = {"labels.txt": b"cat\ndog\nbird\n", "vocab.txt": b"[PAD]\n[UNK]\nhello\nworld\n"}
TFLITE_METADATA = {
    "name": "Tiny classifier", "description": "Three animals from four features.", "version": "v7",
    "author": "gaugeNN fixtures", "license": "CC0-1.0",
    "associated_files": [{"name": "readme.txt", "type": "DESCRIPTIONS"}],
    "subgraph_metadata": [{
        "input_tensor_metadata": [{
            "name": "features",
            "process_units": [{"options_type": "NormalizationOptions", "options": {"mean": [127.5], "std": [58.395]}}]}],
        "output_tensor_metadata": [{
            "name": "probability",
            "associated_files": [{"name": "labels.txt", "type": "TENSOR_AXIS_LABELS", "locale": "en"}]}],
        "input_process_units": [{"options_type": "BertTokenizerOptions",
                                 "options": {"vocab_file": [{"name": "vocab.txt", "type": "VOCABULARY"}]}}]}],
    "min_parser_version": "1.1.0",
}


def tflite_with_metadata():
    metadata = flatc(os.path.join(SCHEMAS, "tflite-support"), "metadata_schema.fbs", "tflite.ModelMetadata", TFLITE_METADATA)
    weights = list(struct.pack("<12f", *[i / 10 for i in range(12)]))
    model = {
        "version": 3,
        "operator_codes": [{"deprecated_builtin_code": 9, "builtin_code": "FULLY_CONNECTED", "version": 1}],
        "subgraphs": [{
            "tensors": [{"shape": [1, 4], "type": "FLOAT32", "buffer": 1, "name": "features"},
                        {"shape": [3, 4], "type": "FLOAT32", "buffer": 2, "name": "weights"},
                        {"shape": [1, 3], "type": "FLOAT32", "buffer": 3, "name": "probability"}],
            "inputs": [0], "outputs": [2],
            "operators": [{"opcode_index": 0, "inputs": [0, 1, -1], "outputs": [2]}], "name": "main"}],
        "description": "tiny classifier with metadata",
        "buffers": [{}, {}, {"data": weights}, {}, {"data": list(metadata)}],
        "metadata": [{"name": "TFLITE_METADATA", "buffer": 4}],
    }
    # flatc 2.0.8 does not take attributes on enum and union values; dropping "(deprecated)" there changes no layout.
    with tempfile.TemporaryDirectory() as schema_dir:
        with open(os.path.join("schemas", "tflite", "schema.fbs")) as source, open(os.path.join(schema_dir, "schema.fbs"), "w") as sane:
            sane.write(re.sub(r" \(deprecated\)(,?)$", r"\1", source.read(), flags=re.MULTILINE))
        data = flatc(schema_dir, "schema.fbs", "tflite.Model", model)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.tflite")
        with open(path, "wb") as f:
            f.write(data)
        with zipfile.ZipFile(path, "a") as archive:
            for name, content in PACKED.items():
                archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), content)
        with open(path, "rb") as f:
            return f.read()


def tflite_truth():
    files = {"readme.txt": ("DESCRIPTIONS", "model", None), "vocab.txt": ("VOCABULARY", "subgraph 0", None),
             "labels.txt": ("TENSOR_AXIS_LABELS", "output:probability", "en")}
    metadata = {f"metadata.{k}": TFLITE_METADATA[k] for k in ("name", "description", "version", "author", "license", "min_parser_version")}
    metadata["metadata.associated_files"] = "readme.txt,vocab.txt,labels.txt"
    metadata["metadata.packed_files"] = str(len(PACKED))
    for name, (kind, owner, locale) in files.items():
        metadata[f"metadata.associated_file.{name}.type"] = kind
        metadata[f"metadata.associated_file.{name}.owner"] = owner
        if locale:
            metadata[f"metadata.associated_file.{name}.locale"] = locale
        if name in PACKED:
            metadata[f"metadata.associated_file.{name}.bytes"] = str(len(PACKED[name]))
    metadata["metadata.input:features.normalization.mean"] = "127.5"
    metadata["metadata.input:features.normalization.std"] = "58.395"
    return {"format": "tflite", "op_histogram": {"FULLY_CONNECTED": 1}, "layers": 1, "params": 12,
            "weight_dtype_histogram": {"FLOAT32": 12}, "quantized": False, "macs": 3 * 4, "macs_unknown_nodes": 0,
            "inputs": [{"name": "features", "shape": [1, 4], "dtype": "FLOAT32"}],
            "outputs": [{"name": "probability", "shape": [1, 3], "dtype": "FLOAT32"}], "metadata": metadata}


# ---- TensorFlow GraphDef, encoded by hand (no TensorFlow here) ----
def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def ld(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def vi(number, value):
    return varint(number << 3) + varint(value)


DT_FLOAT, DT_INT32 = 1, 3


def tf_shape(dims):
    return b"".join(ld(2, vi(1, d)) for d in dims)


def tf_attr(key, value):
    return ld(5, ld(1, key.encode()) + ld(2, value))


def tf_ints(values):
    return ld(1, b"".join(vi(3, v) for v in values))


def tf_node(name, op, inputs=(), attrs=b""):
    return ld(1, ld(1, name.encode()) + ld(2, op.encode()) + b"".join(ld(3, i.encode()) for i in inputs) + attrs)


def tf_const(name, dims, dtype=DT_FLOAT, values=None):
    count = 1
    for d in dims:
        count *= d
    content = struct.pack(f"<{count}i", *values) if dtype == DT_INT32 else bytes(4 * count)
    tensor = vi(1, dtype) + ld(2, tf_shape(dims)) + ld(4, content)
    return tf_node(name, "Const", attrs=tf_attr("dtype", vi(6, dtype)) + tf_attr("value", ld(8, tensor)))


TF_CONSTS = {"w1": ([3, 3, 3, 8], DT_FLOAT), "b1": ([8], DT_FLOAT), "dw": ([3, 3, 8, 2], DT_FLOAT),
             "flat_shape": ([2], DT_INT32), "fcw": ([256, 10], DT_FLOAT), "size": ([2], DT_INT32), "w2": ([1, 1, 8, 4], DT_FLOAT)}


def tf_graph():
    same, valid = tf_attr("padding", ld(2, b"SAME")), tf_attr("padding", ld(2, b"VALID"))
    graph = (tf_node("input", "Placeholder", attrs=tf_attr("dtype", vi(6, DT_FLOAT)) + tf_attr("shape", ld(7, tf_shape([-1, 32, 32, 3]))))
             + tf_const("w1", *TF_CONSTS["w1"])
             + tf_node("conv1", "Conv2D", ["input", "w1"], tf_attr("strides", tf_ints([1, 2, 2, 1])) + same)
             + tf_const("b1", *TF_CONSTS["b1"])
             + tf_node("bias", "BiasAdd", ["conv1", "b1"])
             + tf_node("relu", "Relu6", ["bias"])
             + tf_const("dw", *TF_CONSTS["dw"])
             + tf_node("dconv", "DepthwiseConv2dNative", ["relu", "dw"], tf_attr("strides", tf_ints([1, 1, 1, 1])) + same)
             + tf_node("pool", "MaxPool", ["dconv"], tf_attr("ksize", tf_ints([1, 4, 4, 1])) + tf_attr("strides", tf_ints([1, 4, 4, 1])) + valid)
             + tf_const("flat_shape", *TF_CONSTS["flat_shape"], values=[-1, 256])
             + tf_node("flat", "Reshape", ["pool", "flat_shape"])
             + tf_const("fcw", *TF_CONSTS["fcw"])
             + tf_node("fc", "MatMul", ["flat", "fcw"])
             + tf_node("prob", "Softmax", ["fc"])
             + tf_const("size", *TF_CONSTS["size"], values=[32, 32])
             + tf_node("resize", "ResizeBilinear", ["relu", "size", "^dconv"],
                       tf_attr("_output_shapes", ld(1, ld(7, tf_shape([-1, 32, 32, 8])))))
             + tf_const("w2", *TF_CONSTS["w2"])
             + tf_node("conv2", "Conv2D", ["resize", "w2"], tf_attr("strides", tf_ints([1, 1, 1, 1])) + valid)
             + tf_node("mystery", "MysteryOp", ["relu"])
             + tf_node("conv3", "Conv2D", ["mystery", "w2"], tf_attr("strides", tf_ints([1, 1, 1, 1])) + valid)
             + ld(4, vi(1, 27)))
    return graph


def tf_truth():
    ops = collections.Counter({"Placeholder": 1, "Const": len(TF_CONSTS), "Conv2D": 3, "BiasAdd": 1, "Relu6": 1,
                               "DepthwiseConv2dNative": 1, "MaxPool": 1, "Reshape": 1, "MatMul": 1, "Softmax": 1,
                               "ResizeBilinear": 1, "MysteryOp": 1})
    dtypes = collections.Counter()
    for dims, dtype in TF_CONSTS.values():
        count = 1
        for d in dims:
            count *= d
        dtypes["DT_FLOAT" if dtype == DT_FLOAT else "DT_INT32"] += count
    conv1 = 16 * 16 * 8 * 3 * 3 * 3          # SAME, stride 2: 32 -> 16
    dconv = 16 * 16 * (8 * 2) * 3 * 3        # depthwise, multiplier 2
    fc = 10 * 256                            # 16x16x16 pooled 4/4 -> 4x4x16; batch unknown: counts 1
    conv2 = 32 * 32 * 4 * 1 * 1 * 8          # from the declared _output_shapes of resize
    return {"format": "tf", "op_histogram": dict(sorted(ops.items())), "layers": sum(ops.values()),
            "params": sum(dtypes.values()), "weight_dtype_histogram": dict(sorted(dtypes.items())), "quantized": False,
            "macs": conv1 + dconv + fc + conv2, "macs_unknown_nodes": 1,
            "inputs": [{"name": "input", "shape": [None, 32, 32, 3], "dtype": "DT_FLOAT"}], "outputs": [],
            "metadata": {"container": "GraphDef", "last_layer": "Conv2D"}}


# ---- PyTorch Mobile, saved by PyTorch itself ----
def torch_mobile():
    import torch

    torch.manual_seed(9)

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3)
            self.bn = torch.nn.BatchNorm2d(4)
            self.fc = torch.nn.Linear(4, 2).half()

        def forward(self, x):
            y = torch.relu(self.bn(self.conv(x))).mean((2, 3))
            return self.fc(y.half())

    module = Tiny().eval()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.ptl")
        torch.jit.script(module)._save_for_lite_interpreter(path)
        with open(path, "rb") as f:
            data = f.read()
        with zipfile.ZipFile(path) as archive:
            root = archive.namelist()[0].split("/")[0]
            ops = collections.Counter()

            class Reader(pickle.Unpickler):
                def find_class(self, module_name, name):
                    return (module_name, name)
            # The operator tables of bytecode.pkl, read with a loader that builds no objects from globals.
            for method in Reader(io.BytesIO(archive.read(f"{root}/bytecode.pkl"))).load()[1:]:
                table = dict(method[1])["operators"]
                for name, overload, *_ in table:
                    ops[name] += 1
    dtypes = collections.Counter()
    for tensor in module.state_dict().values():
        dtypes[str(tensor.dtype).replace("torch.", "")] += tensor.numel()
    truth = {"format": "pytorch", "op_histogram": dict(sorted(ops.items())), "layers": sum(ops.values()),
             "params": sum(dtypes.values()), "weight_dtype_histogram": dict(sorted(dtypes.items())), "quantized": False,
             "macs": 0, "macs_unknown_nodes": 0, "inputs": [], "outputs": [],
             "metadata": {"storages": str(len(module.state_dict())), "mobile_bytecode": "True"}}
    return data, truth


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {}
    for name, data, truth in [("paddle_v2.nb", paddle_file(2), paddle_truth(2)), ("paddle_v1.nb", paddle_file(1), paddle_truth(1)),
                              ("tflite_metadata.tflite", tflite_with_metadata(), tflite_truth()),
                              ("tf_convnet.pb", tf_graph(), tf_truth()), ("torch_mobile.ptl", *torch_mobile())]:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        files[name] = {**truth, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        print(f"{name}: {len(data)} bytes")
    with open(os.path.join(OUT, "truth.json"), "w") as f:
        json.dump({"generator": "tools/format-fixtures.py", "models": files}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
