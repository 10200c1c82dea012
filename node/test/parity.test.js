'use strict'
// The package and the Rust core agree: every error code has its class and
// its declaration, and index.d.ts lists the core's words.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const smmkit = require('..')

const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')

/** The string literals of a union type declared in index.d.ts. */
function union(name) {
  const m = dts.match(new RegExp(`export type ${name} =([^]*?)(?:\\n\\n|\\n/\\*\\*)`))
  assert.ok(m, `index.d.ts declares ${name}`)
  return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1])
}

test('every error code the core gives has its class and declaration', () => {
  const codes = smmkit.errorCodes()
  const apiCodes = union('ApiErrorCode')
  const declared = new Set([...apiCodes, ...union('ErrorKind')])
  assert.ok(codes.includes('outcome_unknown') && codes.includes('insufficient_funds'))
  for (const code of codes) {
    const kind = apiCodes.includes(code) ? 'api' : code
    assert.ok(declared.has(code), `index.d.ts declares the code ${code}`)
    const e = smmkit.SmmError.fromPayload({ kind, code, action: null, message: 'm', panel_message: 'p' })
    assert.notEqual(e.constructor, smmkit.SmmError, `no class for ${code}`)
    if (kind === 'api' && code !== 'other') assert.notEqual(e.constructor, smmkit.ApiError, `${code} has its own class`)
    assert.equal(typeof smmkit[e.constructor.name], 'function', `${e.constructor.name} is exported`)
    assert.ok(dts.includes(`export declare class ${e.constructor.name} `), `${e.constructor.name} is declared`)
    if (kind === 'api') assert.equal(e.panelMessage, 'p', 'attributes are copied as camelCase')
  }
  assert.equal(codes.length, declared.size - 1, 'no code declared that the core does not give (api is a kind)')
})

test("index.d.ts lists the core's words", () => {
  const words = smmkit.wordLists()
  assert.deepEqual(union('ServiceType'), words.serviceTypes)
  assert.deepEqual(union('OrderState'), words.orderStates)
  assert.deepEqual(union('RefillState'), words.refillStates)
  assert.deepEqual(union('OrderForm'), words.orderForms)
})
