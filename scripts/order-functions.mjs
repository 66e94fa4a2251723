// Puts the wasm's functions in an order that gzip packs better: each function next to the ones
// whose bytes it repeats. gzip (deflate) finds a repeat only within the last 32 KB it has read, so
// two similar functions far apart in the code section are compressed twice, while the order of
// functions means nothing to an engine. First a greedy order: after the first function, the next
// is always the one with the largest share of its 5-byte strings already present in the last 32 KB
// of code placed. Then a local search on what gzip makes of it: each function in turn is tried
// right after and right before each of the three functions most like it, and a move is kept when
// the code section's bodies deflate smaller; three rounds. Binaryen reads the module, takes each
// function out and adds it back in that order, and writes it; calls, table entries and exports
// name functions, not positions, so they follow. The bodies are measured as binaryen writes them
// when optimising (its optimised stack form, which the build's next wasm-opt run writes again).
// Deterministic: the same wasm gives the same order.
//
//   node scripts/order-functions.mjs pkg/spa_auth_bg.wasm
import fs from 'node:fs';
import { readU32 } from './leb128.mjs';
import zlib from 'node:zlib';
import binaryen from 'binaryen';

const WINDOW = 32 * 1024;
const STRING = 5;
// The search's own deflate level: 9 found 17 B more in 1.7 times the time.
const LEVEL = 6;
const ROUNDS = 3;
const PARTNERS = 3;
// Smaller functions are left where the greedy order put them: moving them gains little and costs a
// deflate of the whole section per try.
const MOVED_FROM = 40;

const [wasmPath] = process.argv.slice(2);
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(1);
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);
const module = binaryen.readBinary(fs.readFileSync(wasmPath));

/** The body of each defined function as binaryen writes it, in the code section's order. */
function bodies(wasm) {
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at++];
    let size;
    [size, at] = readU32(wasm, at);
    if (id === 10) {
      let count;
      [count, at] = readU32(wasm, at);
      const out = [];
      for (let i = 0; i < count; i++) {
        [size, at] = readU32(wasm, at);
        out.push(wasm.subarray(at, at + size));
        at += size;
      }
      return out;
    }
    at += size;
  }
  return [];
}

/** The distinct `STRING`-byte substrings of a body, hashed. */
function strings(body) {
  const out = new Set();
  for (let i = 0; i + STRING <= body.length; i++) {
    let hash = 0;
    for (let j = i; j < i + STRING; j++) hash = (Math.imul(hash, 257) + body[j]) | 0;
    out.add(hash);
  }
  return out;
}

const functions = [];
for (let i = 0; i < module.getNumFunctions(); i++) {
  const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
  if (!info.module) functions.push(info);
}
const code = bodies(Buffer.from(module.emitBinary()));
if (code.length !== functions.length) {
  throw new Error(`order-functions: ${code.length} bodies for ${functions.length} functions`);
}
const known = code.map(strings);

const order = [0];
const placed = new Uint8Array(code.length);
placed[0] = 1;
while (order.length < code.length) {
  const recent = new Set();
  for (let i = order.length - 1, bytes = 0; i >= 0 && bytes < WINDOW; i--) {
    bytes += code[order[i]].length;
    for (const hash of known[order[i]]) recent.add(hash);
  }
  let best = -1;
  let bestShare = -1;
  for (let candidate = 0; candidate < code.length; candidate++) {
    if (placed[candidate]) continue;
    let seen = 0;
    for (const hash of known[candidate]) if (recent.has(hash)) seen++;
    const share = known[candidate].size ? seen / known[candidate].size : 1;
    if (share > bestShare) {
      bestShare = share;
      best = candidate;
    }
  }
  order.push(best);
  placed[best] = 1;
}

/** The share of `a`'s strings that `b` has too. */
function likeness(a, b) {
  let shared = 0;
  for (const hash of known[a]) if (known[b].has(hash)) shared++;
  return known[a].size ? shared / known[a].size : 0;
}

/** What deflate makes of the bodies in this order. */
const packed = (candidate) =>
  zlib.deflateRawSync(Buffer.concat(candidate.map((i) => code[i])), { level: LEVEL }).length;

const partners = code.map((body, f) => {
  if (body.length < MOVED_FROM) return [];
  const ranked = [];
  for (let g = 0; g < code.length; g++) if (g !== f) ranked.push([likeness(f, g), g]);
  ranked.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  return ranked.slice(0, PARTNERS).map(([, g]) => g);
});
let size = packed(order);
for (let round = 0; round < ROUNDS; round++) {
  for (const f of [...order]) {
    for (const partner of partners[f]) {
      const rest = order.filter((i) => i !== f);
      const at = rest.indexOf(partner);
      for (const place of [at + 1, at]) {
        const moved = [...rest.slice(0, place), f, ...rest.slice(place)];
        const movedSize = packed(moved);
        if (movedSize < size) {
          size = movedSize;
          order.splice(0, order.length, ...moved);
        }
      }
    }
  }
}

for (const f of functions) module.removeFunction(f.name);
for (const i of order) {
  const f = functions[i];
  module.addFunction(f.name, f.params, f.results, f.vars, f.body);
}
if (!module.validate()) throw new Error('order-functions: the reordered module does not validate');
fs.writeFileSync(wasmPath, module.emitBinary());
