'use strict'
// smmkit for Node: the JavaScript face of the Rust core.
//
// Everything real happens in Rust (smmkit.node). This file turns the JSON
// the addon answers with into values, Maps and SmmError instances, and
// passes arguments to it as JSON: BigInts become strings, and numbers past
// 2^53 - 1 (which a JavaScript number cannot hold exactly) are refused.

const util = require('node:util')
const path = require('node:path')

/** The name of the prebuilt package for this platform, as napi-rs names them. */
function platformPackage() {
  const { platform, arch } = process
  if (platform === 'linux') {
    let musl = false
    try {
      musl = !process.report.getReport().header.glibcVersionRuntime
    } catch {
      musl = false
    }
    return `smmkit-linux-${arch}-${musl ? 'musl' : 'gnu'}`
  }
  if (platform === 'darwin') return `smmkit-darwin-${arch}`
  if (platform === 'win32') return `smmkit-win32-${arch}-msvc`
  return `smmkit-${platform}-${arch}`
}

/**
 * Loads the native addon: the one `SMMKIT_NATIVE_ADDON` names (a path,
 * for development builds), else the one built from source in this folder
 * (`smmkit.node`, always a release build), else this platform's prebuilt
 * package. A debug build is only ever loaded when named.
 */
function loadNative() {
  const tried = []
  const candidates = []
  if (process.env.SMMKIT_NATIVE_ADDON) candidates.push(path.resolve(process.env.SMMKIT_NATIVE_ADDON))
  candidates.push(path.join(__dirname, 'smmkit.node'), platformPackage())
  for (const candidate of candidates) {
    try {
      return { native: require(candidate), path: candidate }
    } catch (e) {
      if (e && e.code !== 'MODULE_NOT_FOUND') tried.push(`${candidate}: ${e.message}`)
    }
  }
  const error = new Error(
    `smmkit: no native addon for this platform (${process.platform}-${process.arch}): ` +
      `the package ${platformPackage()} is not installed, and smmkit was not built from source. ` +
      'Install smmkit with its optional dependencies (npm install smmkit, without --no-optional), ' +
      'or build it from a clone of the repository: cd node && npm install (needs Rust, https://rustup.rs).' +
      (tried.length ? ` Tried: ${tried.join('; ')}` : '')
  )
  error.code = 'ERR_SMMKIT_NATIVE'
  throw error
}

const loaded = loadNative()
const native = loaded.native

// ---------------------------------------------------------------- errors

/** Anything that went wrong talking to a panel. */
class SmmError extends Error {
  constructor(info, options) {
    super(info.message, options)
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true })
    /** The stable kind: api, transport, timeout, http_status, decode, response_too_large, validation, outcome_unknown, config. */
    this.kind = info.kind
    /** The stable code: the API error kind for API errors, the kind otherwise. */
    this.code = info.code
    /** The action (`services`, `add`, ...), or null. */
    this.action = info.action ?? null
    // Every other attribute the core gives the error, as given.
    for (const [k, v] of Object.entries(info)) {
      if (!(k in this) && k !== 'message' && k !== 'cause') this[k] = v
    }
  }

  /**
   * The error for an error's payload, as the core writes it (what
   * `smmkit ... --json` prints): the class its `code` names, every
   * attribute set under its camelCase name.
   */
  static fromPayload(payload) {
    return toError(payload)
  }
}

/** The panel refused the request with `{"error": "..."}`. */
class ApiError extends SmmError {
  constructor(info, options) {
    super(info, options)
    /** The panel's own text. */
    this.panelMessage = info.panelMessage ?? ''
    /** Milliseconds the panel asked to wait before retrying, or null. */
    this.retryAfterMs = info.retryAfterMs ?? null
  }
}

class InvalidKeyError extends ApiError {}
class InsufficientFundsError extends ApiError {}
class IncorrectOrderIdError extends ApiError {}
class IncorrectRefillIdError extends ApiError {}
class IncorrectServiceError extends ApiError {}
class QuantityOutOfRangeError extends ApiError {}
class IncorrectLinkError extends ApiError {}
class ActiveOrderOnLinkError extends ApiError {}
class RefillNotPossibleError extends ApiError {}
class CancelNotPossibleError extends ApiError {}
class RateLimitedError extends ApiError {}
class IncorrectRequestError extends ApiError {}

