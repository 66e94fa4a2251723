// Gives the wasm's imports and its internal exports short names, in the .wasm and in its JS glue
// alike, as a bundler's minifier would: wasm-bindgen names each import after the function plus a
// 16-hex-digit hash, and each closure's export after its Rust type path, and both appear twice
// (wasm, glue) and do not compress. Only names change: the import and export sections are rewritten
// entry by entry, each old import name must occur exactly once in the glue as a key of the import
// object, and each renamed export must be read in the glue only as `wasm.NAME` (or not at all), or
// nothing is written. Only `memory` keeps its name. The `webauth_*` method shims are renamed too:
// `init()`'s `InitOutput` lists them, but each takes a pointer to the Rust object that only the
// generated `WebAuth` class holds, so no app can call one (−178 B gzip); the .d.ts files are
// rewritten with the same names. It also removes the glue's
// fallbacks for browsers that cannot run the package anyway, and the module and instance it keeps
// but never reads (`dropFallbacks`).
//
//   node scripts/shorten-names.mjs pkg/spa_auth_bg.wasm pkg/spa_auth.js
import fs from 'node:fs';
import { readU32, u32 } from './leb128.mjs';

const [wasmPath, gluePath] = process.argv.slice(2);
const wasm = fs.readFileSync(wasmPath);
let glue = fs.readFileSync(gluePath, 'utf8');

const name = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
};

/** Short names: a … z, A … Z, then two letters. */
function shortName(index) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let text = '';
  do {
    text = letters[index % letters.length] + text;
    index = Math.floor(index / letters.length) - 1;
  } while (index >= 0);
  return text;
}

/** The byte length of an import's description (after its kind byte), starting at `at`. */
function descriptionEnd(bytes, kind, at) {
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readU32(bytes, p);
    if (flags & 1) [, p] = readU32(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readU32(bytes, at)[1]; // function: type index
    case 1: return limits(at + 1); // table: reference type, limits
    case 2: return limits(at); // memory
    case 3: return at + 2; // global: value type, mutability
    case 4: return readU32(bytes, at + 1)[1]; // tag: attribute, type index
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

const sections = [];
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = readU32(wasm, at + 1);
  sections.push({ id, start: at, body: start, end: start + size });
  at = start + size;
}
/** The import section with short module and field names; the glue's import object renamed alike. */
function shortenImports(section) {
  const renamed = new Map();
  const modules = new Map();
  let [count, p] = readU32(wasm, section.body);
  const entries = [];
  for (let i = 0; i < count; i++) {
    let length;
    [length, p] = readU32(wasm, p);
    const module = wasm.subarray(p, p + length).toString('utf8');
    p += length;
    [length, p] = readU32(wasm, p);
    const field = wasm.subarray(p, p + length).toString('utf8');
    p += length;
    const kind = wasm[p];
    const end = descriptionEnd(wasm, kind, p + 1);
    if (!modules.has(module)) modules.set(module, shortName(modules.size));
    if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
    entries.push(Buffer.concat([name(modules.get(module)), name(renamed.get(field)), wasm.subarray(p, end)]));
    p = end;
  }
  for (const [old, short] of renamed) {
    const key = new RegExp(`(^|[\\s{,])${old}:`, 'g');
    const found = glue.match(key)?.length ?? 0;
    if (found !== 1) throw new Error(`${old} is a key of the import object ${found} times, not once`);
    glue = glue.replace(key, `$1${short}:`);
  }
  for (const [old, short] of modules) {
    const key = `${JSON.stringify(old)}: import`;
    if (glue.split(key).length !== 2) throw new Error(`module ${old} is not named once in the glue`);
    glue = glue.replace(key, `${JSON.stringify(short)}: import`);
  }
  return Buffer.concat([u32(count), ...entries]);
}

/** The export section with short names for all but `memory`; the glue's
 * `wasm.NAME` reads and the .d.ts files renamed alike. */
function shortenExports(section) {
  let [count, p] = readU32(wasm, section.body);
  const entries = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    let length;
    [length, p] = readU32(wasm, p);
    const old = wasm.subarray(p, p + length).toString('utf8');
    p += length;
    const end = readU32(wasm, p + 1)[1]; // kind, index
    let short = old;
    if (old !== 'memory') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(old)) throw new Error(`export ${old} is not a plain identifier`);
      short = shortName(next++);
      // Read as `wasm.NAME`, or not at all (wasm-bindgen's abort-handler globals, used only by
      // panic=unwind builds). Any other property access or string naming it would now miss; a
      // bare identifier of the same name is a glue function of its own, left for the minifier.
      glue = glue.replace(new RegExp(`\\bwasm\\.${old}\\b`, 'g'), `wasm.${short}`);
      if (new RegExp(`[.'"\`]${old}\\b`).test(glue)) throw new Error(`export ${old} is read in the glue other than as wasm.${old}`);
      for (const [file, before] of [[typesPath, 'readonly '], [wasmTypesPath, 'export const ']]) {
        if (types.has(file)) types.set(file, types.get(file).replace(`${before}${old}:`, `${before}${short}:`));
      }
    }
    entries.push(Buffer.concat([name(short), wasm.subarray(p, end)]));
    p = end;
  }
  return Buffer.concat([u32(count), ...entries]);
}

