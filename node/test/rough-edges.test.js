'use strict'
// What real panels do, met from Node: keys that need encoding echoed back,
// options with the wrong name, malformed catalog entries, quotes of every
// form, ids looked up as given, connections capped.
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const smmkit = require('..')
const { sandbox } = require('./helpers')

const KEY = "Zq9/Xv+Kp8=&%w s\"<éx>'Yt7Nw=="

function spellings(key) {
  const form = encodeURIComponent(key).replace(/%20/g, '+')
  const html = key.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#039;')
  const php = JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/')
  return [key, form, form.replace(/\+/g, '%20'), php, html, key.slice(0, 8), form.slice(0, 10)]
}

function texts(e) {
  const out = [String(e), e.message, e.stack, util.inspect(e, { depth: 5, showHidden: true }), JSON.stringify(e)]
  if (e.cause) out.push(...texts(e.cause))
  return out
}

test('a key that needs encoding never shows, even when the panel echoes it', async (t) => {
  const panel = sandbox({ echo: true })
  t.after(() => panel.close())
  for (const transport of ['post', 'get']) {
    const client = new smmkit.PerfectPanel({ url: panel.url, key: KEY, transport, retries: 0, timeoutMs: 2000 })
    const all = []
    for (const faults of [{}, { html: 1 }, { serverError: 1 }]) {
      panel.setFaults(faults)
      for (const call of [() => client.balance(), () => client.services(), () => client.add({ service: 1, link: 'https://x.y', quantity: 10 })]) {
        await call().catch((e) => all.push(...texts(e)))
      }
    }
    panel.setFaults({})
    assert.ok(all.some((text) => String(text).includes('[redacted]')), 'the panel echoed the key')
    for (const text of all) for (const s of spellings(KEY)) assert.ok(!String(text).includes(s), `${s} in ${text}`)
  }
})

test('a wrong option name suggests the right one; bounds are the core\'s', () => {
  const url = 'https://panel.example/api/v2'
  const cases = [
    [{ url, key: 'k', timeout: 20 }, 'unknown option `timeout` (did you mean `timeoutMs`?)'],
    [{ url, key: 'k', max_connections: 4 }, 'unknown option `max_connections` (did you mean `maxConnections`?)'],
    [{ url, key: 'k', retires: 2 }, 'unknown option `retires` (did you mean `retries`?)'],
    [{ url, key: 'k', retries: -1 }, '`retries` must be a whole number from 0 to 20, not -1'],
    [{ url, key: 'k', timeoutMs: 0 }, '`timeoutMs` must be a number of milliseconds from 1 to 86400000'],
  ]
  for (const [options, message] of cases) {
    assert.throws(() => new smmkit.PerfectPanel(options), (e) => e instanceof smmkit.ConfigError && e.message.includes(message), message)
  }
  const client = new smmkit.PerfectPanel({ url, key: 'k', userAgent: 'bot/1', proxy: 'http://127.0.0.1:3128', maxConnections: 4, params: { lang: 'en' } })
  assert.equal(client.transport, 'post')
})

test('order fields in either spelling', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await client.services()
  await client.add({ service: 4, link: 'https://t.me/c/1', quantity: 10, answer_number: 2 })
  await client.add({ service: 4, link: 'https://t.me/c/2', quantity: '10', answerNumber: 2 })
  assert.equal(panel.orders().length, 2)
  await assert.rejects(client.add({ service: 4, link: 'x', quantity: 10, answerNumbr: 2 }), /did you mean `answerNumber`/)
})

test('a malformed entry is skipped and reported; text is readable', () => {
  const body = '[{"service":1,"name":"A","rate":"1","min":1,"max":""},{"service":2,"name":"B &amp; C","rate":"1","min":1,"max":9}]'
  const services = smmkit.decode('services', body)
  assert.deepEqual(services.map((s) => s.id), [2])
  assert.deepEqual(services.skipped, [{ index: 0, id: 1, reason: '`max` is empty' }])
  assert.equal(services[0].name, 'B & C')
  assert.deepEqual(services[0].raw, { name: 'B &amp; C' })
})

