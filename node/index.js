'use strict'
// smmkit for Node: the JavaScript face of the Rust core.
//
// Everything real happens in Rust (smmkit.node). This file turns the JSON
// the addon answers with into values, Maps and SmmError instances, and
// passes arguments to it as JSON: BigInts become strings, and numbers past
// 2^53 - 1 (which a JavaScript number cannot hold exactly) are refused.

const util = require('node:util')

let native
try {
  native = require('./smmkit.node')
} catch (e) {
  const error = new Error(
    'smmkit: the native addon (smmkit.node) is not built or cannot be loaded; ' +
      'run `npm install` in the smmkit node/ folder (it needs Rust): ' + e.message
  )
  error.code = 'ERR_SMMKIT_NATIVE'
  throw error
}

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
  }
}

/** The panel refused the request with `{"error": "..."}`. */
class ApiError extends SmmError {
  constructor(info, options) {
    super(info, options)
    /** The panel's own text. */
    this.panelMessage = info.panelMessage ?? ''
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

const API_CLASSES = {
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
}

const KIND_CLASSES = {
  validation: ValidationError,
  config: ConfigError,
  transport: TransportError,
  timeout: TimeoutError,
  http_status: HttpStatusError,
  decode: DecodeError,
  response_too_large: ResponseTooLargeError,
  outcome_unknown: OutcomeUnknownError,
}

function toError(info) {
  const Class = info.kind === 'api' ? API_CLASSES[info.code] || ApiError : KIND_CLASSES[info.kind] || SmmError
  return new Class(info)
}

// ------------------------------------------------------------- conversion

/** Rebuilds an error the addon threw synchronously (with its JSON as message). */
function rethrow(e) {
  let body
  try {
    body = JSON.parse(e.message)
  } catch {
    throw e
  }
  if (body && body.error) throw toError(body.error)
  throw e
}

function unwrap(text) {
  const body = JSON.parse(text)
  if (body.error) throw toError(body.error)
  return body.ok
}

/**
 * Builds the service objects from the columns the addon sends (see
 * bindings/node/src/columns.rs): text fields back to back in one string,
 * their lengths, numbers and flags in typed arrays. Nothing is decoded here.
 */
function servicesFrom(columns) {
  if (columns.json !== null && columns.json !== undefined) return unwrap(columns.json)
  const { count, text, lengths, numbers, flags } = columns
  const extras = columns.extras ? JSON.parse(columns.extras) : null
  const services = new Array(count)
  let at = 0
  let piece = 0
  for (let i = 0; i < count; i++) {
    const f = flags[i]
    const name = text.slice(at, (at += lengths[piece++]))
    const type = text.slice(at, (at += lengths[piece++]))
    const category = text.slice(at, (at += lengths[piece++]))
    const rate = text.slice(at, (at += lengths[piece++]))
    const description = f & 16 ? text.slice(at, (at += lengths[piece++])) : null
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
      extra: (extras !== null && extras[i]) || {},
    }
  }
  return services
}

function toMap(entries) {
  return new Map(entries.map(([id, r]) => [id, r.error ? toError(r.error) : r.ok]))
}

function invalid(field, message) {
  return new ValidationError({
    kind: 'validation',
    code: 'validation',
    action: null,
    field,
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
    return v
  })
}

function isSingleId(value) {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint'
}

function idList(ids, field) {
  if (ids === null || typeof ids !== 'object' || typeof ids[Symbol.iterator] !== 'function') {
    throw invalid(field, `must be an array (or iterable) of ids, not ${ids === null ? 'null' : typeof ids}`)
  }
  return Array.from(ids)
}

function checkOptions(options, needUrl) {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError({ kind: 'config', code: 'config', action: null, message: 'invalid configuration: options must be an object' })
  }
  if (typeof options.key !== 'string') {
    throw new ConfigError({ kind: 'config', code: 'config', action: null, message: 'invalid configuration: `key` must be a string' })
  }
  if (needUrl && typeof options.url !== 'string') {
    throw new ConfigError({ kind: 'config', code: 'config', action: null, message: 'invalid configuration: `url` must be a string' })
  }
}

// ---------------------------------------------------------------- clients

class Client {
  #native

  constructor(kind, options) {
    checkOptions(options, kind === 'perfect-panel')
    try {
      this.#native = native.NativeClient.create(kind, toJson(options, 'options'))
    } catch (e) {
      rethrow(e)
    }
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

  /** Places an order; resolves to its id. Never sends it twice. */
  async add(order) {
    if (order === null || typeof order !== 'object' || Array.isArray(order)) {
      throw invalid('order', 'must be an object such as { service, link, quantity }')
    }
    return unwrap(await this.#native.add(toJson(order, 'order')))
  }

  /** One order's status. */
  async status(order) {
    return unwrap(await this.#native.status(toJson(order, 'order')))
  }

  /** Many orders' statuses, 100 per request: a Map of id to status or SmmError. */
  async statuses(orders) {
    return toMap(unwrap(await this.#native.statuses(toJson(idList(orders, 'orders'), 'orders'))))
  }

  /** Asks for a refill; resolves to the refill id. */
  async refill(order) {
    return unwrap(await this.#native.refill(toJson(order, 'order')))
  }

  /** Asks for refills of many orders: a Map of order id to refill id or SmmError. */
  async refills(orders) {
    return toMap(unwrap(await this.#native.refills(toJson(idList(orders, 'orders'), 'orders'))))
  }

  /** One refill's status. */
  async refillStatus(refill) {
    return unwrap(await this.#native.refillStatus(toJson(refill, 'refill')))
  }

  /** Many refills' statuses: a Map of refill id to status or SmmError. */
  async refillStatuses(refills) {
    return toMap(unwrap(await this.#native.refillStatuses(toJson(idList(refills, 'refills'), 'refills'))))
  }

  /**
   * Asks to cancel one order (resolving to the cancellation, rejecting if
   * refused) or many (a Map of id to cancellation or SmmError).
   */
  async cancel(orders) {
    if (isSingleId(orders)) {
      const results = toMap(unwrap(await this.#native.cancel(toJson([orders], 'order'))))
      const [result] = results.values()
      if (result instanceof SmmError) throw result
      return result
    }
    return toMap(unwrap(await this.#native.cancel(toJson(idList(orders, 'orders'), 'orders'))))
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

// ---------------------------------------------------------------- sandbox

/** A real API v2 panel on loopback, for testing your own bots. */
class Sandbox {
  #native

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new ConfigError({ kind: 'config', code: 'config', action: null, message: 'invalid configuration: sandbox options must be an object' })
    }
    try {
      this.#native = new native.NativeSandbox(toJson(options, 'options'))
    } catch (e) {
      rethrow(e)
    }
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
    this.#native.advance(seconds)
  }

  /** Every order the panel created, in order: its own record. */
  orders() {
    return JSON.parse(this.#native.orders())
  }

  /** The account's balance as the panel keeps it (a decimal string). */
  balance() {
    return this.#native.balance()
  }

  /** Injects faults: { serverError, html, drop, stall, stallFor, latency, afterAction, seed }. */
  setFaults(faults = {}) {
    try {
      this.#native.setFaults(JSON.stringify(faults))
    } catch (e) {
      rethrow(e)
    }
  }

  /** How many requests were answered cleanly and how many got each fault. */
  faultCounts() {
    return JSON.parse(this.#native.faultCounts())
  }

  /** Stops the panel. */
  close() {
    this.#native.close()
  }

  /** Stops the panel at the end of a `using` block. */
  [Symbol.dispose]() {
    this.close()
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
  Sandbox,
  decode,
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
}