/** The request was not sent because it is invalid. */
class ValidationError extends SmmError {
  constructor(info, options) {
    super(info, options)
    /** The field at fault, or null. */
    this.field = info.field ?? null
    /** Whether the value was of the wrong type (a number for a link). */
    this.typeError = Boolean(info.typeError)
  }
}

/** A client or sandbox was given an invalid option. */
class ConfigError extends SmmError {}

/** The panel could not be reached, or the connection failed. */
class TransportError extends SmmError {
  constructor(info, options) {
    super(info, options)
    /** True when no connection was made, so nothing was sent. */
    this.notSent = Boolean(info.notSent)
  }
}

/** No complete answer came in time. */
class TimeoutError extends SmmError {
  constructor(info, options) {
    super(info, options)
    /** The time limit, in milliseconds. */
    this.afterMs = info.afterMs ?? 0
  }
}

/** The panel answered with an HTTP error status and no API error. */
class HttpStatusError extends SmmError {
  constructor(info, options) {
    super(info, options)
    this.status = info.status ?? 0
    /** The text of an error body, when there was one. */
    this.panelMessage = info.panelMessage ?? null
    /** Milliseconds the panel asked to wait before retrying, or null. */
    this.retryAfterMs = info.retryAfterMs ?? null
  }
}

/** The answer is not what the action returns (HTML, cut off, wrong shape). */
class DecodeError extends SmmError {}

/** The answer was larger than the cap. */
class ResponseTooLargeError extends SmmError {
  constructor(info, options) {
    super(info, options)
    this.limit = info.limit ?? 0
  }
}

/**
 * An order was sent but its result is unknown: it may exist. Check the
 * panel before ordering again. `request` is what was sent; `cause` why.
 */
class OutcomeUnknownError extends SmmError {
  constructor(info) {
    const cause = info.cause ? toError(info.cause) : undefined
    super(info, cause ? { cause } : undefined)
    this.request = info.request ?? {}
  }
}

/**
 * The order journal could not be opened, read or written. In a journaled
 * `add`: `notSent` is true when the order was held back (nothing was sent);
 * `placed` is the id of an order the panel placed that the journal could
 * not record.
 */
class JournalError extends SmmError {
  constructor(info, options) {
    super(info, options)
    this.notSent = info.notSent ?? false
    this.placed = info.placed ?? null
  }
}

/** An idempotency `key` was given again with a different order: nothing was sent. */
class IdempotencyConflictError extends SmmError {
  constructor(info, options) {
    super(info, options)
    this.key = info.key ?? ''
  }
}

/** Every panel of `route` refused the order or could not take it: nothing was placed; `reasons` says why. */
class RouteExhaustedError extends SmmError {
  constructor(info, options) {
    super(info, options)
    this.route = info.route ?? ''
    this.reasons = info.reasons ?? []
  }
}

/** The class of each error code; a code not here falls back to its kind's. */
const CODES = {
  invalid_key: InvalidKeyError,
  insufficient_funds: InsufficientFundsError,
  incorrect_order_id: IncorrectOrderIdError,
  incorrect_refill_id: IncorrectRefillIdError,
  incorrect_service: IncorrectServiceError,
  quantity_out_of_range: QuantityOutOfRangeError,
  incorrect_link: IncorrectLinkError,
  active_order_on_link: ActiveOrderOnLinkError,
  refill_not_possible: RefillNotPossibleError,
  cancel_not_possible: CancelNotPossibleError,
  rate_limited: RateLimitedError,
  incorrect_request: IncorrectRequestError,
  other: ApiError,
  validation: ValidationError,
  config: ConfigError,
  transport: TransportError,
  timeout: TimeoutError,
  http_status: HttpStatusError,
  decode: DecodeError,
  response_too_large: ResponseTooLargeError,
  outcome_unknown: OutcomeUnknownError,
  journal: JournalError,
  idempotency_conflict: IdempotencyConflictError,
  route_exhausted: RouteExhaustedError,
}

const KINDS = { api: ApiError }

function camel(name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
}

/**
 * The SmmError for the core's error payload: the class its code names,
 * every attribute copied under its camelCase name.
 */
