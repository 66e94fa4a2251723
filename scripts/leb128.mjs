// The wasm binary format's unsigned LEB128 numbers (sizes, counts, indices), for the build's
// scripts that read and rewrite the package's .wasm.

/** The number at `at` and the offset just past it. */
export function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) return [value >>> 0, at];
    shift += 7;
  }
}

/** `value` encoded. */
export function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
