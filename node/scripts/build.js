#!/usr/bin/env node
// Builds the native addon (smmkit.node) from the Rust sources with the
// napi CLI. Release by default; SMMKIT_BUILD_PROFILE=debug builds faster
// for tests. Needs a Rust toolchain (https://rustup.rs).
'use strict'

const { spawnSync } = require('node:child_process')
const path = require('node:path')

const here = path.join(__dirname, '..')
const manifest = path.join(here, '..', 'bindings', 'node', 'Cargo.toml')
const profile = process.env.SMMKIT_BUILD_PROFILE === 'debug' ? [] : ['--release']

let cli
try {
  cli = require.resolve('@napi-rs/cli/package.json', { paths: [here] })
} catch {
  console.error('smmkit: the napi CLI is missing; run `npm install` in the smmkit node/ folder first')
  process.exit(1)
}
const bin = path.join(path.dirname(cli), 'dist', 'cli.js')
const args = [bin, 'build', '--manifest-path', manifest, '--output-dir', here, '--dts', 'native.d.ts', ...profile]
const run = spawnSync(process.execPath, args, { cwd: here, stdio: 'inherit' })
if (run.error || run.status !== 0) {
  console.error('smmkit: building the native addon failed; it needs Rust (cargo) installed: https://rustup.rs')
  process.exit(run.status || 1)
}
