'use strict'
// smmkit in worker threads: a worker that ends, on its own or terminated
// with calls still in flight, must not take the process down, and the next
// worker must find smmkit working. Each case runs in a child process, since
// what failed was the process itself: a segmentation fault when the worker
// that first loaded the addon had ended (the allocator's state), and calls
// in flight that read their client after the worker's end had freed it.
const test = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const path = require('node:path')

const PACKAGE = path.join(__dirname, '..')

// A worker: a sandbox, a client, a journaled client, a fleet and a journal,
// one catalog read, then 250 calls; it posts the catalog's length.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
;(async () => {
  const smmkit = require(workerData.pkg)
  const panel = new smmkit.Sandbox({ speed: null })
  const client = new smmkit.PerfectPanel({ url: panel.url, key: panel.key })
  const journaled = new smmkit.PerfectPanel({ url: panel.url, key: panel.key, journal: 'sqlite::memory:' })
  const fleet = await smmkit.openFleet({ panels: { a: client } })
  const journal = await smmkit.openJournal('sqlite::memory:')
  const services = (await client.services()).length
  const calls = []
  for (let i = 0; i < 50; i++) {
    calls.push(client.services(), client.balance(), journaled.balance(), fleet.balances(), journal.orders())
  }
  if (workerData.stop === 'end') await Promise.all(calls)
  else for (const c of calls) c.catch(() => {})
  parentPort.postMessage(services)
  if (workerData.stop === 'end') panel.close()
})()
`

// argv: the package, how many workers in turn, whether the main thread
// loads smmkit too (it keeps napi's runtime up, so calls in flight outlive
// their worker), and within how many milliseconds each worker is
// terminated once it has posted, or "end" to let it end on its own. Prints
// what the workers posted.
const MAIN = `
const { Worker } = require('node:worker_threads')
const [worker, pkg, count, mainLoads, stop] = process.argv.slice(1)
if (mainLoads === 'yes') require(pkg)
const one = (n) => new Promise((resolve, reject) => {
  const w = new Worker(worker, { eval: true, workerData: { pkg, stop } })
  let got = null
  w.on('error', reject)
  w.on('message', (m) => {
    got = m
    if (stop !== 'end') setTimeout(() => w.terminate(), n % Number(stop))
  })
  w.on('exit', () => resolve(got))
})
;(async () => {
  const seen = []
  for (let n = 0; n < Number(count); n++) seen.push(await one(n))
  console.log(JSON.stringify(seen))
})().catch((e) => { console.error(e); process.exit(3) })
`

function run(count, mainLoads, stop) {
  const child = spawnSync(process.execPath, ['-e', MAIN, WORKER, PACKAGE, String(count), mainLoads, String(stop)], {
    encoding: 'utf8',
    timeout: 240_000,
  })
  assert.equal(child.signal, null, `the process died of ${child.signal}: ${child.stderr.slice(-2000)}`)
  assert.equal(child.status, 0, child.stderr.slice(-2000))
  return JSON.parse(child.stdout)
}

test('workers that load smmkit one after another, each ending when its calls are answered', () => {
  const seen = run(4, 'no', 'end')
  assert.equal(seen.length, 4)
  assert.ok(seen.every((n) => n === seen[0] && n > 0), JSON.stringify(seen))
})

test('workers terminated with calls in flight, smmkit loaded by them alone', () => {
  const seen = run(8, 'no', 5)
  assert.equal(seen.length, 8)
  assert.ok(seen.every((n) => n === seen[0] && n > 0), JSON.stringify(seen))
})

test('workers terminated with calls in flight while the main thread keeps smmkit loaded', () => {
  const seen = run(30, 'yes', 5)
  assert.equal(seen.length, 30)
  assert.ok(seen.every((n) => n === seen[0] && n > 0), JSON.stringify(seen))
})
