// Node end to end: smmkit against fetch + JSON.parse, the way Node bot
// authors call panels by hand.
//
// Usage: node bench.mjs URL KEY ORDERS_FILE  (one JSON record per line)
import { readFileSync } from 'node:fs'
import { PerfectPanel, Sandbox } from 'smmkit'
import { request } from 'undici'

const [url, key, ordersFile] = process.argv.slice(2)
const ids = JSON.parse(readFileSync(ordersFile, 'utf8'))

/**
 * Medians of several functions timed in rounds: each round times a few
 * calls of each function in turn, after `warmup` calls that are not timed.
 * A slow spell of a shared machine then falls on all of them alike, and
 * the state one function leaves behind (garbage to collect, a cold cache)
 * is not counted against the next.
 */
async function pairedMedianMs(fns, runs, rounds = 4, warmup = 3) {
  const times = fns.map(() => [])
  const perRound = Math.ceil(runs / rounds)
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < fns.length; k++) {
      for (let i = 0; i < warmup; i++) await fns[k]()
      for (let i = 0; i < perRound; i++) {
        const started = process.hrtime.bigint()
        await fns[k]()
        times[k].push(Number(process.hrtime.bigint() - started) / 1e6)
      }
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b)
    return t[Math.floor(t.length / 2)]
  })
}

async function medianMs(fn, runs, warmup = 1) {
  for (let i = 0; i < warmup; i++) await fn()
  const times = []
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint()
    await fn()
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

function record(suite, kase, impl, ms, runs, baseline = false, extra = {}) {
  console.log(JSON.stringify({ suite, case: kase, impl, median_ms: ms, runs, baseline, extra }))
}

async function post(params, to = { url, key }) {
  const res = await fetch(to.url, { method: 'POST', body: new URLSearchParams({ key: to.key, ...params }) })
  return res.json()
}

/**
 * What `call({ url, key })` asks of a panel, counted by a sandbox panel in
 * this process that holds the timed rows' orders nowhere (every id is
 * unknown there; the requests are the same): how many requests, and the
 * most it was answering at once, with answers that take up to 2 ms so that
 * requests overlap as far as the caller lets them.
 */
async function asked(call) {
  const panel = new Sandbox({ speed: null })
  try {
    panel.setFaults({ latency: 0.002 })
    const before = panel.faultCounts().clean
    await call({ url: panel.url, key: panel.key })
    return { requests: panel.faultCounts().clean - before, most_in_flight: panel.connections().mostInFlight }
  } finally {
    panel.close()
  }
}

const client = new PerfectPanel({ url, key })
const services = await client.services()
if (services.length !== 10000) throw new Error(`expected 10,000 services, got ${services.length}`)

/** Reads every field of every service, so that nothing is left for later. */
function touch(list) {
  let n = 0
  for (const s of list) {
    n += s.name.length + s.type.length + s.category.length + s.rate.length + Number(s.min > 0) + Number(s.max > 0)
    n += Number(s.refill === true) + Number(s.cancel === true) + (s.id > 0 || s.service ? 1 : 0)
  }
  return n
}

async function undiciText(params) {
  const { body } = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key, ...params }).toString(),
  })
  return body.text()
}

async function undiciPost(params) {
  return JSON.parse(await undiciText(params))
}

let kase = 'services() of 10,000 services'
let runs = 15
record('node', kase, 'fetch + JSON.parse', await medianMs(() => post({ action: 'services' }), runs), runs, true)
record('node', kase, 'smmkit', await medianMs(() => client.services(), runs), runs)

kase = 'services() of 10,000, every field read (vs undici)'
runs = 31
// With the parts, each alone: the bytes, V8's own parse of them, and
// making 10,000 plain objects with the same fields from values in hand
// (the least any implementation pays for the objects it returns). All
// timed in turns.
const text = await undiciText({ action: 'services' })
const held = await client.services()
const copy = (s) => ({ id: s.id, name: s.name, type: s.type, category: s.category, rate: s.rate, min: s.min, max: s.max, refill: s.refill, cancel: s.cancel, dripfeed: s.dripfeed, description: s.description, extra: s.extra, raw: s.raw })
const [undiciMs, smmkitMs, bytesMs, parseMs, objectsMs] = await pairedMedianMs([
  async () => touch(await undiciPost({ action: 'services' })),
  async () => touch(await client.services()),
  () => undiciText({ action: 'services' }),
  async () => touch(JSON.parse(text)),
  async () => touch(held.map(copy)),
], runs)
record('node', kase, 'undici.request + JSON.parse', undiciMs, runs, true)
record('node', kase, 'smmkit', smmkitMs, runs)
record('node', kase, 'part: undici.request, the bytes alone', bytesMs, runs)
record('node', kase, 'part: JSON.parse alone, text in hand', parseMs, runs)
record('node', kase, 'part: 10,000 objects from values in hand', objectsMs, runs)
runs = 15

kase = 'statuses of 10,000 orders'
async function batched(concurrency, to) {
  const chunks = []
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100).join(','))
  const out = {}
  let next = 0
  async function worker() {
    while (next < chunks.length) {
      const chunk = chunks[next++]
      Object.assign(out, await post({ action: 'status', orders: chunk }, to))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return out
}
runs = 5
record('node', kase, 'fetch + JSON.parse, batched by 100, one at a time', await medianMs(() => batched(1), runs), runs, true,
  await asked((to) => batched(1, to)))
// smmkit's default concurrency: 4 batches at once.
if (Object.keys(await batched(4)).length !== ids.length) throw new Error('a status per order')
record('node', kase, 'fetch + JSON.parse, batched by 100, 4 at a time', await medianMs(() => batched(4), runs), runs, false,
  await asked((to) => batched(4, to)))
const all = await client.statuses(ids)
if (all.size !== ids.length) throw new Error('a status per order')
record('node', kase, 'smmkit statuses()', await medianMs(() => client.statuses(ids), runs), runs, false,
  await asked((to) => new PerfectPanel(to).statuses(ids)))
