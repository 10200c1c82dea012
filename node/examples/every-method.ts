// Every method of smmkit's Node API, against the sandbox panel. Type-checked
// with `npm run typecheck` (tsc --noEmit --strict) and run by the tests.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import {
  Fampage,
  IdempotencyConflictError,
  InsufficientFundsError,
  JournalError,
  RouteExhaustedError,
  OutcomeUnknownError,
  PerfectPanel,
  Sandbox,
  SmmError,
  ValidationError,
  decode,
  money,
  openFleet,
  openJournal,
  quote,
  type Balance,
  type CatalogChange,
  type Comparison,
  type Fleet,
  type Plan,
  type PriceRow,
  type PriceWarning,
  type Routed,
  type Journal,
  type JournalEntry,
  type Spend,
  type SyncReport,
  type CancelRequested,
  type Id,
  type OrderStatus,
  type RefillState,
  type Results,
  type Service,
  type ServiceList,
} from 'smmkit'

async function main(): Promise<void> {
  const sandbox = new Sandbox({ speed: null, seed: 3 })
  try {
    const client = new PerfectPanel({ url: sandbox.url, key: sandbox.key, transport: 'post', timeoutMs: 10_000, retries: 2 })
    const services: ServiceList = await client.services()
    console.log(services.skipped.length, quote(services[0], { link: 'https://x.y', quantity: services[0].min }).kind, money.mul('0.90', 3))
    const plain = services.find((s) => s.type === 'Default' && s.refill && s.cancel)
    const comments = services.find((s) => s.type === 'Custom Comments')
    if (!plain || !comments) throw new Error('the sandbox sells both')

    const order: Id = await client.add({ service: plain.id, link: 'https://instagram.com/p/tour', quantity: Number(plain.min) })
    const lines = Array.from({ length: Number(comments.min) }, (_, i) => `Nice post #${i + 1}`)
    await client.add({ service: comments.id, link: 'https://instagram.com/p/tour2', comments: lines })
    const doomed: Id = await client.add({ service: plain.id, link: 'https://instagram.com/p/doomed', quantity: BigInt(plain.min) })

    const status: OrderStatus = await client.status(order)
    console.log(status.status, status.charge, status.remains, status.isFinal)
    const many: Results<OrderStatus, Id | bigint> = await client.statuses([order, doomed, 1n])
    for (const [id, result] of many) {
      console.log(id, result instanceof SmmError ? result.code : result.status)
    }

    const canceled: CancelRequested = await client.cancel(doomed)
    const cancels: Results<CancelRequested> = await client.cancel([doomed])
    console.log(canceled.note, cancels.size)

    sandbox.advance(48 * 3600)
    const refill: Id = await client.refill(order)
    const state: RefillState = await client.refillStatus(refill)
    const refills: Results<Id> = await client.refills([order])
    const states: Results<RefillState> = await client.refillStatuses([refill])
    console.log(state, refills.size, states.size)

    const balance: Balance = await client.balance()
    console.log(balance.amount, balance.currency, sandbox.balance())

    try {
      await client.add({ service: plain.id, link: '', quantity: 10 })
    } catch (e) {
      if (e instanceof ValidationError) console.log('refused:', e.field)
    }
    try {
      await client.add({ service: plain.id, link: 'https://x.y/z', quantity: '999999999999' })
    } catch (e) {
      if (e instanceof InsufficientFundsError || e instanceof OutcomeUnknownError || e instanceof ValidationError) {
        console.log(e.code)
      }
    }

    const fampage = new Fampage({ key: sandbox.key, url: sandbox.url, timeoutMs: 5_000 })
    console.log(fampage.name, fampage.transport, (await fampage.balance()).amount)

    // The order journal: an order sent once under its key, synced, resolved.
    const dir = mkdtempSync(join(tmpdir(), 'smmkit-'))
    const journaled = new PerfectPanel({ url: sandbox.url, key: sandbox.key, journal: `sqlite://${dir}/orders.db`, name: 'main' })
    const journal: Journal | null = journaled.journal
    if (journal !== null) {
      const first: Id = await journaled.add({ service: plain.id, link: 'https://t.me/j', quantity: plain.min }, { idempotencyKey: 'invoice-1', reference: 'invoice 1', metadata: { customer: 7 } })
      const again: Id = await journaled.add({ service: plain.id, link: 'https://t.me/j', quantity: plain.min }, { idempotencyKey: 'invoice-1' })
      console.log(first === again)
      const entry: JournalEntry | null = await journal.order('invoice-1')
      if (entry !== null) console.log(entry.state, entry.order, entry.quote?.amount, entry.createdAt.toISOString())
      const report: SyncReport = await journal.sync()
      for (const change of report.changes) console.log(change.order, change.from, '->', change.to, change.remains)
      const spend: Spend[] = await journal.spend()
      console.log(spend[0]?.charged, (await journal.orders({ state: 'placed', limit: 5 })).length)
      console.log((await journal.unknown()).length, (await journal.history('invoice-1')).length)
      const changes: CatalogChange[] = await journal.catalogChanges('main')
      console.log(changes.length, (await journal.refreshCatalog('main')).length)
      try {
        await journal.resolve('invoice-1', { notPlaced: true })
      } catch (e) {
        if (e instanceof ValidationError) console.log(e.field)
      }
      try {
        await journaled.add({ service: plain.id, link: 'https://t.me/other', quantity: plain.min }, { idempotencyKey: 'invoice-1' })
      } catch (e) {
        if (e instanceof IdempotencyConflictError) console.log('conflict:', e.key)
      }
      const alone = await openJournal(`sqlite://${dir}/orders.db`)
      console.log(alone.url, alone.backend, (await alone.orders()).length)
    }
    try {
      await openJournal(`${dir}/missing/dir/x.db`)
    } catch (e) {
      if (e instanceof JournalError) console.log('journal:', e.notSent)
    }

    // Several panels: a fleet of one here, with a route.
    const fleet: Fleet = await openFleet({ panels: { main: client }, routes: { r: { strategy: 'cheapest', services: [`main:${plain.id}`] } } })
    const plan: Plan = await fleet.plan('r', { link: 'https://t.me/fleet', quantity: plain.min })
    const routed: Routed = await fleet.add('r', { link: 'https://t.me/fleet', quantity: plain.min })
    console.log(plan.strategy, routed.panel, routed.order, routed.attempts.map((a) => a.outcome), fleet.panels, fleet.journal)
    const prices = await fleet.prices({ markup: '30%+0.01', minMargin: '0.05', round: 2, rounding: 'half_up', rules: [{ category: 'Instagram', markup: '50%' }] })
    const warnings: PriceWarning[] = await fleet.checkPrices(prices.rows)
    const row: PriceRow | undefined = prices.rows[0]
    console.log(row?.sale, warnings.length, (await fleet.balances()).length, (await fleet.routes()).length)
    const comparison: Comparison = await fleet.compare('a', { panels: ['main'] })
    console.log(comparison.panels.length, (await fleet.services()).length, (await fleet.statuses([['main', routed.order]])).length)
    try {
      await fleet.add('r', { link: 'https://t.me/fleet-2', quantity: '1000000000000' })
    } catch (e) {
      if (e instanceof RouteExhaustedError) console.log(e.route, e.reasons)
    }

    const decoded: Results<OrderStatus> = decode('statuses', '{"1":{"status":"Partial","charge":"0.27819"},"2":"Incorrect order ID"}')
    console.log(decoded.size, sandbox.orders().length, sandbox.faultCounts().clean)
    console.log('every method ran')
  } finally {
    sandbox.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
