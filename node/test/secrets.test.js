'use strict'
// The key appears in no message, stack or util.inspect output.
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const smmkit = require('..')
const { sandbox, deadUrl } = require('./helpers')

const SENTINEL = 'sentinel-fake-key-do-not-leak'

function texts(e) {
  const out = [String(e), e.message, e.stack, util.inspect(e, { depth: 5, showHidden: true }), JSON.stringify(e)]
  if (e.cause) out.push(...texts(e.cause))
  return out
}

async function everyFailure(client) {
  const out = [util.inspect(client, { showHidden: true }), JSON.stringify(client), String(client)]
  const calls = [
    () => client.services(),
    () => client.add({ service: 1, link: 'https://x.y/p', quantity: 10 }),
    () => client.status(1),
    () => client.refill(1),
    () => client.refillStatus(1),
    () => client.cancel(1),
    () => client.balance(),
  ]
  for (const call of calls) {
    try {
      await call()
    } catch (e) {
      out.push(...texts(e))
    }
  }
  for (const r of (await client.statuses([1, 2])).values()) out.push(util.inspect(r))
  return out
}

test('no failure shows the key, with either transport', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const all = []
  for (const transport of ['post', 'get']) {
    const wrong = new smmkit.PerfectPanel({ url: panel.url, key: SENTINEL, transport, retries: 0, timeoutMs: 500 })
    all.push(...(await everyFailure(wrong)))
    for (const faults of [{ html: 1 }, { serverError: 1 }, { drop: 1 }, { stall: 1, stallFor: 2 }]) {
      panel.setFaults(faults)
      all.push(...(await everyFailure(wrong)))
    }
    panel.setFaults({})
    all.push(...(await everyFailure(new smmkit.PerfectPanel({ url: await deadUrl(), key: SENTINEL, transport, retries: 0 }))))
    all.push(...(await everyFailure(new smmkit.Fampage({ key: SENTINEL, url: await deadUrl(), retries: 0 }))))
  }
  assert.ok(all.length > 100)
  for (const text of all) assert.ok(!String(text).includes(SENTINEL), text)
})

test('config errors do not show the key', () => {
  assert.throws(
    () => new smmkit.PerfectPanel({ url: `https://panel.example/api/v2?key=${SENTINEL}`, key: SENTINEL }),
    (e) => {
      for (const text of texts(e)) assert.ok(!text.includes(SENTINEL), text)
      return e instanceof smmkit.ConfigError
    }
  )
})
