'use strict'
// Every error class and code, met the way users meet them.
const test = require('node:test')
const assert = require('node:assert/strict')
const smmkit = require('..')
const { sandbox, deadUrl } = require('./helpers')

const API = {
  'Invalid API key': [smmkit.InvalidKeyError, 'invalid_key'],
  'Not enough funds on balance': [smmkit.InsufficientFundsError, 'insufficient_funds'],
  'Incorrect order ID': [smmkit.IncorrectOrderIdError, 'incorrect_order_id'],
  'Refill not found': [smmkit.IncorrectRefillIdError, 'incorrect_refill_id'],
  'Incorrect service ID': [smmkit.IncorrectServiceError, 'incorrect_service'],
  'Quantity less than minimal 100': [smmkit.QuantityOutOfRangeError, 'quantity_out_of_range'],
  'Incorrect link': [smmkit.IncorrectLinkError, 'incorrect_link'],
  'You have active order with this link. Please wait until order being completed.': [smmkit.ActiveOrderOnLinkError, 'active_order_on_link'],
  'Order not eligible for refill.': [smmkit.RefillNotPossibleError, 'refill_not_possible'],
  'Order can not be canceled': [smmkit.CancelNotPossibleError, 'cancel_not_possible'],
  'Too many requests': [smmkit.RateLimitedError, 'rate_limited'],
  'Incorrect request': [smmkit.IncorrectRequestError, 'incorrect_request'],
  'Something else entirely': [smmkit.ApiError, 'other'],
}

for (const [text, [Class, code]] of Object.entries(API)) {
  test(`"${text}" is ${Class.name} with code ${code}`, () => {
    assert.throws(
      () => smmkit.decode('add', JSON.stringify({ error: text })),
      (e) => {
        assert.equal(e.constructor, Class)
        assert.ok(e instanceof smmkit.ApiError && e instanceof smmkit.SmmError && e instanceof Error)
        assert.equal(e.name, Class.name)
        assert.equal(e.kind, 'api')
        assert.equal(e.code, code)
        assert.equal(e.action, 'add')
        assert.equal(e.panelMessage, text)
        assert.ok(e.message.includes(text))
        assert.ok(typeof e.stack === 'string' && e.stack.includes(Class.name))
        return true
      }
    )
  })
}

test('API errors from a real panel', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  await assert.rejects(new smmkit.PerfectPanel({ url: panel.url, key: 'not-the-key' }).balance(), smmkit.InvalidKeyError)
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await assert.rejects(client.add({ service: 99, link: 'https://x.y/1', quantity: 10 }), smmkit.IncorrectServiceError)
  await assert.rejects(client.add({ service: 1, link: 'https://x.y/1', quantity: 5 }), (e) => {
    assert.ok(e instanceof smmkit.QuantityOutOfRangeError)
    assert.equal(e.panelMessage, 'Quantity less than minimal 10')
    return true
  })
  await client.add({ service: 1, link: 'https://x.y/2', quantity: 10 })
  await assert.rejects(client.add({ service: 1, link: 'https://x.y/2', quantity: 10 }), smmkit.ActiveOrderOnLinkError)
  await assert.rejects(client.refillStatus(123), smmkit.IncorrectRefillIdError)
})

test('insufficient funds', async (t) => {
  const panel = sandbox({ balance: '0.01' })
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  await assert.rejects(client.add({ service: 3, link: 'https://x.y/p', quantity: 1000000 }), smmkit.InsufficientFundsError)
  assert.deepEqual(panel.orders(), [])
})

test('transport, timeout, HTTP status, decode, size and config errors', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  await assert.rejects(new smmkit.PerfectPanel({ url: await deadUrl(), key: 'k', retries: 0 }).balance(), (e) => {
    assert.ok(e instanceof smmkit.TransportError)
    assert.equal(e.code, 'transport')
    assert.equal(e.notSent, true)
    return true
  })
  const quick = new smmkit.PerfectPanel({ url: panel.url, key: panel.key, retries: 0, timeoutMs: 300 })
  panel.setFaults({ stall: 1, stallFor: 2 })
  await assert.rejects(quick.balance(), (e) => e instanceof smmkit.TimeoutError && e.code === 'timeout' && e.afterMs === 300)
  panel.setFaults({ serverError: 1 })
  await assert.rejects(quick.balance(), (e) => e instanceof smmkit.HttpStatusError && [502, 503].includes(e.status))
  panel.setFaults({ html: 1 })
  await assert.rejects(quick.balance(), (e) => e instanceof smmkit.DecodeError && e.message.includes('HTML page'))
  panel.setFaults({})
  const small = new smmkit.PerfectPanel({ url: panel.url, key: panel.key, maxResponseBytes: 100 })
  await assert.rejects(small.services(), (e) => e instanceof smmkit.ResponseTooLargeError && e.limit === 100)
  assert.throws(() => new smmkit.PerfectPanel({ url: panel.url, key: panel.key, transport: 'pigeon' }), smmkit.ConfigError)
  assert.throws(() => new smmkit.PerfectPanel({ url: 'ftp://x', key: 'k' }), smmkit.ConfigError)
  assert.throws(() => new smmkit.PerfectPanel({ url: panel.url, key: panel.key, timeoutMs: -1 }), smmkit.ConfigError)
  assert.throws(() => new smmkit.PerfectPanel({ url: panel.url, key: panel.key, colour: 'red' }), /unknown option `colour`/)
  assert.throws(() => new smmkit.Sandbox({ dialect: 'klingon' }), smmkit.ConfigError)
})

test('an unknown outcome carries what was sent', async (t) => {
  const panel = sandbox()
  t.after(() => panel.close())
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key, retries: 5 })
  panel.setFaults({ drop: 1, afterAction: 1 })
  await assert.rejects(client.add({ service: 1, link: 'https://instagram.com/p/lost', quantity: 100 }), (e) => {
    assert.ok(e instanceof smmkit.OutcomeUnknownError)
    assert.equal(e.code, 'outcome_unknown')
    assert.deepEqual(e.request, { service: 1, type: 'default', link: 'https://instagram.com/p/lost', quantity: 100, dripfeed: null })
    assert.ok(e.cause instanceof smmkit.TransportError)
    return true
  })
  assert.equal(panel.orders().length, 1, 'the order exists and was sent once')
})
