#!/usr/bin/env bash
# The release build of the npm package into pkg/ (wasm-pack, then wasm-opt -Os with the functions
# ordered for gzip in between two runs; the crate without its
# `std` feature, so no_std, and `core` built to trap at each panic), then its glue made as small as a
# bundler would make it: short wasm import and export names, without the fallbacks for browsers that
# cannot run the package (scripts/shorten-names.mjs), the class's public methods written into the
# generated class (scripts/webauth-methods.mjs: one export for fourteen methods), and minified
# JS (esbuild; the exports and `import.meta.url` are unchanged, and so is the .d.ts but for the
# short names in `InitOutput`), and the package.json
# entries wasm-pack cannot write (scripts/package-json.mjs: module, exports, licences). The one
# build that the test, demo, size and bench scripts call.
# Usage: bash scripts/build.sh [--quiet]     (--quiet: wasm-pack's output only when it fails)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/env.sh
source scripts/env.sh # npm binaryen's wasm-opt first on PATH (Debian's 108 breaks the build)
# `core` and `alloc` compiled from source with the `immediate-abort` panic strategy: a panic is a
# trap at its own site, so no panic handler, no `PanicInfo`, no formatting (−3.4 KB gzip); and no
# source paths or lines in the `Location`s that `#[track_caller]` functions still take, as no
# message will ever show them (`-Zlocation-detail=none`, −0.6 KB). Those are unstable flags, so the
# stable compiler is told to accept them (RUSTC_BOOTSTRAP), for this build only and on exactly the
# release they were measured with ($NPM_RUST_VERSION in scripts/env.sh, set up by scripts/setup.sh; README,
# "The npm build"). Its own target directory, so that a plain `cargo build --release` and this one
# do not rebuild over each other (wasm-pack reads the directory from `cargo metadata`).
# Without the `reference-types` target feature (on by default since Rust 1.82), wasm-bindgen keeps
# the JS values Rust holds in an array of the glue instead of a wasm table of `externref`s: the wasm
# loses the table's shims and the code that moves values in and out of it (−1,044 B gzip), the glue
# gains its heap functions (+274 B), −770 B in all (README, "The npm build"). MIR inlining, which
# rustc runs for `opt-level` 2 and 3 but not for "z", turned on (`-Zinline-mir=yes`): small
# functions (wrappers, accessors, `From` impls) are inlined before monomorphization, once per
# generic body instead of once per copy (−417 B gzip); with a higher limit for plain functions
# (200, default 50) and a lower one for `#[inline]` ones (40, default 100: wasm-bindgen's and
# js-sys's many `#[inline]` conversions stay calls) −786 B more when first tuned. Measured then:
# 50/100 64,723 B, 100/100 64,469, 100/50 64,090, 100/25 63,994, 150/25 63,937, 100/10 64,226;
# again after the seventh size pass: 150/25 52,341, 100/25 52,352, 200/25 52,290, 250/25 52,581,
# 150/15 52,455, 150/40 52,308, 200/40 52,239. The thresholds are tuned to this code, and the
# sizes are not monotonic in them: measure again after large changes (README, "The npm build").
build=(env RUSTUP_TOOLCHAIN="$NPM_RUST_TOOLCHAIN" RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$root/target/npm"
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Ctarget-feature=-reference-types
    -Zinline-mir=yes -Zinline-mir-threshold=200 -Zinline-mir-hint-threshold=40"
  wasm-pack build --release --target web --out-dir pkg -- --no-default-features -Zbuild-std=core,alloc)
if [ "${1:-}" = "--quiet" ]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  "${build[@]}" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
else
  "${build[@]}"
fi
# wasm-opt: a function with one caller is inlined only when it is at most 20 instructions large (its
# default: any size), so the flows' large single-use steps stay functions of their own, which gzip
# packs better than the same code merged into its caller (−1,132 B gzip, though +1.7 KB raw; 10 to
# 40 all pay, 20 most). With that limit `-Os` run to a fixed point (`--converge`) packs better than
# `-Oz` (−202 B gzip, +0.8 KB raw): `-Oz` shrinks the raw bytes harder in ways gzip had already made
# cheap. The `producers` (compiler versions) and `target_features` custom sections are for tools,
# never read by an engine: stripped (−201 B gzip), the latter only at the end, as binaryen reads the
# features from it in between. The functions are then put in the order gzip packs best
# (scripts/order-functions.mjs: a greedy order, then a local search on deflate's own result; −972 B
# gzip, about 35 s of CPU) and optimised again, which also writes binaryen's optimised stack form.
# README, "The npm build".
opt=(--one-caller-inline-max-function-size 20 -Os --converge --strip-producers
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)
wasm-opt "${opt[@]}" pkg/spa_auth_bg.wasm -o pkg/spa_auth_bg.wasm
# SPA_AUTH_ORDER=0 leaves the functions in wasm-opt's order: for comparing code changes alone,
# since the order's search moves the total by some tens of bytes either way. Never for the package.
if [ "${SPA_AUTH_ORDER:-1}" != 0 ]; then
  node scripts/order-functions.mjs pkg/spa_auth_bg.wasm
fi
wasm-opt "${opt[@]}" --strip-target-features pkg/spa_auth_bg.wasm -o pkg/spa_auth_bg.wasm
node scripts/webauth-methods.mjs pkg/spa_auth.js
node scripts/shorten-names.mjs pkg/spa_auth_bg.wasm pkg/spa_auth.js
esbuild pkg/spa_auth.js --minify --format=esm --log-level=warning --allow-overwrite --outfile=pkg/spa_auth.js
node scripts/package-json.mjs >/dev/null
