'use strict'
// A large catalog crosses from the addon in parts built on several cores
// (bindings/node/src/columns.rs): every service, its texts beyond ASCII,
// its raw texts and its extra fields come back where they belong.
const test = require('node:test')
const assert = require('node:assert/strict')
const smmkit = require('..')

test('a catalog put in columns in parts comes back whole and in order', () => {
  const n = 9000
  const entries = []
  const expected = []
  for (let i = 1; i <= n; i++) {
    const wide = i % 3 === 0
    const html = i % 7 === 0
    const name = `${wide ? 'Лайки 🔥' : 'Likes'} ${i}${html ? ' &amp; more' : ''}`
    const entry = { service: String(i), name, type: 'Default', category: `C${i % 11}`, rate: `${i}.${String(i % 100).padStart(2, '0')}`, min: '1', max: String(1000 + i) }
    if (i % 5 === 0) entry.average_time = `${i} minutes`
    if (i % 13 === 0) entry.desc = `line ${i}<br>next`
    entries.push(entry)
    expected.push({
      id: i,
      name: html ? name.replace('&amp;', '&') : name,
      type: 'Default',
      category: `C${i % 11}`,
      rate: entry.rate,
      min: 1,
      max: 1000 + i,
      refill: false,
      cancel: false,
      dripfeed: null,
      description: i % 13 === 0 ? `line ${i}\nnext` : null,
      extra: i % 5 === 0 ? { average_time: `${i} minutes` } : {},
      raw: html || i % 13 === 0 ? { ...(html ? { name } : {}), ...(i % 13 === 0 ? { description: entry.desc } : {}) } : null,
    })
  }
  const services = smmkit.decode('services', JSON.stringify(entries))
  assert.equal(services.length, n)
  for (let i = 0; i < n; i++) assert.deepEqual(services[i], expected[i], `service ${i + 1}`)
  assert.deepEqual(services.skipped, [])
})

test('an empty catalog is an empty list', () => {
  const services = smmkit.decode('services', '[]')
  assert.deepEqual([...services], [])
  assert.deepEqual(services.skipped, [])
})

test('repeated texts, ids beyond 2^53 - 1 and entries set aside, in a catalog decoded in parts', () => {
  const n = 6000
  const entries = []
  for (let i = 1; i <= n; i++) {
    const name = i % 4 === 0 ? `Лайки ${i % 3}` : `Likes ${i % 40}`
    entries.push({ service: String(i), name, type: i % 2 ? 'Default' : 'Package', category: `C${i % 5}`, rate: `0.${i}`, min: '1', max: '9' })
  }
  entries[3999].service = '9007199254740993'
  entries[4999].max = ''
  const services = smmkit.decode('services', JSON.stringify(entries))
  assert.equal(services.length, n - 1)
  assert.deepEqual(services.skipped, [{ index: 4999, id: 5000, reason: '`max` is empty' }])
  for (let k = 0; k < services.length; k++) {
    const i = k < 4999 ? k + 1 : k + 2
    const s = services[k]
    assert.equal(s.id, i === 4000 ? '9007199254740993' : i, `service ${i}`)
    assert.equal(s.name, i % 4 === 0 ? `Лайки ${i % 3}` : `Likes ${i % 40}`, `service ${i}`)
    assert.equal(s.type, i % 2 ? 'Default' : 'Package', `service ${i}`)
    assert.equal(s.category, `C${i % 5}`, `service ${i}`)
    assert.equal(s.rate, `0.${i}`, `service ${i}`)
  }
})

test('extra fields of every kind come back as JSON.parse would make them', () => {
  const extra = {
    average_time: '481 minutes',
    'время': 'сутки 🔥',
    speed: 5000,
    tiers: [1, { from: '100' }],
    note: null,
    drip: true,
    ['__proto__']: { polluted: 1 },
  }
  const text = JSON.stringify([
    { service: 1, name: 'a', rate: '1', min: 1, max: 2, ...extra },
    { service: 2, name: 'b', rate: '1', min: 1, max: 2 },
    { service: 3, name: 'c', rate: '1', min: 1, max: 2, average_time: '481 minutes' },
  ])
  const services = smmkit.decode('services', text)
  const expected = JSON.parse(text)[0]
  for (const k of ['service', 'name', 'rate', 'min', 'max']) delete expected[k]
  assert.deepEqual(services[0].extra, expected)
  assert.deepEqual(Object.keys(services[0].extra).sort(), Object.keys(expected).sort())
  assert.equal(Object.getPrototypeOf(services[0].extra), Object.prototype)
  assert.deepEqual(services[0].extra['__proto__'], { polluted: 1 })
  assert.equal({}.polluted, undefined)
  assert.deepEqual(services[1].extra, {})
  assert.deepEqual(services[2].extra, { average_time: '481 minutes' })
})
