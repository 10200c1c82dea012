'use strict'
// The package as users load it: require, import, TypeScript, and an
// install by path from another project.
const test = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const pkg = path.join(__dirname, '..')
const smmkit = require('..')

test('require and import give the same API', async () => {
  const cjs = require('smmkit')
  const esm = await import('smmkit')
  for (const name of ['PerfectPanel', 'Fampage', 'Sandbox', 'decode', 'SmmError', 'OutcomeUnknownError', 'InsufficientFundsError']) {
    assert.equal(typeof cjs[name], 'function', name)
    assert.equal(esm[name], cjs[name], name)
  }
  assert.equal(esm.default, cjs)
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), Object.keys(cjs).sort(), 'every export in both')
})

test('index.d.ts declares exactly what the package exports', () => {
  const dts = fs.readFileSync(path.join(pkg, 'index.d.ts'), 'utf8')
  const declared = new Set([...dts.matchAll(/^export declare (?:class|function|const) (\w+)/gm)].map((m) => m[1]))
  const exported = new Set(Object.keys(require('smmkit')))
  assert.deepEqual([...declared].sort(), [...exported].sort())
  // Each error class in the declarations is an Error subclass at run time.
  for (const name of exported) {
    if (name.endsWith('Error')) assert.ok(require('smmkit')[name].prototype instanceof Error, name)
  }
})

test('index.d.ts compiles on its own, without the types of Node', () => {
  const tsc = path.join(pkg, 'node_modules', 'typescript', 'bin', 'tsc')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smmkit-dts-'))
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: false },
      files: [path.join(pkg, 'index.d.ts')],
    })
  )
  execFileSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { cwd: dir, stdio: 'pipe' })
  fs.rmSync(dir, { recursive: true, force: true })
})

test('the TypeScript example type-checks under --strict and runs', () => {
  const tsc = path.join(pkg, 'node_modules', 'typescript', 'bin', 'tsc')
  execFileSync(process.execPath, [tsc, '-p', path.join(pkg, 'tsconfig.json')], { cwd: pkg, stdio: 'pipe' })
  const out = path.join(pkg, 'examples', '.build')
  fs.rmSync(out, { recursive: true, force: true })
  execFileSync(
    process.execPath,
    [tsc, '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--rootDir', pkg, '--outDir', out, path.join(pkg, 'examples', 'every-method.ts')],
    { cwd: pkg, stdio: 'pipe' }
  )
  const printed = execFileSync(process.execPath, [path.join(out, 'examples', 'every-method.js')], { cwd: pkg, encoding: 'utf8' })
  assert.ok(printed.includes('every method ran'), printed)
})

test('another project installs it by path; a debug addon is never picked up on its own', () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'smmkit-user-'))
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', private: true }))
  // Without its install script, which would build a release addon from source.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', pkg], { cwd: project, stdio: 'pipe', env: { ...process.env } })
  fs.writeFileSync(
    path.join(project, 'bot.mjs'),
    `import { Sandbox, PerfectPanel, addon } from 'smmkit'
const panel = new Sandbox({ speed: null })
const client = new PerfectPanel({ url: panel.url, key: panel.key })
const [service] = await client.services()
const id = await client.add({ service: service.id, link: 'https://t.me/bot', quantity: Number(service.min) })
console.log(JSON.stringify({ id, status: (await client.status(id)).status, profile: addon().profile }))
panel.close()
`
  )
  const { SMMKIT_NATIVE_ADDON, ...clean } = process.env
  // Left alone, the package loads a release addon (built from source or
  // prebuilt) or says there is none; never the test's debug build.
  const run = spawnSync(process.execPath, ['bot.mjs'], { cwd: project, encoding: 'utf8', env: clean })
  if (run.status === 0) {
    assert.equal(JSON.parse(run.stdout).profile, 'release', run.stdout)
  } else {
    assert.ok(run.stderr.includes('ERR_SMMKIT_NATIVE') || run.stderr.includes('no native addon for this platform'), run.stderr)
  }
  // Named, a development build is used, and the installed package works.
  if (SMMKIT_NATIVE_ADDON) {
    const printed = execFileSync(process.execPath, ['bot.mjs'], { cwd: project, encoding: 'utf8', env: process.env })
    assert.deepEqual(JSON.parse(printed), { id: 10001, status: 'Pending', profile: smmkit.addon().profile })
  }
  fs.rmSync(project, { recursive: true, force: true })
})
