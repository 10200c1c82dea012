'use strict'
// The order journal from Node: an order sent once under its idempotency key,
// refusals and unknown outcomes replayed without sending, the unknown queue
// resolved, sync with its changes, spend; values as the package gives them
// (Dates, money strings, SmmErrors) and clear errors.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const smmkit = require('..')
const { PerfectPanel, openJournal } = smmkit
const { sandbox } = require('./helpers')

function journalUrl() {
  return `sqlite://${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smmkit-journal-')), 'orders.db')}`
}

function requests(s) {
  const c = s.faultCounts()
  return c.clean + c.serverError + c.html + c.drop + c.stall
}

test('an order is sent once under its key', async () => {
  const s = sandbox()
  try {
    const url = journalUrl()
    const client = new PerfectPanel({ url: s.url, key: s.key, journal: url, name: 'main' })
    assert.ok(client.journal)
    const order = { service: 1, link: 'https://instagram.com/p/j', quantity: 100 }
    const first = await client.add(order, { idempotencyKey: 'inv-1', reference: 'invoice 1', metadata: { customer: 42 } })
    const sent = requests(s)
    assert.equal(await client.add(order, { idempotencyKey: 'inv-1' }), first)
    assert.equal(requests(s), sent, 'a replayed add sends nothing')
    assert.equal(s.orders().length, 1)

    const entry = await client.journal.order('inv-1')
    assert.equal(entry.state, 'placed')
    assert.equal(entry.order, first)
    assert.equal(entry.provider, 'main')
    assert.equal(entry.reference, 'invoice 1')
    assert.deepEqual(entry.metadata, { customer: 42 })
    assert.deepEqual(entry.request, { service: 1, form: 'default', link: 'https://instagram.com/p/j', quantity: '100' })
    assert.deepEqual(entry.quote, { kind: 'exact', amount: '0.09' })
    assert.ok(entry.createdAt instanceof Date && !Number.isNaN(entry.createdAt.getTime()))
    assert.equal(entry.isFinal, false)

    await assert.rejects(client.add({ ...order, link: 'https://instagram.com/p/other' }, { idempotencyKey: 'inv-1' }), (e) => {
      assert.ok(e instanceof smmkit.IdempotencyConflictError)
      assert.equal(e.key, 'inv-1')
      return true
    })
    // Another client of the same journal: a restart, another process.
    const other = new PerfectPanel({ url: s.url, key: s.key, journal: url, name: 'main' })
    assert.equal(await other.add(order, { idempotencyKey: 'inv-1' }), first)
    assert.equal(s.orders().length, 1)
    const alone = await openJournal(url)
    assert.equal(alone.backend, 'sqlite')
    assert.deepEqual((await alone.orders()).map((e) => e.key), ['inv-1'])
  } finally {
    s.close()
  }
})

