'use strict'
// Bad arguments get clear errors and send nothing.
const test = require('node:test')
const assert = require('node:assert/strict')
const smmkit = require('..')
const { sandbox } = require('./helpers')

const BAD_ORDERS = [
  [{ service: 'abc', link: 'https://x.y', quantity: 10 }, '`service`: `abc` is not a whole number'],
  [{ service: -1, link: 'https://x.y', quantity: 10 }, '`service`: must be at least 0, not -1'],
  [{ service: 1.5, link: 'https://x.y', quantity: 10 }, '`service`: must be a whole number, not 1.5'],
  [{ service: true, link: 'https://x.y', quantity: 10 }, '`service`: must be a whole number, not a boolean'],
  [{ link: 'https://x.y', quantity: 10 }, '`service`: is needed'],
  [{ service: 1, link: 'https://x.y', quantity: -5 }, '`quantity`: must be at least 1, not -5'],
  [{ service: 1, link: 'https://x.y', quantity: 0 }, '`quantity`: must be at least 1, not 0'],
  [{ service: 1, link: 'https://x.y', quantity: 2 ** 60 }, 'beyond 2^53 - 1'],
  [{ service: 1, link: 'https://x.y', quantity: 10n ** 30n }, '`quantity`: 1000000000000000000000000000000 is too large'],
  [{ service: 1, link: 'https://x.y', quantity: 2.5 }, '`quantity`: must be a whole number, not 2.5'],
  [{ service: 1, link: 'https://x.y', quantity: 'ten' }, '`quantity`: `ten` is not a whole number'],
  [{ service: 1, link: 'https://x.y', quantity: [10] }, '`quantity`: must be a whole number, not a list'],
  [{ service: 1, link: '', quantity: 10 }, '`link`: is empty'],
  [{ service: 1, link: 'https://x.y/a b', quantity: 10 }, 'must not contain spaces'],
  [{ service: 1, link: 42, quantity: 10 }, '`link`: must be a string, not a number'],
  [{ service: 1, link: 'https://x.y', quantity: 5 }, 'below the minimum of 10'],
  [{ service: 1, link: 'https://x.y', quantity: 6000 }, 'above the maximum of 5000'],
  [{ service: 1, link: 'https://x.y', quantity: 10, form: 'teleport' }, '`teleport` is not a form'],
  [{ service: 1, link: 'https://x.y', quantity: 10, comments: 'x' }, '`comments`: is not taken by a default order'],
  [{ service: 1, link: 'https://x.y', quantity: 10, colour: 'red' }, '`colour`: is not a field of any order'],
  [{ service: 2, link: 'https://x.y' }, '`comments`: is needed for a custom_comments order'],
  [{ service: 2, link: 'https://x.y', comments: [1, 2] }, '`comments`: item 1 must be a string, not a number'],
  [{ service: 4, link: 'https://x.y', quantity: 10 }, '`answer_number`: is needed for a poll order'],
  [{ service: 1, link: 'https://x.y', quantity: 10, runs: 2 }, '`interval`: is needed'],
  [{ service: 6, link: 'https://x.y', quantity: 100, country: 'US', device: 9, typeOfTraffic: 3 }, '9 is not a device'],
  [{ service: 7, username: 'u', min: 20, max: 10 }, '`max`: 10 is below min 20'],
  [{ service: 99, link: 'https://x.y', quantity: 10 }, 'service 99 is not in the catalog'],
]

test('bad orders are refused before anything is sent', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await client.services()
  for (const [order, message] of BAD_ORDERS) {
    await assert.rejects(client.add(order), (e) => {
      assert.ok(e instanceof smmkit.ValidationError, `${JSON.stringify(order, (k, v) => (typeof v === 'bigint' ? `${v}n` : v))}: ${e}`)
      assert.equal(e.code, 'validation')
      assert.ok(e.message.includes(message), `expected "${message}" in "${e.message}"`)
      return true
    })
  }
  for (const notAnOrder of [null, 5, 'order', [1, 2]]) {
    await assert.rejects(client.add(notAnOrder), smmkit.ValidationError)
  }
  assert.deepEqual(panel.orders(), [])
})

test('bad ids are refused', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  const cases = [
    [() => client.status('12a'), '`12a` is not a whole number'],
    [() => client.status(null), 'must be a whole number, not null'],
    [() => client.status(-3), 'must be at least 0, not -3'],
    [() => client.status(2 ** 53), 'beyond 2^53 - 1'],
    [() => client.statuses('123'), '`orders`: must be a list of ids, not a string'],
    [() => client.statuses(5), '`orders`: must be a list of ids, not a number'],
    [() => client.statuses([1, 'x']), '`x` is not a whole number'],
    [() => client.refills([1.5]), 'must be a whole number, not 1.5'],
    [() => client.refillStatus(true), 'must be a whole number, not a boolean'],
    [() => client.cancel([{}]), 'must be a whole number, not an object'],
  ]
  for (const [call, message] of cases) {
    await assert.rejects(call(), (e) => {
      assert.ok(e instanceof smmkit.ValidationError, String(e))
      assert.ok(e.message.includes(message), `expected "${message}" in "${e.message}"`)
      return true
    })
  }
})

test('bad client options', () => {
  assert.throws(() => new smmkit.PerfectPanel({ url: 'http://127.0.0.1:1/api/v2', key: 123 }), smmkit.ConfigError)
  assert.throws(() => new smmkit.PerfectPanel({ url: 'http://127.0.0.1:1/api/v2', key: '' }), smmkit.ConfigError)
  assert.throws(() => new smmkit.PerfectPanel({ key: 'k' }), smmkit.ConfigError)
  assert.throws(() => new smmkit.PerfectPanel(null), smmkit.ConfigError)
  assert.throws(() => new smmkit.PerfectPanel({ url: 'http://127.0.0.1:1/api/v2', key: 'k', concurrency: 0 }), smmkit.ConfigError)
})
