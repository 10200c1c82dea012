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