/** The glue's fallbacks for what every browser that can run the package has, removed: the package
 * needs `AbortSignal.timeout` (Chrome 103, Firefox 100, Safari 16), and `FinalizationRegistry` and
 * `TextEncoder.encodeInto` are older (Chrome 84/74, Firefox 79/66, Safari 14.1); and the string
 * copy's branch for a missing `realloc`, which every call passes. Each text must occur exactly
 * once, or nothing is written. */
function dropFallbacks() {
  const fallback = `(typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(`;
  const registries = glue.split(fallback).length - 1;
  if (registries !== 2) throw new Error(`the FinalizationRegistry fallback occurs ${registries} times, not twice`);
  glue = glue.split(fallback).join('new FinalizationRegistry(');
  const calls = glue.match(/passStringToWasm0\((?!arg, malloc, realloc\) \{)[^)]*\)/g) ?? [];
  if (calls.some((call) => !call.endsWith(', wasm.__wbindgen_realloc)'))) throw new Error('a string is copied without realloc');
  for (const dead of [
    `    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }
`,
    `if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}
`,
  ]) {
    if (glue.split(dead).length !== 2) throw new Error(`not once in the glue: ${dead.split('\n')[0]}`);
    glue = glue.replace(dead, '');
  }
  // `init()`'s tests for `Response`, `WebAssembly.instantiateStreaming`, `Request` and `URL`,
  // which every such browser has (Chrome 61, Firefox 58, Safari 15; Node 18, the first with
  // `AbortSignal.timeout` and `Response` both); the `instantiateStreaming` path keeps its
  // fallback to `WebAssembly.instantiate` with the warning for a wasm served with the wrong MIME
  // type. And the module and instance that the glue keeps but never reads.
  for (const [before, after] of [
    [`typeof Response === 'function' && module instanceof Response`, 'module instanceof Response'],
    [`if (typeof WebAssembly.instantiateStreaming === 'function') {`, '{'],
    [
      `(typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)`,
      'module_or_path instanceof Request || module_or_path instanceof URL',
    ],
    // The memory's view made again when the memory grew: its buffer is then another one, in
    // every browser, so the test of `detached` first (for browsers that have it) adds nothing.
    [
      `cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)`,
      'cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer',
    ],
    // `fetch()`'s test for a `Request` input without a `try` for a global without `Request`,
    // which `init()` above now needs anyway.
    [
      `let result;
            try {
                result = getObject(arg0) instanceof Request;
            } catch (_) {
                result = false;
            }
            const ret = result;`,
      'const ret = getObject(arg0) instanceof Request;',
    ],
    ['let wasmModule, wasmInstance, wasm;', 'let wasm;'],
    // wasm-bindgen's texts for a developer's console, shorter: the warning for a wasm served with
    // the wrong MIME type says what happened and what it costs; `init(path)` and `initSync(bytes)`
    // keep working as before without wasm-bindgen's nudge towards its object argument.
    [
      '"`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\\n"',
      "'spa-auth: the wasm is not served as application/wasm, so it compiles only once downloaded:'",
    ],
    [
      ` else {
            console.warn('using deprecated parameters for \`initSync()\`; pass a single object instead')
        }`,
      '',
    ],
    [
      ` else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }`,
      '',
    ],
    ['    wasmInstance = instance;\n', ''],
    ['    wasmModule = module;\n', ''],
  ]) {
    if (glue.split(before).length !== 2) throw new Error(`not once in the glue: ${before}`);
    glue = glue.replace(before, after);
  }
  if (/\bwasm(Module|Instance)\b/.test(glue)) throw new Error('the glue reads its module or instance');
}

const typesPath = gluePath.replace(/\.js$/, '.d.ts');
const wasmTypesPath = `${wasmPath}.d.ts`;
const types = new Map();
for (const file of [typesPath, wasmTypesPath]) {
  if (fs.existsSync(file)) types.set(file, fs.readFileSync(file, 'utf8'));
}
dropFallbacks(); // before the exports' names change: it looks for `wasm.__wbindgen_realloc`
const shorten = { 2: shortenImports, 7: shortenExports };
const rewritten = Buffer.concat([
  wasm.subarray(0, 8),
  ...sections.map((s) => {
    if (!shorten[s.id]) return wasm.subarray(s.start, s.end);
    const body = shorten[s.id](s);
    return Buffer.concat([Buffer.from([s.id]), u32(body.length), body]);
  }),
]);
new WebAssembly.Module(rewritten); // still a valid module, or this throws and nothing is written
fs.writeFileSync(wasmPath, rewritten);
fs.writeFileSync(gluePath, glue);
for (const [file, text] of types) fs.writeFileSync(file, text);