function toError(payload) {
  const info = {}
  for (const [k, v] of Object.entries(payload)) info[camel(k)] = v
  const Class = CODES[info.code] || KINDS[info.kind] || SmmError
  return new Class(info)
}

// ------------------------------------------------------------- conversion

/** The value of an envelope (`{"ok": ...}`), or its error thrown. */
function unwrap(text) {
  const body = JSON.parse(text)
  if (body.error) throw toError(body.error)
  return body.ok
}

/** A native object, or the error of the envelope made in its place, thrown. */
function made(objectOrEnvelope) {
  if (typeof objectOrEnvelope === 'string') unwrap(objectOrEnvelope)
  return objectOrEnvelope
}

/**
 * Builds the service objects from the columns the addon sends (see
 * bindings/node/src/columns.rs): text fields back to back in two strings
 * (a text met before as a reference to it), their lengths, numbers and
 * flags in typed arrays, extra fields as pieces too. Nothing is decoded
 * here but an extra field's value that is not text (its JSON).
 */
function servicesFrom(columns) {
  if (columns.json !== null && columns.json !== undefined) return withSkipped(unwrap(columns.json), [])
  const { count, narrow, wide, lengths, numbers, flags, extrasAt, extraFields, extraKinds } = columns
  const services = new Array(count)
  // A piece is in `narrow` (ASCII), in `wide` when its length has the high
  // bit set, or repeats an earlier one when it has the next bit set: the
  // bits below count the pieces that were not repeats.
  let narrowAt = 0
  let wideAt = 0
  let piece = 0
  const earlier = []
  const take = () => {
    const len = lengths[piece++]
    let text
    if (len < 0x40000000) text = narrow.slice(narrowAt, (narrowAt += len))
    else if (len < 0x80000000) return earlier[len - 0x40000000]
    else text = wide.slice(wideAt, (wideAt += len - 0x80000000))
    earlier.push(text)
    return text
  }
  let nextExtra = 0
  let kind = 0
  for (let i = 0; i < count; i++) {
    const f = flags[i]
    const name = take()
    const type = take()
    const category = take()
    const rate = take()
    const description = f & 16 ? take() : null
    let raw = null
    if (f & 224) {
      raw = {}
      if (f & 32) raw.name = take()
      if (f & 64) raw.category = take()
      if (f & 128) raw.description = take()
    }
    const extra = {}
    if (nextExtra < extrasAt.length && extrasAt[nextExtra] === i) {
      for (let n = extraFields[nextExtra++]; n > 0; n--) {
        const key = take()
        const text = take()
        const value = extraKinds[kind++] === 0 ? text : JSON.parse(text)
        // As JSON.parse would: `__proto__` an own field, not the prototype.
        if (key === '__proto__') Object.defineProperty(extra, key, { value, enumerable: true, writable: true, configurable: true })
        else extra[key] = value
      }
    }
    services[i] = {
      id: numbers[3 * i],
      name,
      type,
      category,
      rate,
      min: numbers[3 * i + 1],
      max: numbers[3 * i + 2],
      refill: (f & 1) !== 0,
      cancel: (f & 2) !== 0,
      dripfeed: f & 4 ? (f & 8) !== 0 : null,
      description,
      extra,
      raw,
    }
  }
  // Ids beyond 2^53 - 1, as their digits (as the JSON envelope has them).
  if (columns.bigIds) for (const [i, id] of JSON.parse(columns.bigIds)) services[i].id = id
  return withSkipped(services, columns.skipped ? JSON.parse(columns.skipped) : [])
}

/**
 * The catalog's entries that could not be read, as a `skipped` property of
 * the array: `{ index, id, reason }` each (`id` null when unreadable).
 */
function withSkipped(services, skipped) {
  Object.defineProperty(services, 'skipped', { value: skipped, enumerable: false, writable: false })
  return services
}

function toMap(entries) {
  return new Map(entries.map(([id, r]) => [id, r.error ? toError(r.error) : r.ok]))
}

/** The canonical text of an id as given (a number, a string of digits, a BigInt). */
function idText(id) {
  try {
    return BigInt(typeof id === 'string' ? id.trim() : id).toString()
  } catch {
    return String(id)
  }
}

