'use strict'
// Several panels from Node: the cheapest panel with funds gets a routed
// order, an unknown outcome is never failed over, every refusal is listed,
// price lists are exact decimal strings.
const test = require('node:test')
const assert = require('node:assert/strict')

const smmkit = require('..')
const { PerfectPanel, Sandbox, openFleet } = smmkit

function shop(service, rate, balance = '1000') {
  const catalogJson = JSON.stringify([
    { service, name: 'Instagram Likes', type: 'Default', category: 'Instagram', rate, min: 10, max: 100000 },
  ])
  return new Sandbox({ speed: null, catalogJson, balance })
}

const routes = { likes: { strategy: 'cheapest', services: ['a:10', 'b:20', 'c:30'] } }

test('the cheapest panel with funds gets the order; prices are exact', async () => {
  const [a, b, c] = [shop(10, '0.50'), shop(20, '0.40', '0.10'), shop(30, '0.60')]
  try {
    const panels = Object.fromEntries([['a', a], ['b', b], ['c', c]].map(([n, s]) => [n, new PerfectPanel({ url: s.url, key: s.key, retries: 0 })]))
    const fleet = await openFleet({ panels, routes })
    assert.deepEqual(fleet.panels, ['a', 'b', 'c'])
    assert.equal(fleet.journal, null)
    const plan = await fleet.plan('likes', { link: 'https://instagram.com/p/1', quantity: 1000 })
    assert.deepEqual(plan.attempts.map((x) => x.panel), ['a', 'c', 'b'])
    assert.match(plan.attempts[2].reason, /not enough funds/)
    const routed = await fleet.add('likes', { link: 'https://instagram.com/p/1', quantity: 1000 })
    assert.equal(routed.panel, 'a')
    assert.equal(routed.order, a.orders()[0].id)
    assert.deepEqual([a.orders().length, b.orders().length, c.orders().length], [1, 0, 0])
    const statuses = await fleet.statuses([['a', routed.order], ['c', routed.order]])
    assert.equal(statuses[0].status.status, 'Pending')
    assert.ok(statuses[1].error instanceof smmkit.IncorrectOrderIdError)
    assert.deepEqual((await fleet.services()).map((p) => p.services.length), [1, 1, 1])
    const { rows } = await fleet.prices({ markup: '30%', round: 2 })
    assert.deepEqual([rows[0].name, rows[0].panel, rows[0].cost, rows[0].sale, rows[0].serviceName], ['likes', 'b', '0.40', '0.52', 'Instagram Likes'])
    assert.deepEqual(await fleet.checkPrices(rows), [])
    const warnings = await fleet.checkPrices([{ ...rows[0], sale: '0.10' }])
    assert.equal(warnings.length, 1)
    assert.equal(warnings[0].cost, '0.40')
    const found = await fleet.compare('instagram likes')
    assert.equal(found.panels.length, 3)
    assert.equal(found.suggestions.length, 1)
    await assert.rejects(fleet.add('likes', { link: 'https://instagram.com/p/2', quantity: 100000000 }), (e) => {
      assert.ok(e instanceof smmkit.RouteExhaustedError)
      assert.equal(e.route, 'likes')
      assert.equal(e.reasons.length, 3)
      return true
    })
    await assert.rejects(fleet.add('likes', { link: 'x', quantity: 1000 }, { idempotencyKey: 'k' }), /needs the fleet's journal/)
    await assert.rejects(openFleet({ panels: { z: {} } }), /must be a smmkit client/)
    await assert.rejects(openFleet({ panels, routes: { r: { services: ['nowhere:1'] } } }), /not in the fleet/)
  } finally {
    for (const s of [a, b, c]) s.close()
  }
})

test('an unknown outcome is never failed over; a key covers the whole route', async () => {
  const [a, b, c] = [shop(10, '0.50'), shop(20, '0.40'), shop(30, '0.60')]
  try {
    const panels = Object.fromEntries([['a', a], ['b', b], ['c', c]].map(([n, s]) => [n, new PerfectPanel({ url: s.url, key: s.key, retries: 0 })]))
    const fleet = await openFleet({ panels, routes, journal: 'sqlite::memory:' })
    await fleet.plan('likes', { link: 'https://instagram.com/p/0', quantity: 1000 })
    b.setFaults({ serverError: 1, afterAction: 1 })
    await assert.rejects(fleet.add('likes', { link: 'https://instagram.com/p/1', quantity: 1000 }, { idempotencyKey: 'r1' }), smmkit.OutcomeUnknownError)
    b.setFaults({})
    assert.deepEqual([a.orders().length, b.orders().length, c.orders().length], [0, 1, 0])
    await assert.rejects(fleet.add('likes', { link: 'https://instagram.com/p/1', quantity: 1000 }, { idempotencyKey: 'r1' }), smmkit.OutcomeUnknownError)
    assert.equal(b.orders().length, 1)
    assert.deepEqual((await fleet.journal.unknown()).map((e) => e.key), ['r1@b'])
    const first = await fleet.add('likes', { link: 'https://instagram.com/p/2', quantity: 1000 }, { idempotencyKey: 'r2' })
    const again = await fleet.add('likes', { link: 'https://instagram.com/p/2', quantity: 1000 }, { idempotencyKey: 'r2' })
    assert.equal(again.order, first.order)
    assert.equal(again.replayed, true)
  } finally {
    for (const s of [a, b, c]) s.close()
  }
})
