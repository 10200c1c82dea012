'use strict'
// Shared set-up: a sandbox with a small catalog and a clock that moves only when told.
const net = require('node:net')
const { Sandbox } = require('..')

const CATALOG = JSON.stringify([
  { service: 1, name: 'Instagram Likes', type: 'Default', category: 'Instagram', rate: '0.90', min: 10, max: 5000, refill: true, cancel: true, dripfeed: true },
  { service: 2, name: 'Custom Comments', type: 'Custom Comments', category: 'Instagram', rate: '45.00', min: 2, max: 100 },
  { service: 3, name: 'Telegram Views', type: 'Default', category: 'Telegram', rate: '0.0123', min: 100, max: 1000000 },
  { service: 4, name: 'Poll', type: 'Poll', category: 'Telegram', rate: '2.50', min: 10, max: 1000 },
  { service: 5, name: 'Package', type: 'Package', category: 'YouTube', rate: '12.00', min: 1, max: 1 },
  { service: 6, name: 'Web', type: 'Web Traffic', category: 'Web', rate: '1.00', min: 100, max: 100000 },
  { service: 7, name: 'Subs', type: 'Subscriptions', category: 'Instagram', rate: '3.00', min: 10, max: 500 },
  { service: 8, name: 'Mentions', type: 'Mentions with Hashtags', category: 'Instagram', rate: '4.00', min: 10, max: 1000 },
  { service: 9, name: 'Magic', type: 'Premium Boost', category: 'Other', rate: '1.00', min: 1, max: 100 },
])

function sandbox(options = {}) {
  return new Sandbox({ speed: null, catalogJson: CATALOG, key: 'sandbox-node-test-key', ...options })
}

/** A loopback URL where nothing listens. */
async function deadUrl() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}/api/v2`
}

module.exports = { sandbox, deadUrl, CATALOG }