/** A batch's results keyed by the ids as the caller gave them. */
function keyedAsGiven(entries, given) {
  const byText = new Map()
  for (const id of given) {
    const t = idText(id)
    if (!byText.has(t)) byText.set(t, id)
  }
  return new Map(
    entries.map(([id, r]) => [byText.has(idText(id)) ? byText.get(idText(id)) : id, r.error ? toError(r.error) : r.ok])
  )
}

/** A validation error raised here, before anything reaches the core. */
function invalid(field, message) {
  return new ValidationError({
    kind: 'validation',
    code: 'validation',
    action: null,
    field,
    typeError: true,
    message: `invalid request: \`${field}\`: ${message}`,
  })
}

/** JSON for the addon; BigInts become strings, inexact numbers are refused. */
function toJson(value, field) {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === 'bigint') return v.toString()
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
      throw invalid(key || field, `${v} is beyond 2^53 - 1, where JavaScript numbers lose digits: pass it as a string or a BigInt`)
    }
    if (v === undefined) return null
    return v
  })
}

function isSingleId(value) {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint'
}

/** An iterable of ids as an array; anything else is handed on for the core to name. */
function idList(ids) {
  if (ids !== null && typeof ids === 'object' && typeof ids[Symbol.iterator] === 'function') return Array.from(ids)
  return ids
}

// ---------------------------------------------------------------- clients

/** Reaches a client's native object from the fleet (not part of the API). */
const NATIVE = Symbol('smmkit.native')

class Client {
  #native

  static [NATIVE](client) {
    return client instanceof Client ? client.#native : null
  }

  constructor(provider, options) {
    const given = options !== null && typeof options === 'object' && !Array.isArray(options) ? { ...options, provider } : options
    this.#native = made(native.createClient(toJson(given === undefined ? null : given, 'options')))
  }

  /** A short name for the panel. */
  get name() {
    return this.#native.name
  }

  /** The panel's API v2 URL. */
  get url() {
    return this.#native.url
  }

  /** `"post"` or `"get"`. */
  get transport() {
    return this.#native.transport
  }

  /** The catalog; it is also kept to check later orders against. */
  async services() {
    return servicesFrom(await this.#native.services())
  }

  /**
   * Places an order; resolves to its id. Never sends it twice. With a
   * journal, `options` may give an `idempotencyKey` (an order is sent once
   * under it: a later `add` with it sends nothing and resolves to the
   * first's id, or rejects with its refusal, or with OutcomeUnknownError
   * until it is resolved), a `reference` and `metadata` to keep with it.
   */
  async add(order, options) {
    return unwrap(
      await this.#native.add(
        toJson(order === undefined ? null : order, 'order'),
        toJson(options === undefined ? {} : options, 'options')
      )
    )
  }

