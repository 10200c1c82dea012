'use strict'
// Every method of the client against the sandbox panel.
const test = require('node:test')
const assert = require('node:assert/strict')
const smmkit = require('..')
const { sandbox } = require('./helpers')

test('services are typed objects with exact money', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  const services = await client.services()
  assert.deepEqual(services.map((s) => s.id), [1, 2, 3, 4, 5, 6, 7, 8, 9])
  assert.deepEqual(services[0], {
    id: 1,
    name: 'Instagram Likes',
    type: 'Default',
    category: 'Instagram',
    rate: '0.90',
    min: 10,
    max: 5000,
    refill: true,
    cancel: true,
    dripfeed: true,
    description: null,
    extra: {},
    raw: null,
  })
  assert.deepEqual(services.skipped, [])
  assert.equal(services[8].type, 'Premium Boost', 'an unknown type keeps its text')
})

test('add every form, then follow the orders', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await client.services()
  const ids = [
    await client.add({ service: 1, link: 'https://instagram.com/p/a', quantity: 100 }),
    await client.add({ service: 1, link: 'https://instagram.com/p/b', quantity: 100n, runs: 3, interval: 10 }),
    await client.add({ service: 2, link: 'https://instagram.com/p/c', comments: 'Great!\nLovely\n' }),
    await client.add({ service: 2, link: 'https://instagram.com/p/d', comments: ['One', 'Two', 'Three'] }),
    await client.add({ service: 4, link: 'https://t.me/c/1', quantity: 20, answerNumber: 2 }),
    await client.add({ service: 5, link: 'https://youtube.com/@x' }),
    await client.add({ service: 6, link: 'https://site.example', quantity: 500, country: 'US', device: 5, typeOfTraffic: 1, googleKeyword: 'shoes' }),
    await client.add({ service: 7, username: 'alice', min: 10, max: 20, posts: 3, delay: 30, expiry: '31/12/2030' }),
    await client.add({ service: 8, link: 'https://instagram.com/p/e', quantity: 10, usernames: ['u1', 'u2'], hashtags: '#a\n#b' }),
    await client.add({ service: '9', link: 'https://x.y/magic', quantity: '5' }),
  ]
  assert.equal(new Set(ids).size, ids.length)
  const record = panel.orders()
  assert.deepEqual(record.map((o) => o.id), ids)
  assert.deepEqual(record.map((o) => o.quantity), [100, 300, 2, 3, 20, 1, 500, 60, 10, 5])
  assert.equal(record[0].charge, '0.09')

  const first = await client.status(ids[0])
  assert.deepEqual(first, { status: 'Pending', charge: '0.09', startCount: 0, remains: 100, currency: 'USD', isFinal: false, extra: {} })

  panel.advance(24 * 3600)
  const all = await client.statuses([...ids, 424242])
  assert.ok(all instanceof Map)
  assert.equal(all.size, ids.length + 1)
  assert.ok(all.get(424242) instanceof smmkit.IncorrectOrderIdError)
  for (const id of ids) assert.equal(all.get(id).isFinal, true, `${id}: ${JSON.stringify(all.get(id))}`)
})

test('batches past 100 ids', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  const placed = []
  for (let i = 0; i < 5; i++) placed.push(await client.add({ service: 3, link: `https://t.me/c/${i}`, quantity: 100 }))
  const unknown = Array.from({ length: 150 }, (_, i) => 900000 + i)
  const result = await client.statuses([...placed, ...unknown])
  assert.equal(result.size, 155)
  for (const id of placed) assert.equal(result.get(id).status, 'Pending')
  for (const id of unknown) assert.equal(result.get(id).code, 'incorrect_order_id')
})