test('unknown outcomes wait until resolved; refusals are replayed', async () => {
  const s = sandbox()
  try {
    const client = new PerfectPanel({ url: s.url, key: s.key, journal: journalUrl(), retries: 0 })
    await client.services()
    s.setFaults({ serverError: 1, afterAction: 1 })
    const order = { service: 1, link: 'https://instagram.com/p/u', quantity: 100 }
    await assert.rejects(client.add(order, { idempotencyKey: 'k-u' }), smmkit.OutcomeUnknownError)
    s.setFaults({})
    await assert.rejects(client.add(order, { idempotencyKey: 'k-u' }), (e) => {
      assert.ok(e instanceof smmkit.OutcomeUnknownError)
      assert.match(e.message, /nothing was sent again/)
      assert.ok(e.cause instanceof smmkit.JournalError)
      return true
    })
    const queue = await client.journal.unknown()
    assert.deepEqual(queue.map((e) => e.key), ['k-u'])
    assert.ok(queue[0].error instanceof smmkit.OutcomeUnknownError)
    const created = s.orders()[0].id
    const resolved = await client.journal.resolve('k-u', { placed: created })
    assert.equal(resolved.state, 'placed')
    assert.equal(await client.add(order, { idempotencyKey: 'k-u' }), created)
    await assert.rejects(client.journal.resolve('k-u', { notPlaced: true }), /only an unknown outcome/)
    await assert.rejects(client.journal.resolve('k-u'), /either `placed`/)
    await assert.rejects(client.journal.orders({ stat: 'placed' }), /did you mean `state`/)
    assert.equal(s.orders().length, 1)
  } finally {
    s.close()
  }
  const poor = sandbox({ balance: '0.01' })
  try {
    const client = new PerfectPanel({ url: poor.url, key: poor.key, journal: journalUrl() })
    const big = { service: 3, link: 'https://t.me/big', quantity: 1000000 }
    const first = await client.add(big, { idempotencyKey: 'big' }).catch((e) => e)
    assert.ok(first instanceof smmkit.InsufficientFundsError, String(first))
    const sent = requests(poor)
    const again = await client.add(big, { idempotencyKey: 'big' }).catch((e) => e)
    assert.ok(again instanceof smmkit.InsufficientFundsError)
    assert.equal(again.message, first.message)
    assert.equal(requests(poor), sent)
    const entry = await client.journal.order('big')
    assert.equal(entry.state, 'refused')
    assert.ok(entry.error instanceof smmkit.InsufficientFundsError)
  } finally {
    poor.close()
  }
})

test('sync reports changes, history and spend', async () => {
  const s = sandbox()
  try {
    const client = new PerfectPanel({ url: s.url, key: s.key, journal: journalUrl() })
    const ids = []
    for (let i = 0; i < 3; i++) ids.push(await client.add({ service: 1, link: `https://instagram.com/p/${i}`, quantity: 100 }))
    let report = await client.journal.sync()
    assert.equal(report.polled, 3)
    assert.equal(report.open, 3)
    assert.deepEqual([...new Set(report.changes.map((c) => c.to))], ['Pending'])
    assert.ok(report.changes.every((c) => c.from === null))
    s.advance(86400)
    report = await client.journal.sync()
    assert.equal(report.open, 0)
    assert.deepEqual(new Set(report.changes.map((c) => c.order)), new Set(ids))
    const spend = await client.journal.spend()
    assert.equal(spend.length, 1)
    assert.equal(spend[0].orders, 3)
    const charges = (await client.journal.orders({ state: 'placed' })).map((e) => e.charge)
    assert.equal(spend[0].charged, charges.reduce((a, b) => smmkit.money.add(a, b), '0'))
    const [latest] = await client.journal.orders({ limit: 1 })
    const history = await client.journal.history(latest.key)
    assert.equal(history.length, 2)
    assert.equal(history[0].status, 'Pending')
    assert.ok(history[0].at instanceof Date)
  } finally {
    s.close()
  }
})

test('without a journal, or with a bad one, each says so', async () => {
  const s = sandbox()
  try {
    const plain = new PerfectPanel({ url: s.url, key: s.key })
    assert.equal(plain.journal, null)
    await assert.rejects(plain.add({ service: 1, link: 'https://x.y/p', quantity: 100 }, { idempotencyKey: 'k' }), (e) => {
      assert.ok(e instanceof smmkit.ConfigError)
      assert.match(e.message, /need a journal/)
      return true
    })
    assert.throws(() => new PerfectPanel({ url: s.url, key: s.key, journal: 'mysql://db/x' }), smmkit.ConfigError)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smmkit-notes-'))
    const notes = path.join(dir, 'notes.txt')
    fs.writeFileSync(notes, 'not a database\n'.repeat(100))
    await assert.rejects(openJournal(notes), (e) => {
      assert.ok(e instanceof smmkit.JournalError)
      assert.match(e.message, /is not an SQLite database/)
      return true
    })
    // A client whose journal cannot open says so on its first call.
    const broken = new PerfectPanel({ url: s.url, key: s.key, journal: notes })
    await assert.rejects(broken.balance(), smmkit.JournalError)
    assert.equal(s.orders().length, 0)
  } finally {
    s.close()
  }
})