  /** The order journal, when the client was given `journal`; else null. */
  get journal() {
    if (!this.#native.hasJournal) return null
    const native = this.#native
    return new Journal((method, args) => native.journalCall(method, args), null)
  }

  /** One order's status. */
  async status(order) {
    return unwrap(await this.#native.status(toJson(order ?? null, 'order')))
  }

  /** Many orders' statuses, 100 per request: a Map of id (as given) to status or SmmError. */
  async statuses(orders) {
    const list = idList(orders)
    return keyedAsGiven(unwrap(await this.#native.statuses(toJson(list ?? null, 'orders'))), list)
  }

  /** Asks for a refill; resolves to the refill id. */
  async refill(order) {
    return unwrap(await this.#native.refill(toJson(order ?? null, 'order')))
  }

  /** Asks for refills of many orders: a Map of order id (as given) to refill id or SmmError. */
  async refills(orders) {
    const list = idList(orders)
    return keyedAsGiven(unwrap(await this.#native.refills(toJson(list ?? null, 'orders'))), list)
  }

  /** One refill's status. */
  async refillStatus(refill) {
    return unwrap(await this.#native.refillStatus(toJson(refill ?? null, 'refill')))
  }

  /** Many refills' statuses: a Map of refill id (as given) to status or SmmError. */
  async refillStatuses(refills) {
    const list = idList(refills)
    return keyedAsGiven(unwrap(await this.#native.refillStatuses(toJson(list ?? null, 'refills'))), list)
  }

  /**
   * Asks to cancel one order (resolving to the cancellation, rejecting if
   * refused) or many (a Map of id, as given, to cancellation or SmmError).
   */
  async cancel(orders) {
    if (isSingleId(orders)) {
      const results = unwrap(await this.#native.cancel(toJson([orders], 'order')))
      const [, result] = results[0] ?? [orders, { error: null }]
      if (result.error) throw toError(result.error)
      return result.ok
    }
    const list = idList(orders)
    return keyedAsGiven(unwrap(await this.#native.cancel(toJson(list ?? null, 'orders'))), list)
  }

  /** The account's balance. */
  async balance() {
    return unwrap(await this.#native.balance())
  }

  [util.inspect.custom]() {
    return `${this.constructor.name} { url: '${this.url}', transport: '${this.transport}' }`
  }

  toJSON() {
    return { name: this.name, url: this.url, transport: this.transport }
  }
}

// ----------------------------------------------------------------- journal

/** The keys whose values are moments (RFC 3339 text from the core). */
const MOMENTS = new Set(['createdAt', 'updatedAt', 'resolvedAt', 'polledAt', 'cancelRequestedAt', 'fetchedAt', 'at'])
/** The keys whose values are the caller's own data, kept as given. */
const VERBATIM = new Set(['request', 'metadata', 'extra', 'raw'])
const QUOTE_KINDS = { exact: 'exact', up_to: 'upTo', set_by_panel: 'setByPanel' }

/**
 * A journal result as the package's values: camelCase keys, times as Date,
 * errors as SmmError, quote kinds as `quote()` names them.
 */
function fromJournal(value, key) {
  if (Array.isArray(value)) return value.map((v) => fromJournal(v))
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && MOMENTS.has(key)) return new Date(value)
    return value
  }
  if (key === 'error') return toError(value)
  if (key === 'quote') return { kind: QUOTE_KINDS[value.kind] ?? value.kind, amount: value.amount }
  const out = {}
  for (const [k, v] of Object.entries(value)) {
    const name = camel(k)
    out[name] = VERBATIM.has(name) ? v : fromJournal(v, name)
  }
  return out
}

/**
 * An order journal: the one a client writes to (`client.journal`), or one
 * opened alone (`openJournal(url)`). Amounts are decimal strings, times
 * Dates, errors SmmErrors.
 */
class Journal {
  #call
  #info

  constructor(call, info) {
    this.#call = call
    this.#info = info
  }

  async #run(method, args) {
    return fromJournal(unwrap(await this.#call(method, toJson(args ?? {}, 'arguments'))))
  }

  /** The journal's URL without its password (null for a client's journal). */
  get url() {
    return this.#info ? this.#info.url : null
  }

  /** `'sqlite'` or `'postgres'` (null for a client's journal). */
  get backend() {
    return this.#info ? this.#info.backend : null
  }

  /** The journaled orders, the newest first: filtered by `state`, `provider`, `status`, at most `limit`. */
  orders(filter = {}) {
    return this.#run('orders', filter)
  }

  /** The order journaled under `key`, or null. */
  order(key) {
    return this.#run('order', { key })
  }

  /** The orders whose outcome is unknown, oldest first: check each on the panel, then resolve it. */
  unknown() {
    return this.#run('unknown', {})
  }

  /** Records how an unknown order turned out: `{ placed: orderId }` or `{ notPlaced: true }`. */
  resolve(key, outcome = {}) {
    return this.#run('resolve', { ...outcome, key })
  }

  /** Every status change of the order under `key`, oldest first. */
  history(key) {
    return this.#run('history', { key })
  }

  /** Polls every open order, stores what it finds, and resolves to the round's report with its changes. */
  sync() {
    return this.#run('sync', {})
  }

  /** What was spent, per provider and currency. */
  spend() {
    return this.#run('spend', {})
  }

  /** What catalog refreshes found new, removed or repriced (of one provider, or all), oldest first. */
  catalogChanges(provider) {
    return this.#run('catalog_changes', provider === undefined ? {} : { provider })
  }

  /** Fetches an attached provider's catalog now; resolves to what changed. */
  refreshCatalog(provider) {
    return this.#run('refresh_catalog', { provider })
  }

  [util.inspect.custom]() {
    return `Journal { url: ${this.url === null ? 'null' : `'${this.url}'`} }`
  }
}

// ------------------------------------------------------------------ fleet

/**
 * Several named panels with routes between them: compare, routed orders
 * with safe failover, price lists. Made by `openFleet()`.
 */
class Fleet {
  #native

  constructor(native) {
    this.#native = native
  }

  async #run(method, args) {
    return fromJournal(unwrap(await this.#native.call(method, toJson(args ?? {}, 'arguments'))))
  }

  /** The panels' names. */
  get panels() {
    return this.#native.panels
  }

  /** The fleet's journal, when it was given one; else null. */
  get journal() {
    if (!this.#native.hasJournal) return null
    const native = this.#native
    return new Journal((method, args) => native.journalCall(method, args), null)
  }

  /** Every panel's balance (or error), asked at once. */
  balances() {
    return this.#run('balances', {})
  }

  /** The routes. */
  routes() {
    return this.#run('routes', {})
  }

  /** Every panel's catalog (or error): `{ panel, services }` each. */
  services() {
    return this.#run('services', {})
  }

  /** The statuses of `[panel, orderId]` pairs, each asked of its panel: `{ panel, order, status | error }` each. */
  statuses(orders) {
    return this.#run('statuses', { orders: Array.from(orders, ([panel, order]) => ({ panel, order })) })
  }

  /** The services matching `search` on every panel, cheapest first, and suggested matches of the same offering. */
  compare(search, options = {}) {
    return this.#run('compare', { ...options, search: search ?? null })
  }

  /** Where a routed order would go, and why each other panel would not get it; nothing is sent. */
  plan(route, order) {
    return this.#run('plan', { route, order })
  }

  /**
   * Places `order` (its fields, without a service) through `route`: at the
   * first panel, in the route's order, that can take it; at the next only
   * when nothing was placed; never after an unknown outcome.
   */
  add(route, order, options = {}) {
    return this.#run('add', { ...options, route, order })
  }

  /** The sale prices of the routes (or of every service when there are none). */
  prices(options = {}) {
    const { routes, ...pricing } = options
    return this.#run('prices', { routes: routes ?? null, pricing })
  }

  /** The lines of a price list whose panel now charges more than their sale price. */
  checkPrices(rows) {
    return this.#run('check_prices', {
      rows: rows.map((r) => ({
        name: r.name,
        service_name: r.serviceName,
        type: r.type,
        category: r.category,
        panel: r.panel,
        service: r.service,
        cost: r.cost,
        sale: r.sale,
        margin: r.margin,
        min: r.min,
        max: r.max,
      })),
    })
  }

  [util.inspect.custom]() {
    return `Fleet { panels: ${JSON.stringify(this.panels)} }`
  }
}

/**
 * Makes a fleet: `panels` maps names to clients, `routes` names to
 * `{ strategy: 'cheapest' | 'priority', services: ['main:1203', ...] }`;
 * with `journal`, every routed attempt is journaled and an idempotency key
 * covers a whole route.
 */
async function openFleet({ panels, routes = {}, journal } = {}) {
  const fleet = made(await native.createFleet(journal === undefined ? null : String(journal)))
  for (const [name, client] of Object.entries(panels ?? {})) {
    const inner = Client[NATIVE](client)
    if (inner === null) throw invalid('panels', `panel \`${name}\` must be a smmkit client (PerfectPanel or Fampage)`)
    unwrap(fleet.addPanel(name, inner))
  }
  for (const [name, route] of Object.entries(routes ?? {})) unwrap(fleet.addRoute(name, toJson(route, 'routes')))
  return new Fleet(fleet)
}

/** Opens (creating or upgrading) the journal at `url` alone, to read or resolve it. */
async function openJournal(url) {
  const opened = made(await native.openJournal(String(url)))
  return new Journal((method, args) => opened.call(method, args), { url: opened.url, backend: opened.backend })
}

/** A client of any panel that speaks API v2, by URL. */
class PerfectPanel extends Client {
  constructor(options) {
    super('perfect-panel', options)
  }
}

/** The fampage.in client: GET transport, one refill or cancel per request. */
class Fampage extends Client {
  constructor(options) {
    super('fampage', options)
  }
}

/**
 * What an order of `service` (a service object as `services()` gives it)
 * costs, as the panel charges it: `{ kind: 'exact' | 'upTo' | 'setByPanel',
 * amount: string | null }`. `order` holds the order's fields.
 */
function quote(service, order = {}) {
  return unwrap(native.quote(toJson(service ?? null, 'service'), toJson(order ?? null, 'order')))
}

/** Exact decimal arithmetic on money strings (rates, charges, balances). */
const money = Object.freeze({
  /** `a + b`. */
  add: (a, b) => unwrap(native.money('add', String(a), String(b))),
  /** `a - b`. */
  sub: (a, b) => unwrap(native.money('sub', String(a), String(b))),
  /** `a × b` (`b` may be a whole number). */
  mul: (a, b) => unwrap(native.money('mul', String(a), String(b))),
  /** `a ÷ b`. */
  div: (a, b) => unwrap(native.money('div', String(a), String(b))),
  /** -1, 0 or 1. */
  cmp: (a, b) => Number(unwrap(native.money('cmp', String(a), String(b)))),
  /** `a` rounded to `decimals` places, half away from zero. */
  round: (a, decimals) => unwrap(native.money('round', String(a), String(decimals))),
})

/** Which native addon is loaded: its path and how it was built (`release` or `debug`). */
function addon() {
  return { path: loaded.path, profile: native.buildProfile() }
}

/** Every error code the core gives (each has its SmmError class). */
function errorCodes() {
  return native.errorCodes()
}

/** The core's word lists: service types, order and refill states, order forms. */
function wordLists() {
  return JSON.parse(native.wordLists())
}

// ---------------------------------------------------------------- sandbox

/** A real API v2 panel on loopback, for testing your own bots. */
class Sandbox {
  #native

  constructor(options = {}) {
    this.#native = made(native.createSandbox(toJson(options ?? null, 'options')))
  }

  /** The panel's API v2 URL. */
  get url() {
    return this.#native.url
  }

  /** The account's API key. */
  get key() {
    return this.#native.key
  }

  /** Moves the panel's clock forward. */
  advance(seconds) {
    unwrap(this.#native.advance(seconds))
  }

  /** Every order the panel created, in order: its own record. */
  orders() {
    return unwrap(this.#native.orders())
  }

  /** The account's balance as the panel keeps it (a decimal string). */
  balance() {
    return unwrap(this.#native.balance())
  }

  /** Injects faults: { serverError, html, drop, stall, stallFor, latency, afterAction, seed }. */
  setFaults(faults = {}) {
    unwrap(this.#native.setFaults(JSON.stringify(faults)))
  }

  /** How many requests were answered cleanly and how many got each fault. */
  faultCounts() {
    return unwrap(this.#native.faultCounts())
  }

  /** How many connections clients opened, the most open at once, and the most requests answered at once. */
  connections() {
    return unwrap(this.#native.connections())
  }

  /** Stops the panel. */
  close() {
    this.#native.close()
  }

  [util.inspect.custom]() {
    return `Sandbox { url: '${this.url}' }`
  }
}

const MULTI = new Set(['statuses', 'refills', 'refill_statuses', 'cancels'])

/** Decodes a body as the answer `payload` names, as the client would. */
function decode(payload, body) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body
  if (payload === 'services') return servicesFrom(native.decodeServices(bytes))
  const value = unwrap(native.decode(String(payload), bytes))
  return MULTI.has(payload) ? toMap(value) : value
}

module.exports = {
  PerfectPanel,
  Fampage,
  Journal,
  openJournal,
  Fleet,
  openFleet,
  Sandbox,
  decode,
  quote,
  money,
  addon,
  errorCodes,
  wordLists,
  SmmError,
  ApiError,
  InvalidKeyError,
  InsufficientFundsError,
  IncorrectOrderIdError,
  IncorrectRefillIdError,
  IncorrectServiceError,
  QuantityOutOfRangeError,
  IncorrectLinkError,
  ActiveOrderOnLinkError,
  RefillNotPossibleError,
  CancelNotPossibleError,
  RateLimitedError,
  IncorrectRequestError,
  ValidationError,
  ConfigError,
  TransportError,
  TimeoutError,
  HttpStatusError,
  DecodeError,
  ResponseTooLargeError,
  OutcomeUnknownError,
  JournalError,
  IdempotencyConflictError,
  RouteExhaustedError,
}