test('statuses of 10,000 orders take 100 requests, no more at once than the concurrency', async (t) => {
  const ids = Array.from({ length: 10000 }, (_, i) => 1000000 + i)
  for (const concurrency of [undefined, 1, 7]) {
    const panel = sandbox()
    t.after(() => panel.close())
    // Answers that take up to 5 ms, so that requests overlap when they may.
    panel.setFaults({ latency: 0.005 })
    const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key, retries: 0, concurrency })
    const before = panel.faultCounts().clean
    const result = await client.statuses(ids)
    assert.deepEqual([...result.keys()], ids)
    for (const r of result.values()) assert.equal(r.code, 'incorrect_order_id')
    assert.equal(panel.faultCounts().clean - before, 100, `concurrency ${concurrency}`)
    // The default is 4 batches at once; 100 batches of up to 5 ms each
    // overlap up to it, and never beyond it.
    const { mostInFlight } = panel.connections()
    if (concurrency === 1) assert.equal(mostInFlight, 1)
    else assert.ok(mostInFlight >= 2 && mostInFlight <= (concurrency ?? 4), `concurrency ${concurrency}: ${mostInFlight} at once`)
  }
})

test('refill, cancel and balance', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await client.services()
  assert.deepEqual(await client.balance(), { amount: '1000.00', currency: 'USD' })
  const keep = await client.add({ service: 1, link: 'https://instagram.com/p/keep', quantity: 1000 })
  const drop = await client.add({ service: 1, link: 'https://instagram.com/p/drop', quantity: 2000 })
  const poll = await client.add({ service: 4, link: 'https://t.me/c/9', quantity: 10, answerNumber: 1 })

  assert.deepEqual(await client.cancel(drop), { note: null })
  const many = await client.cancel([poll, 777777n])
  assert.ok(many.get(poll) instanceof smmkit.CancelNotPossibleError)
  assert.ok(many.get(777777n) instanceof smmkit.IncorrectOrderIdError, 'keyed by the id as given')
  await assert.rejects(client.cancel(poll), smmkit.CancelNotPossibleError)
  assert.equal((await client.status(drop)).status, 'Canceled')

  await assert.rejects(client.refill(keep), smmkit.RefillNotPossibleError)
  panel.advance(24 * 3600)
  const refill = await client.refill(keep)
  assert.equal(typeof refill, 'number')
  assert.equal(await client.refillStatus(refill), 'Pending')
  const refills = await client.refills([keep, 888888])
  assert.ok(refills.get(keep) instanceof smmkit.RefillNotPossibleError, 'one refill at a time')
  assert.ok(refills.get(888888) instanceof smmkit.IncorrectOrderIdError)
  panel.advance(24 * 3600)
  const states = await client.refillStatuses([refill, 31337])
  assert.ok(['Completed', 'Rejected'].includes(states.get(refill)))
  assert.ok(states.get(31337) instanceof smmkit.IncorrectRefillIdError)

  const end = await client.balance()
  assert.equal(end.amount, panel.balance())
})

test('the fampage client on a fampage sandbox', async (t) => {
  const panel = sandbox({ dialect: 'fampage' })
  t.after(() => panel.close())
  const f = new smmkit.Fampage({ key: panel.key, url: panel.url })
  assert.equal(f.name, 'fampage')
  assert.equal(f.transport, 'get')
  const id = await f.add({ service: 1, link: 'https://instagram.com/p/x', quantity: 10 })
  assert.deepEqual(await f.cancel(id), { note: 'true' })
  const result = await f.statuses([id, 5])
  assert.equal(result.get(id).status, 'Canceled')
  assert.ok(result.get(5) instanceof smmkit.IncorrectOrderIdError)
})

test('500 concurrent calls', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await client.services()
  const ids = await Promise.all(
    Array.from({ length: 250 }, (_, i) => client.add({ service: 3, link: `https://t.me/p/${i}`, quantity: 100 }))
  )
  const reads = await Promise.all([...ids.map((id) => client.status(id)), ...Array.from({ length: 250 }, () => client.balance())])
  assert.equal(new Set(ids).size, 250)
  assert.equal(reads.length, 500)
  assert.ok(reads.slice(0, 250).every((s) => s.status === 'Pending'))
  assert.equal(new Set(reads.slice(250).map((b) => b.amount)).size, 1)
  assert.equal(panel.orders().length, 250)
})

test('ids past 2^53 - 1 come back as strings', () => {
  const big = smmkit.decode('add', '{"order":"18446744073709551615"}')
  assert.equal(big, '18446744073709551615')
  assert.equal(smmkit.decode('add', '{"order":9007199254740991}'), 9007199254740991)
  assert.equal(smmkit.decode('add', '{"order":9007199254740992}'), '9007199254740992')
})