test('raw texts, extra fields and text beyond ASCII cross from the columns intact', () => {
  const body = JSON.stringify([
    { service: 1, name: 'A &amp; \u{1F525}', category: 'Лайки &lt;3', rate: '0.50', min: 1, max: 9, desc: 'x<br>y &amp; z', tiers: [1, { a: 'Ж' }], note: null },
    { service: 2, name: 'Plain', category: 'Views', rate: '1', min: 1, max: 9 },
    { service: 3, name: 'Ж', category: 'Q&amp;A', rate: '2.000', min: 1, max: 9, description: 'ok', average_time: '5 minutes' },
  ])
  const [one, two, three] = smmkit.decode('services', body)
  assert.deepEqual(one, {
    id: 1, name: 'A & \u{1F525}', type: 'Default', category: 'Лайки <3', rate: '0.50', min: 1, max: 9,
    refill: false, cancel: false, dripfeed: null, description: 'x\ny & z',
    extra: { tiers: [1, { a: 'Ж' }], note: null },
    raw: { name: 'A &amp; \u{1F525}', category: 'Лайки &lt;3', description: 'x<br>y &amp; z' },
  })
  assert.deepEqual(two, {
    id: 2, name: 'Plain', type: 'Default', category: 'Views', rate: '1', min: 1, max: 9,
    refill: false, cancel: false, dripfeed: null, description: null, extra: {}, raw: null,
  })
  assert.deepEqual(three.raw, { category: 'Q&amp;A' })
  assert.deepEqual(three.extra, { average_time: '5 minutes' })
  assert.equal(three.rate, '2.000')
  assert.equal(three.name, 'Ж')
})

test('quotes match what the sandbox charges', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  const byId = new Map((await client.services()).map((s) => [s.id, s]))
  const cases = [
    [{ service: 1, link: 'https://x.y/a', quantity: 1500 }, 'exact'],
    [{ service: 1, link: 'https://x.y/b', quantity: 100, runs: 3, interval: 10 }, 'exact'],
    [{ service: 2, link: 'https://x.y/c', comments: ['a', 'b', 'c'] }, 'exact'],
    [{ service: 5, link: 'https://x.y/e' }, 'exact'],
    [{ service: 7, username: 'someone', min: 10, max: 20, posts: 5, delay: 0 }, 'upTo'],
  ]
  for (const [order, kind] of cases) {
    const { service, ...fields } = order
    const q = smmkit.quote(byId.get(service), fields)
    assert.equal(q.kind, kind)
    await client.add(order)
    const charged = panel.orders().at(-1).charge
    if (kind === 'exact') assert.equal(smmkit.money.cmp(charged, q.amount), 0, `${charged} vs ${q.amount}`)
    else assert.ok(smmkit.money.cmp(charged, q.amount) <= 0)
  }
  assert.deepEqual(smmkit.quote(byId.get(7), { username: 'u', min: 10, max: 20 }), { kind: 'setByPanel', amount: null })
  assert.equal(smmkit.money.mul('0.90', '1500'), '1350.00')
  assert.equal(smmkit.money.round('0.125', 2), '0.13')
  assert.throws(() => smmkit.money.add('1,5', '1'), smmkit.ValidationError)
})

test('batch results are keyed by the ids as given', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await client.services()
  const id = await client.add({ service: 1, link: 'https://x.y/k', quantity: 100 })
  const result = await client.statuses([String(id), 777777n])
  assert.deepEqual([...result.keys()], [String(id), 777777n])
  assert.equal(result.get(String(id)).status, 'Pending')
  assert.ok(result.get(777777n) instanceof smmkit.IncorrectOrderIdError)
})

test('a thousand calls at once open at most the connection cap', async (t) => {
  // Answers that take up to 10 ms: without the cap, many more than 16
  // requests would be answered at once.
  const panel = sandbox()
  t.after(() => panel.close())
  panel.setFaults({ latency: 0.01 })
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await Promise.all(Array.from({ length: 1000 }, () => client.balance()))
  // At most 16 requests are in flight, so the panel never answers more than
  // 16 at once. Connections are not counted at once: one goes back to the
  // pool a moment after its answer is read, and a request that gets its
  // turn meanwhile may open another.
  const { opened, mostInFlight } = panel.connections()
  assert.ok(mostInFlight >= 1 && mostInFlight <= 16, `default cap 16, saw ${mostInFlight} answered at once`)
  assert.ok(opened <= 16 * 2, `kept-alive connections serve the calls: ${opened} opened for 1000 calls`)
  const small = sandbox()
  t.after(() => small.close())
  small.setFaults({ latency: 0.01 })
  const capped = new smmkit.PerfectPanel({ url: small.url, key: small.key, maxConnections: 2 })
  await Promise.all(Array.from({ length: 200 }, () => capped.balance()))
  const counts = small.connections()
  assert.ok(counts.mostInFlight >= 1 && counts.mostInFlight <= 2, `a cap of 2: ${counts.mostInFlight} answered at once`)
  assert.ok(counts.opened <= 2 + 2, `a cap of 2: ${counts.opened} connections opened for 200 calls`)
})
