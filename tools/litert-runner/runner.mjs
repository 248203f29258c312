// gaugeNN's host TFLite runner: LiteRT.js (@litertjs/core, Google's WebAssembly build of LiteRT with XNNPACK) under
// node. The model's bytes come on stdin, the config as one JSON argument:
//   {"warmupRuns": 5, "timedRuns": 50, "options": {"shape.<input>": "1,224,224,3", "fill.<input>": "0.5"}}
// It prints one JSON line on stdout (LiteRT's own log goes to stderr):
//   {"ok": true, "runtimeVersion", "wasm", "node", "loadMs", "initMs", "firstMs", "warmupMs": [], "timedMs": [],
//    "timedStart", "timedEnd" (Unix ms of the timed loop), "peakRssMb", "inputs": {"<input>": "1,224,224,3"}}
//   {"ok": false, "error": "<LiteRT's message>"}
// Times are milliseconds from process.hrtime.bigint (monotonic), each inference timed alone; the caller computes
// the statistics, as it does for ONNX Runtime. Inputs follow src/Measure/Runners/Host/InputSynthesis.cs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
const packageFolder = path.dirname(require.resolve('@litertjs/core/package.json'));
const wasmFolder = path.join(packageFolder, 'wasm');

// LiteRT.js is written for browsers and loads its Emscripten module as a web worker would: these are the globals it
// looks for, answered from the file system (nothing is fetched).
globalThis.self = globalThis;
globalThis.importScripts = url => vm.runInThisContext(readFileSync(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8'));
globalThis.require = require;
globalThis.__dirname = wasmFolder;

const MaxElements = 2 ** 28; // as InputSynthesis: 1 GiB of float32

function now() {
  return process.hrtime.bigint();
}

function ms(start) {
  return Number(now() - start) / 1e6;
}

/** A dimension the model leaves open (≤ 0) is 1: TFLite names no symbols, so the batch rule is all that applies. */
function shapeOf(input, options) {
  const given = options[`shape.${input.name}`];
  if (given !== undefined) {
    const dims = given.split(',').map(d => d.trim());
    if (dims.some(d => !/^[1-9][0-9]*$/.test(d))) throw new Error(`option shape.${input.name}=${given}: not positive dimensions`);
    if (dims.length !== input.shape.length)
      throw new Error(`option shape.${input.name}=${given} has rank ${dims.length}; the model declares rank ${input.shape.length}`);
    return dims.map(Number);
  }
  return Array.from(input.shape, d => (d > 0 ? d : 1));
}

/** The fixed xorshift sequence in [-1, 1) of InputSynthesis: the same inputs on every run and every machine. */
function sequence() {
  let state = 0x9E3779B97F4A7C15n;
  const mask = (1n << 64n) - 1n;
  return () => {
    state ^= (state << 13n) & mask;
    state ^= state >> 7n;
    state ^= (state << 17n) & mask;
    return Number(state >> 11n) * (2 / 2 ** 53) - 1;
  };
}

function tensorFor(litert, input, options) {
  const shape = shapeOf(input, options);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MaxElements) throw new Error(`input '${input.name}' of shape [${shape}] exceeds ${MaxElements} elements`);
  const given = options[`fill.${input.name}`];
  const fill = given === undefined ? undefined : Number(given);
  if (given !== undefined && !Number.isFinite(fill)) throw new Error(`option fill.${input.name}=${given} is not a number`);
  let data;
  switch (input.dtype) {
    case 'float32': {
      data = new Float32Array(count);
      if (fill !== undefined) data.fill(fill);
      else {
        const next = sequence();
        for (let i = 0; i < count; i++) data[i] = next();
      }
      break;
    }
    case 'int32': data = new Int32Array(count).fill(fill ?? 1); break;
    case 'uint8': data = new Uint8Array(count).fill(fill ?? 1); break;
    default: throw new Error(`input '${input.name}' is ${input.dtype}: LiteRT.js creates float32, int32 and uint8 tensors only`);
  }
  return { tensor: new litert.Tensor(data, shape), shape };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

async function main() {
  const config = JSON.parse(process.argv[2] ?? '{}');
  const options = config.options ?? {};
  const modelBytes = await readStdin();
  const litert = await import('@litertjs/core');
  const version = JSON.parse(readFileSync(path.join(packageFolder, 'package.json'), 'utf8')).version;

  // The build LiteRT.js itself would pick from this node's WebAssembly features (node 20 has no relaxed SIMD without
  // a flag: the compat build), named so the measurement says which one ran; never the threaded build (it needs
  // browser workers).
  const wasm = (await litert.supportsFeature('relaxedSimd')) ? 'litert_wasm_internal' : 'litert_wasm_compat_internal';
  let start = now();
  await litert.loadLiteRt(path.join(wasmFolder, `${wasm}.js`));
  const loadMs = ms(start);

  start = now();
  const model = await litert.loadAndCompile(modelBytes, { accelerator: 'wasm' });
  const initMs = ms(start);

  const inputs = model.getInputDetails().map(input => ({ name: input.name, ...tensorFor(litert, input, options) }));
  const tensors = inputs.map(i => i.tensor);
  const once = async () => {
    const begin = now();
    const outputs = await model.run(tensors);
    const took = ms(begin);
    for (const output of outputs) output.delete();
    return took;
  };

  const firstMs = await once();
  const warmupMs = [];
  for (let i = 0; i < config.warmupRuns; i++) warmupMs.push(await once());
  const timedMs = [];
  const timedStart = performance.timeOrigin + performance.now();
  for (let i = 0; i < config.timedRuns; i++) timedMs.push(await once());
  const timedEnd = performance.timeOrigin + performance.now();

  return {
    ok: true,
    runtimeVersion: version,
    wasm,
    node: process.versions.node,
    loadMs,
    initMs,
    firstMs,
    warmupMs,
    timedMs,
    timedStart,
    timedEnd,
    peakRssMb: process.resourceUsage().maxRSS / 1024, // KiB, the process's whole life: node's own baseline included
    inputs: Object.fromEntries(inputs.map(i => [i.name, i.shape.join(',')])),
  };
}

let result;
try {
  result = await main();
} catch (error) {
  result = { ok: false, error: error instanceof Error ? error.message : String(error) };
}
process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(result.ok ? 0 : 1));
