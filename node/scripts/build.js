#!/usr/bin/env node
// Builds the native addon (smmkit.node) from the Rust sources with the
// napi CLI. Release by default; SMMKIT_BUILD_PROFILE=debug builds faster
// for tests. Needs a Rust toolchain (https://rustup.rs).
//
// `npm install` runs it, also when another project installs this folder by
// path; it then skips the build if smmkit.node is newer than every Rust
// source. `npm run build -- --force` always builds.
'use strict'

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const here = path.join(__dirname, '..')
const root = path.join(here, '..')
const manifest = path.join(root, 'bindings', 'node', 'Cargo.toml')
const addon = path.join(here, 'smmkit.node')
const profile = process.env.SMMKIT_BUILD_PROFILE === 'debug' ? [] : ['--release']

/** The newest modification time under `dir` (Rust sources and manifests). */
function newest(dir) {
  let latest = 0
  let entries
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'target' && entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
        latest = Math.max(latest, newest(full))
      }
    } else if (/\.(rs|toml|lock)$/.test(entry.name)) {
      latest = Math.max(latest, fs.statSync(full).mtimeMs)
    }
  }
  return latest
}

function upToDate() {
  let built
  try {
    built = fs.statSync(addon).mtimeMs
  } catch {
    return false
  }
  const sources = Math.max(
    newest(path.join(root, 'crates')),
    newest(path.join(root, 'bindings', 'node')),
    newest(path.join(root, 'src')),
    fs.statSync(path.join(root, 'Cargo.toml')).mtimeMs,
    fs.statSync(path.join(root, 'Cargo.lock')).mtimeMs
  )
  return built > sources
}

if (!process.argv.includes('--force') && upToDate()) {
  console.log('smmkit: smmkit.node is up to date')
  process.exit(0)
}

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
