'use strict'
// The decoded fixtures of tests/ give the same values as in Rust.
//
// tests/vectors/decoded.json holds what the Rust core decodes from each
// fixture; this replays every fixture through smmkit.decode and compares.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const smmkit = require('..')

const root = path.join(__dirname, '..', '..', 'tests')
const vectors = JSON.parse(fs.readFileSync(path.join(root, 'vectors', 'decoded.json'), 'utf8'))
const MULTI = new Set(['statuses', 'refills', 'refill_statuses', 'cancels'])

const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** The Rust canonical form: snake_case fields, no isFinal (Rust leaves it out). */
function canonical(value) {
  if (value instanceof smmkit.SmmError) {
    // Every attribute of the core's payload, under its snake_case name.
    const out = { message: value.message }
    for (const [k, v] of Object.entries(value)) out[snake(k)] = canonical(v)
    return out
  }
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    if ('isFinal' in value && 'status' in value) {
      const { startCount, isFinal, ...rest } = value
      return canonical({ ...rest, start_count: startCount })
    }
    if ('raw' in value && value.raw === null) {
      const { raw, ...rest } = value
      return canonical(rest)
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'extra' ? v : canonical(v)]))
  }
  return value
}

for (const [name, vector] of Object.entries(vectors)) {
  test(`decodes ${name} as Rust does`, () => {
    const body = fs.readFileSync(path.join(root, 'fixtures', vector.file))
    const expected = vector.outcome
    let got
    try {
      got = smmkit.decode(vector.payload, body)
    } catch (e) {
      assert.ok('error' in expected, `Node threw ${e}, Rust decoded ${JSON.stringify(expected)}`)
      assert.deepEqual(canonical(e), expected.error)
      return
    }
    assert.ok('ok' in expected, `Node decoded, Rust said ${JSON.stringify(expected)}`)
    const value = MULTI.has(vector.payload)
      ? [...got].map(([id, r]) => (r instanceof smmkit.SmmError ? { id, error: canonical(r) } : { id, ok: canonical(r) }))
      : canonical(got)
    assert.deepEqual({ payload: vector.payload, value }, expected.ok)
    if (vector.payload === 'services') assert.deepEqual(got.skipped, expected.skipped || [])
  })
}

test('every fixture has a vector', () => {
  const fixtures = fs.readdirSync(path.join(root, 'fixtures')).sort()
  assert.deepEqual(Object.values(vectors).map((v) => v.file).sort(), fixtures)
  assert.ok(fixtures.length >= 40)
})
