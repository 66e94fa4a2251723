// Writes the public methods of `WebAuth` into the class that wasm-bindgen generated in the glue.
// The Rust façade exports one method, `__call(method, a, b)` (src/js/mod.rs, `WebAuth::call`),
// instead of one per method: each exported method costs the wasm a shim and the glue a method of
// its own. Each public method calls it with its number, the arm of `WebAuth::call`'s `match` (the
// numbers are the order of the list below). Their types are the `WebAuth` interface of
// src/js/mod.rs, which TypeScript merges with the generated class. And `free()` without its helper
// (below). Each text replaced must occur exactly once, or nothing is written.
//
//   node scripts/webauth-methods.mjs pkg/spa_auth.js
import fs from 'node:fs';

/** Each method's head as the class declares it, in the order wasm-bindgen wrote them before; its
 * number is its place in the list. */
const methods = [
  'get authResult()',
  'authorize(options)',
  'buildAuthorizeUrl(options)',
  'buildLogoutUrl(options)',
  'checkSession(options)',
  'clearSession()',
  'fetch(input, init)',
  'isExpired()',
  'logout(options)',
  'onSessionChange(callback)',
  'parseHash(options)',
  'restoreSession(options)',
  'startAutoRenew(options)',
  'stopAutoRenew()',
];

const [gluePath] = process.argv.slice(2);
let glue = fs.readFileSync(gluePath, 'utf8');

const body = (head, number) => {
  const args = head.slice(head.indexOf('(') + 1, -1);
  const call = `this.__call(${[number, ...(args ? args.split(', ') : [])].join(', ')})`;
  // The options' mistake comes back as the `AuthError` to throw, as the method did before.
  if (head.startsWith('startAutoRenew(')) return `const error = ${call}; if (error) throw error;`;
  return `return ${call};`;
};
const written = methods.map((head, number) => `    ${head} { ${body(head, number)} }\n`).join('');

const generated = '    __call(method, a, b) {\n';
const classes = glue.split('export class WebAuth {\n');
if (classes.length !== 2) throw new Error('the glue declares WebAuth not once');
if (glue.split(generated).length !== 2) throw new Error('WebAuth.__call is not generated once');
const declared = classes[1].slice(0, classes[1].indexOf('\n}\n'));
for (const head of methods) {
  const name = head.replace(/^get /, '').replace(/\(.*/, '');
  if (new RegExp(`^    (get )?${name}\\(`, 'm').test(declared)) throw new Error(`WebAuth already has ${name}`);
}
glue = glue.replace(generated, `${written}${generated}`);
// `free()` with the pointer's release written in: wasm-bindgen's `__destroy_into_raw` serves only
// a class passed by value into Rust, which `WebAuth` never is, and `free` is its one caller.
const free = `    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WebAuthFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_webauth_free(ptr, 0);
    }
`;
if (glue.split(free).length !== 2) throw new Error('WebAuth.free is not generated once as expected');
glue = glue.replace(free, `    free() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WebAuthFinalization.unregister(this);
        wasm.__wbg_webauth_free(ptr, 0);
    }
`);
if (glue.includes('__destroy_into_raw')) throw new Error('the glue still calls __destroy_into_raw');
fs.writeFileSync(gluePath, glue);
