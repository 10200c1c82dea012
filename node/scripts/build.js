#!/usr/bin/env node
// Builds the native addon from the Rust sources with the napi CLI: a
// release build, `smmkit.node`, which the package loads. With
// SMMKIT_BUILD_PROFILE=debug it builds `smmkit.debug.node` instead, faster,
// for tests, which the package loads only when SMMKIT_NATIVE_ADDON names
// it: a debug build never ends up in what a user installs.
//
// `npm install` runs it. Installed from a clone (by path), it builds
// unless the addon is newer than every Rust source; installed from the
// registry (no Rust sources beside it), it does nothing: the prebuilt
// package for the platform holds the addon. `npm run build` always builds.
'use strict'

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const here = path.join(__dirname, '..')
const root = path.join(here, '..')
const manifest = path.join(root, 'bindings', 'node', 'Cargo.toml')
const debug = process.env.SMMKIT_BUILD_PROFILE === 'debug'
const addon = path.join(here, debug ? 'smmkit.debug.node' : 'smmkit.node')

if (!fs.existsSync(manifest)) {
  // Installed from the registry: the platform package has the addon.
  process.exit(0)
}

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
  console.log(`smmkit: ${path.basename(addon)} is up to date`)
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
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'smmkit-addon-'))
const args = [bin, 'build', '--manifest-path', manifest, '--output-dir', out, ...(debug ? [] : ['--release'])]
const run = spawnSync(process.execPath, args, { cwd: here, stdio: 'inherit' })
if (run.error || run.status !== 0) {
  console.error('smmkit: building the native addon failed; it needs Rust (cargo) installed: https://rustup.rs')
  process.exit(run.status || 1)
}
fs.copyFileSync(path.join(out, 'smmkit.node'), addon)
fs.rmSync(out, { recursive: true, force: true })
console.log(`smmkit: built ${path.basename(addon)} (${debug ? 'debug' : 'release'})`)
