#!/usr/bin/python3
"""Ground truth for the MNN fixtures (tests/fixtures/models/mnn/*.mnn), independent of gaugeNN's reader: flatc decodes
each file to JSON with MNN's own schema (tools/schemas/mnn, alibaba/MNN schema/default), and this script counts ops,
declared weights and MACs, propagating shapes from the Input op with MNN's size rules (ConvolutionCommon: SAME =
ceil(in / stride), VALID and CAFFE = (in + pads - dilated kernel) / stride + 1; Pool: CAFFE rounds up when ceilModel).
Only the op types these fixtures use are handled; any other op stops the script.

Writes tests/fixtures/mnn-truth.json. Needs flatc (Debian flatbuffers-compiler). Run from the repository root:
    /usr/bin/python3 tools/mnn-truth.py
"""
import collections
import glob
import json
import os
import subprocess
import tempfile

MODELS = os.path.join("tests", "fixtures", "models", "mnn")
SCHEMA = os.path.join("tools", "schemas", "mnn", "MNN.fbs")


def decode(path):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["flatc", "--json", "--strict-json", "--raw-binary", "--defaults-json", "-o", tmp, SCHEMA, "--", path],
                       check=True, capture_output=True)
        with open(glob.glob(os.path.join(tmp, "*.json"))[0]) as f:
            return json.load(f)


def spatial(size, kernel, stride, dilation, pads, mode):
    extent = dilation * (kernel - 1) + 1
    if mode == "SAME":
        return -(-size // stride)
    return (size + pads - extent) // stride + 1


def truth(net):
    ops = collections.Counter(op["type"] for op in net["oplists"])
    shapes, params, macs = {}, 0, 0
    for op in net["oplists"]:
        kind, main = op["type"], op.get("main") or {}
        ins, outs = op.get("inputIndexes", []), op.get("outputIndexes", [])
        x = shapes.get(ins[0]) if ins else None
        if kind == "Input":
            y = [d if d >= 0 else None for d in main["dims"]]
        elif kind in ("Convolution", "ConvolutionDepthwise"):
            c = main["common"]
            n, ci, h, w = x
            group = c.get("group", 1)
            per_group = (c.get("inputCount") or ci) // group
            pads = c.get("pads")
            pad_y = pads[0] + pads[2] if pads else 2 * c.get("padY", 0)
            pad_x = pads[1] + pads[3] if pads else 2 * c.get("padX", 0)
            oh = spatial(h, c.get("kernelY", 1), c.get("strideY", 1), c.get("dilateY", 1), pad_y, c.get("padMode", "CAFFE"))
            ow = spatial(w, c.get("kernelX", 1), c.get("strideX", 1), c.get("dilateX", 1), pad_x, c.get("padMode", "CAFFE"))
            oc = c["outputCount"]
            weights = oc * per_group * c.get("kernelX", 1) * c.get("kernelY", 1)
            params += weights + oc
            macs += (n or 1) * oh * ow * weights
            y = [n, oc, oh, ow]
        elif kind == "Pooling":
            n, ci, h, w = x
            if main.get("isGlobal"):
                y = [n, ci, 1, 1]
            else:
                def size(v, k, s, pad):
                    if main.get("padType", "CAFFE") == "VALID":
                        return (v - k) // s + 1
                    span = v + pad - k
                    return (-(-span // s) if main.get("ceilModel", True) else span // s) + 1
                y = [n, ci, size(h, main["kernelY"], main["strideY"], 2 * main.get("padY", 0)),
                     size(w, main["kernelX"], main["strideX"], 2 * main.get("padX", 0))]
        elif kind in ("ReLU", "ReLU6", "Softmax", "BinaryOp", "Shape", "Reshape", "Squeeze", "ConvertTensor", "Concat"):
            y = x  # no MAC op follows these in the fixtures, so their exact shapes do not matter here
        else:
            raise SystemExit(f"op {kind} is not handled by this truth script")
        if kind == "Concat":
            y = list(x)
            y[main.get("axis", 1)] = sum(shapes[i][main.get("axis", 1)] for i in ins)
        for t in outs[:1]:
            shapes[t] = y
    inputs = [op for op in net["oplists"] if op["type"] == "Input"]
    return {"op_histogram": dict(sorted(ops.items())), "layers": len(net["oplists"]), "params": params,
            "weight_dtype_histogram": {"NOT_STORED": params} if params else {}, "macs": macs, "macs_unknown_nodes": 0,
            "inputs": [{"name": net["tensorName"][op["outputIndexes"][0]],
                        "shape": [d if d >= 0 else None for d in op["main"]["dims"]]} for op in inputs]}


def main():
    result = {}
    for path in sorted(glob.glob(os.path.join(MODELS, "*.mnn"))):
        net = decode(path)
        stored = any(op.get("main", {}).get("weight") for op in net["oplists"] if isinstance(op.get("main"), dict))
        if stored:
            raise SystemExit(f"{path} stores weights; this script only counts declared (stripped) weights")
        result[os.path.basename(path)] = truth(net)
        print(os.path.basename(path), result[os.path.basename(path)]["params"], result[os.path.basename(path)]["macs"])
    with open(os.path.join("tests", "fixtures", "mnn-truth.json"), "w") as f:
        json.dump({"generator": "tools/mnn-truth.py", "models": result}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
