// Type definitions for smmkit (Node): the client for SMM panels that speak API v2.

/**
 * An id as smmkit returns it: a `number` while it is at most
 * `Number.MAX_SAFE_INTEGER` (2^53 − 1), a `string` of digits beyond, so
 * that no id ever loses a digit.
 */
export type Id = number | string

/** An id as smmkit takes it: a safe integer, a string of digits, or a BigInt. */
export type IdInput = number | string | bigint

/** Money: an exact decimal string, such as `"0.27819"`. Never a float. */
export type Money = string

/** A whole number as smmkit returns it: a `number`, or a `string` beyond 2^53 − 1. */
export type Whole = number | string

/** The type of a service; unknown types keep the panel's text. */
export type ServiceType =
  | 'Default'
  | 'Package'
  | 'Package Regular'
  | 'SEO'
  | 'Custom Comments'
  | 'Custom Comments Package'
  | 'Mentions'
  | 'Mentions with Hashtags'
  | 'Mentions Custom List'
  | 'Mentions Hashtag'
  | 'Mentions User Followers'
  | 'Mentions Media Likers'
  | 'Comment Likes'
  | 'Comment Replies'
  | 'Poll'
  | 'Invites from Groups'
  | 'Subscriptions'
  | 'Web Traffic'
  | 'like'
  | 'subscribe'
  | 'comment'
  | 'like_to_comment'
  | 'dislike'
  | 'dislike_to_comment'
  | 'repost'
  | 'friend'
  | 'vote'
  | 'retweet'
  | 'follow'
  | 'favorite'
  | (string & {})

/** Where an order stands; unknown words keep the panel's text. */
export type OrderState =
  | 'Pending'
  | 'In progress'
  | 'Processing'
  | 'Completed'
  | 'Partial'
  | 'Canceled'
  | 'Refunded'
  | 'Awaiting'
  | 'Fail'
  | 'Error'
  | (string & {})

/** Where a refill stands; unknown words keep the panel's text. */
export type RefillState =
  | 'Pending'
  | 'In progress'
  | 'Awaiting'
  | 'Completed'
  | 'Processed'
  | 'Rejected'
  | 'Failed'
  | 'Error'
  | (string & {})

/** A service of a panel's catalog. */
/**
 * A service of a panel's catalog. Names, categories and descriptions are
 * readable text (HTML entities decoded, `<br>` as a line break); `raw`
 * keeps the panel's own text where it differs.
 */
export interface Service {
  id: Id
  name: string
  type: ServiceType
  category: string
  /** The price per 1000 (per package for package types), exact. */
  rate: Money
  /** The smallest quantity (a limit beyond 2^53 − 1 is given as 2^53 − 1). */
  min: number
  /** The largest quantity (a limit beyond 2^53 − 1 is given as 2^53 − 1). */
  max: number
  refill: boolean
  cancel: boolean
  /** Whether drip-feed is offered, when the panel says. */
  dripfeed: boolean | null
  description: string | null
  /** Every other field the panel sent, as sent. */
  extra: Record<string, unknown>
  /** The panel's own text where it differs from the readable one, else null. */
  raw: { name?: string; category?: string; description?: string } | null
}

/** A catalog entry that could not be read, and why. */
export interface SkippedService {
  /** Its position in the panel's list, from 0. */
  index: number
  /** Its id, when that could be read. */
  id: Id | null
  reason: string
}

/** The services of a catalog, with the entries that could not be read. */
export type ServiceList = Service[] & { readonly skipped: SkippedService[] }

/** The status of an order. Fields a panel leaves out are `null`, never 0. */
export interface OrderStatus {
  status: OrderState
  charge: Money | null
  startCount: Whole | null
  /** Negative when a panel over-delivered. */
  remains: Whole | null
  currency: string | null
  /** Whether the status will not change any more (never for unknown words). */
  isFinal: boolean
  extra: Record<string, unknown>
}

/** The account's balance. */
export interface Balance {
  amount: Money
  currency: string | null
}

/** A cancellation the panel accepted; the order is not canceled yet. */
export interface CancelRequested {
  /** The panel's words, when it sent some. */
  note: string | null
}

/**
 * Settings every client takes. The core reads them, with the same bounds
 * as Python's keyword arguments and the command line's flags; a wrong
 * name is refused with the name it probably meant (`timeout` →
 * `timeoutMs`).
 */
export interface ClientOptions {
  /** `"post"` (form body) or `"get"` (query string). */
  transport?: 'post' | 'get'
  /** How long one exchange may take, body included (default 30 000; 1 to 86 400 000). */
  timeoutMs?: number
  /** How long opening a connection may take (default 10 000). */
  connectTimeoutMs?: number
  /** How many times a failed read is retried (default 3; 0 to 20). */
  retries?: number
  /** How many requests of one batch run at once (default 4; 1 to 64). */
  concurrency?: number
  /** How many requests may be in flight at once, and so connections open (default 16; 1 to 1024). */
  maxConnections?: number
  /** The largest answer accepted, in bytes (default 64 MiB). */
  maxResponseBytes?: number
  /** The `User-Agent` header (default `smmkit/<version>`). */
  userAgent?: string
  /** A proxy for every request (`http://`, `https://`, `socks5://`). */
  proxy?: string
  /** Parameters sent with every request. */
  params?: Record<string, string | number>
  /** The panel's name, in logs and in the journal (default: its host). */
  name?: string
  /**
   * The order journal, `sqlite://FILE` or `postgres://…`: every order is
   * recorded before it is sent, `add()` takes an `idempotencyKey`, and
   * `client.journal` lists, syncs and resolves. It opens on the first call.
   */
  journal?: string
}

export interface PerfectPanelOptions extends ClientOptions {
  /** The panel's API v2 endpoint, such as `https://panel.example/api/v2`. */
  url: string
  key: string
}

export interface FampageOptions extends ClientOptions {
  key: string
  /** Another endpoint (a sandbox, a test server) instead of fampage.in. */
  url?: string
}

/** The form of an order, when the service's type does not tell. */
export type OrderForm =
  | 'default'
  | 'package'
  | 'seo'
  | 'custom_comments'
  | 'custom_comments_package'
  | 'mentions'
  | 'mentions_with_hashtags'
  | 'mentions_custom_list'
  | 'mentions_hashtag'
  | 'mentions_user_followers'
  | 'mentions_media_likers'
  | 'comment_likes'
  | 'comment_replies'
  | 'poll'
  | 'invites_from_groups'
  | 'subscriptions'
  | 'web_traffic'

/** A list field: one string with one item per line, or an array. */
export type Lines = string | readonly string[]

/** A whole number as smmkit takes it. */
export type WholeInput = number | bigint | string

interface OrderBase {
  service: IdInput
}

export interface DefaultOrder extends OrderBase {
  form?: 'default'
  link: string
  quantity: WholeInput
  /** Drip-feed: how many runs (with `interval`). */
  runs?: number
  /** Drip-feed: minutes between runs (with `runs`). */
  interval?: number
}
export interface PackageOrder extends OrderBase {
  form?: 'package'
  link: string
}
export interface SeoOrder extends OrderBase {
  form?: 'seo'
  link: string
  quantity: WholeInput
  keywords: Lines
}
export interface CustomCommentsOrder extends OrderBase {
  form?: 'custom_comments' | 'custom_comments_package'
  link: string
  comments: Lines
}
export interface MentionsOrder extends OrderBase {
  form?: 'mentions'
  link: string
  quantity: WholeInput
  usernames: Lines
}
export interface MentionsWithHashtagsOrder extends OrderBase {
  form?: 'mentions_with_hashtags'
  link: string
  quantity: WholeInput
  usernames: Lines
  hashtags: Lines
}
export interface MentionsCustomListOrder extends OrderBase {
  form?: 'mentions_custom_list'
  link: string
  usernames: Lines
}
export interface MentionsHashtagOrder extends OrderBase {
  form?: 'mentions_hashtag'
  link: string
  quantity: WholeInput
  hashtag: string
}
export interface UsernameOrder extends OrderBase {
  /** The two forms with link, quantity and username must be named. */
  form: 'mentions_user_followers' | 'comment_likes'
  link: string
  quantity: WholeInput
  username: string
}
export interface MentionsMediaLikersOrder extends OrderBase {
  form?: 'mentions_media_likers'
  link: string
  quantity: WholeInput
  media: string
}
export interface CommentRepliesOrder extends OrderBase {
  form?: 'comment_replies'
  link: string
  username: string
  comments: Lines
}
export interface PollOrder extends OrderBase {
  form?: 'poll'
  link: string
  quantity: WholeInput
  /** The answer to vote for, from 1. */
  answerNumber: number
}
export interface InvitesFromGroupsOrder extends OrderBase {
  form?: 'invites_from_groups'
  link: string
  quantity: WholeInput
  groups: Lines
}
export interface SubscriptionsOrder extends OrderBase {
  form?: 'subscriptions'
  username: string
  min: WholeInput
  max: WholeInput
  /** How many posts; leave out for unlimited. */
  posts?: WholeInput
  oldPosts?: WholeInput
  /** Minutes (default 0). */
  delay?: number
  /** `dd/mm/yyyy`. */
  expiry?: string
}
export interface WebTrafficOrder extends OrderBase {
  form?: 'web_traffic'
  link: string
  quantity: WholeInput
  country: string
  /** 1 desktop, 2 Android, 3 iOS, 4 mixed mobile, 5 mixed. */
  device: 1 | 2 | 3 | 4 | 5
  /** 1 Google keyword, 2 custom referrer, 3 blank. */
  typeOfTraffic: 1 | 2 | 3
  googleKeyword?: string
  referringUrl?: string
}

/** Every order `add()` takes. */
export type Order =
  | DefaultOrder
  | PackageOrder
  | SeoOrder
  | CustomCommentsOrder
  | MentionsOrder
  | MentionsWithHashtagsOrder
  | MentionsCustomListOrder
  | MentionsHashtagOrder
  | UsernameOrder
  | MentionsMediaLikersOrder
  | CommentRepliesOrder
  | PollOrder
  | InvitesFromGroupsOrder
  | SubscriptionsOrder
  | WebTrafficOrder

/** One result per id, keyed by the ids as given: the value, or the SmmError for that id. */
export type Results<T, K = Id> = Map<K, T | SmmError>

declare class Client {
  /** A short name for the panel. */
  get name(): string
  /** The panel's API v2 URL. */
  get url(): string
  /** `"post"` or `"get"`. */
  get transport(): 'post' | 'get'
  /** The catalog; it is also kept to check later orders against. */
  services(): Promise<ServiceList>
  /**
   * Places an order and resolves to its id; never sends it twice. The
   * form comes from `form`, else from the service's type once `services()`
   * was called, else from the fields (in camelCase or snake_case). The
   * order is checked against the limits of the catalog this client last
   * listed; a fresh client checks its shape and leaves the limits to the
   * panel (a journaled client checks against the journal's catalog).
   * Rejects with a ValidationError (nothing sent) or, when the answer is
   * lost, an OutcomeUnknownError. With a journal, `options` may give an
   * `idempotencyKey`: an `add` with a key already journaled sends nothing
   * and resolves to the first's id (or rejects with its refusal, or with
   * OutcomeUnknownError until it is resolved).
   */
  add(order: Order, options?: AddOptions): Promise<Id>
  /** The order journal, when the client was given `journal`; else null. */
  get journal(): Journal | null
  /** One order's status. */
  status(order: IdInput): Promise<OrderStatus>
  /** Many orders' statuses, 100 per request, keyed by the ids as given. */
  statuses<K extends IdInput>(orders: Iterable<K>): Promise<Results<OrderStatus, K>>
  /** Asks for a refill; resolves to the refill id. */
  refill(order: IdInput): Promise<Id>
  /** Asks for refills of many orders. */
  refills<K extends IdInput>(orders: Iterable<K>): Promise<Results<Id, K>>
  /** One refill's status. */
  refillStatus(refill: IdInput): Promise<RefillState>
  /** Many refills' statuses. */
  refillStatuses<K extends IdInput>(refills: Iterable<K>): Promise<Results<RefillState, K>>
  /** Asks to cancel one order; rejects if the panel refuses. */
  cancel(order: IdInput): Promise<CancelRequested>
  /** Asks to cancel many orders. */
  cancel<K extends IdInput>(orders: Iterable<K>): Promise<Results<CancelRequested, K>>
  /** The account's balance. */
  balance(): Promise<Balance>
  toJSON(): { name: string; url: string; transport: 'post' | 'get' }
}

/** A client of any panel that speaks API v2, by URL. */
export declare class PerfectPanel extends Client {
  constructor(options: PerfectPanelOptions)
}

/** The fampage.in client: GET transport, one refill or cancel per request. */
export declare class Fampage extends Client {
  constructor(options: FampageOptions)
}

/** What a journaled `add()` keeps beside the order. */
export interface AddOptions {
  /** The order is sent once under this key, however often `add()` runs with it. */
  idempotencyKey?: string
  /** Your own reference (an invoice, a chat message). */
  reference?: string
  /** Anything else to keep with it (JSON). */
  metadata?: unknown
}

/** Where a journaled order stands. */
export type EntryState = 'sending' | 'placed' | 'refused' | 'unknown' | 'failed' | 'not_placed'

/** A journaled order. */
export interface JournalEntry {
  key: string
  provider: string
  service: Id
  /** The order as its fields (`service`, `form`, `link`…). */
  request: Record<string, unknown>
  quote: Quote | null
  reference: string | null
  metadata: unknown
  state: EntryState
  order: Id | null
  /** The error of a refused, unknown or failed order. */
  error: SmmError | null
  attempts: number
  createdAt: Date
  updatedAt: Date
  resolvedAt: Date | null
  status: OrderState | null
  charge: Money | null
  currency: string | null
  startCount: Whole | null
  remains: Whole | null
  isFinal: boolean
  polledAt: Date | null
  pollError: string | null
  cancelRequestedAt: Date | null
}

/** One change of an order's status, charge or remains, as a sync saw it. */
export interface Change {
  key: string
  provider: string
  order: Id
  reference: string | null
  from: OrderState | null
  to: OrderState
  remains: Whole | null
  charge: Money | null
  startCount: Whole | null
}

/** What one sync round did. */
export interface SyncReport {
  polled: number
  changes: Change[]
  /** Orders whose status could not be polled (polled again next round). */
  failed: { key: string; provider: string; order: Id; error: SmmError }[]
  /** Open orders of providers no client of this journal is attached to. */
  unattached: { provider: string; orders: number }[]
  open: number
  unknown: number
}

/** What was spent at one provider, in one currency: the sum of the charges the panel reported. */
export interface Spend {
  provider: string
  currency: string | null
  charged: Money
  orders: number
  awaitingCharge: number
}

/** A status an order had, as a poll saw it. */
export interface StatusRecord {
  at: Date
  status: OrderState
  charge: Money | null
  startCount: Whole | null
  remains: Whole | null
}

/** A service a catalog refresh found new, removed or repriced. */
export interface CatalogChange {
  provider: string
  at: Date
  service: Id
  kind: 'new' | 'removed' | 'repriced'
  name: string
  oldRate: Money | null
  newRate: Money | null
}

/**
 * An order journal: the one a client writes to (`client.journal`), or one
 * opened alone (`openJournal(url)`).
 */
export declare class Journal {
  private constructor()
  /** The journal's URL without its password (null for a client's journal). */
  get url(): string | null
  /** `'sqlite'` or `'postgres'` (null for a client's journal). */
  get backend(): 'sqlite' | 'postgres' | null
  /** The journaled orders, the newest first. */
  orders(filter?: { state?: EntryState; provider?: string; status?: string; limit?: number }): Promise<JournalEntry[]>
  /** The order journaled under `key`, or null. */
  order(key: string): Promise<JournalEntry | null>
  /** The orders whose outcome is unknown, oldest first: check each on the panel, then resolve it. */
  unknown(): Promise<JournalEntry[]>
  /** Records how an unknown order turned out. */
  resolve(key: string, outcome: { placed: IdInput } | { notPlaced: true }): Promise<JournalEntry>
  /** Every status change of the order under `key`, oldest first. */
  history(key: string): Promise<StatusRecord[]>
  /** Polls every open order, stores what it finds, and resolves to the round's report. */
  sync(): Promise<SyncReport>
  /** What was spent, per provider and currency. */
  spend(): Promise<Spend[]>
  /** What catalog refreshes found new, removed or repriced, oldest first. */
  catalogChanges(provider?: string): Promise<CatalogChange[]>
  /** Fetches an attached provider's catalog now; resolves to what changed. */
  refreshCatalog(provider: string): Promise<CatalogChange[]>
}

/** Opens (creating or upgrading) the journal at `url` alone, to read or resolve it. */
export declare function openJournal(url: string): Promise<Journal>

/** A route: the (panel, service) pairs that can fill an offering. */
export interface RouteOptions {
  /** `cheapest` (default): the lowest quote first; `priority`: the listed order. */
  strategy?: 'cheapest' | 'priority'
  /** `PANEL:SERVICE` pairs, such as `main:1203`. */
  services: string[]
}

/** One panel of a route, and what happened there. */
export interface Attempt {
  panel: string
  service: Id
  quote: Quote | null
  /** `eligible` (a plan), `skipped` (see `reason`), `refused` (see `error`), `placed` (see `order`), `notTried`. */
  outcome: 'eligible' | 'skipped' | 'refused' | 'placed' | 'not_tried'
  reason?: string
  error?: SmmError
  order?: Id
}

/** A routed order that was placed. */
export interface Routed {
  route: string
  panel: string
  service: Id
  order: Id
  quote: Quote | null
  /** True when nothing was sent: an earlier `add` with the idempotency key placed it. */
  replayed: boolean
  attempts: Attempt[]
}

/** Where a routed order would go: the panels in the order they would be tried. */
export interface Plan {
  route: string
  strategy: 'cheapest' | 'priority'
  attempts: Attempt[]
}

/** One line of a price list: cost and sale per 1000 (per package for packages). */
export interface PriceRow {
  name: string
  serviceName: string
  type: ServiceType
  category: string
  panel: string
  service: Id
  cost: Money
  sale: Money
  margin: Money
  min: Whole
  max: Whole
}

/** A sale price below what a panel now charges. */
export interface PriceWarning {
  name: string
  panel: string
  service: Id
  cost: Money
  sale: Money
}

/** The services matching a search on every panel, and suggested matches across panels. */
export interface Comparison {
  panels: { panel: string; services: Service[]; error: SmmError | null }[]
  suggestions: { members: { panel: string; service: Id; name: string; rate: Money }[]; similarity: number }[]
}

/** How sale prices are made. */
export interface PricingOptions {
  /** Only these routes; every route by default (every service of every panel when there are none). */
  routes?: string[]
  /** `'30%'`, `'0.50'` (fixed) or `'30%+0.50'`. */
  markup?: string
  /** The least a sale price exceeds its cost by. */
  minMargin?: Money
  /** The decimals of a sale price (default 2). */
  round?: number
  /** `up` (default: never below the margin) or `half_up`. */
  rounding?: 'up' | 'half_up'
  /** Markups of their own for a category or a type; the first that matches wins. */
  rules?: { category?: string; type?: string; markup: string; minMargin?: Money }[]
}

/** Several named panels with routes between them. */
export declare class Fleet {
  private constructor()
  /** The panels' names. */
  get panels(): string[]
  /** The fleet's journal, when it was given one. */
  get journal(): Journal | null
  /** Every panel's balance (or error). */
  balances(): Promise<{ panel: string; balance?: Balance; error?: SmmError }[]>
  /** The routes. */
  routes(): Promise<{ name: string; strategy: 'cheapest' | 'priority'; legs: { panel: string; service: Id }[] }[]>
  /** Every panel's catalog (or error). */
  services(): Promise<{ panel: string; services?: Record<string, unknown>[]; error?: SmmError }[]>
  /** The statuses of `[panel, orderId]` pairs, each asked of the panel that owns it. */
  statuses(orders: Iterable<[string, IdInput]>): Promise<{ panel: string; order: Id; status?: Record<string, unknown>; error?: SmmError }[]>
  /** The services matching `search` (words of the name or category) on every panel, and suggested matches. */
  compare(search?: string | null, options?: { type?: string; category?: string; panels?: string[] }): Promise<Comparison>
  /** Where a routed order would go; nothing is sent. */
  plan(route: string, order: Omit<DefaultOrder, 'service'> | Record<string, unknown>): Promise<Plan>
  /**
   * Places an order (its fields, without a service) through `route`: at the
   * first panel that can take it; at the next only when nothing was placed;
   * never after an unknown outcome (rejects with OutcomeUnknownError).
   * Rejects with RouteExhaustedError listing every panel's reason when none
   * placed it.
   */
  add(route: string, order: Omit<DefaultOrder, 'service'> | Record<string, unknown>, options?: AddOptions): Promise<Routed>
  /** The sale prices. */
  prices(options?: PricingOptions): Promise<{ rows: PriceRow[]; unavailable: string[] }>
  /** The lines of a price list whose panel now charges more than their sale price. */
  checkPrices(rows: PriceRow[]): Promise<PriceWarning[]>
}

/** Makes a fleet of named clients, with routes, journaled when given a journal. */
export declare function openFleet(options: {
  panels: Record<string, PerfectPanel | Fampage>
  routes?: Record<string, RouteOptions>
  journal?: string
}): Promise<Fleet>

export interface SandboxOptions {
  /** Seeds the catalog, the orders' lifecycles and the key (default 1). */
  seed?: number
  /** How many services to generate, 50 to 100,000 (default 120). */
  services?: number
  /** Sandbox seconds per real second (default 60); `null`: moves only with `advance()`. */
  speed?: number | null
  dialect?: 'common' | 'fampage'
  numbers?: 'strings' | 'bare'
  /** The starting balance (default "1000.00"). */
  balance?: string
  currency?: string
  /** The account's key (default: derived from the seed). */
  key?: string
  /** Whether refusals of a key and fault pages echo the request, key included (for leak tests). */
  echo?: boolean
  /** A JSON list of services to sell instead of a generated catalog. */
  catalogJson?: string
}

export interface SandboxOrder {
  id: number
  service: number
  link: string
  quantity: number
  charge: Money
  /** How many times its status was asked for. */
  polls: number
}

export interface Faults {
  seed?: number
  /** The most latency added to a request, in seconds. */
  latency?: number
  /** Share of requests answered with a 5xx page (0 to 1). */
  serverError?: number
  /** Share answered with an HTML page instead of JSON. */
  html?: number
  /** Share whose connection is dropped without an answer. */
  drop?: number
  /** Share whose answer stalls for `stallFor` seconds. */
  stall?: number
  stallFor?: number
  /** Of the faulted requests, the share hit after the action ran (default 0.5). */
  afterAction?: number
}

export interface FaultCounts {
  clean: number
  serverError: number
  html: number
  drop: number
  stall: number
  afterAction: number
}

/** A real API v2 panel on loopback, for testing your own bots. */
export declare class Sandbox {
  constructor(options?: SandboxOptions)
  get url(): string
  get key(): string
  /** Moves the panel's clock forward. */
  advance(seconds: number): void
  /** Every order the panel created, in order: its own record. */
  orders(): SandboxOrder[]
  /** The account's balance as the panel keeps it. */
  balance(): Money
  setFaults(faults?: Faults): void
  faultCounts(): FaultCounts
  /** How many connections clients opened, the most open at once, and the most requests answered at once. */
  connections(): { opened: number; mostOpen: number; mostInFlight: number }
  /** Stops the panel. */
  close(): void
}

/** The payloads `decode()` reads. */
export type Payload =
  | 'services'
  | 'add'
  | 'status'
  | 'statuses'
  | 'refill'
  | 'refills'
  | 'refill_status'
  | 'refill_statuses'
  | 'cancel'
  | 'cancels'
  | 'balance'

/** Decodes a body as the answer `payload` names, as the client would. */
export declare function decode(payload: 'services', body: Uint8Array | string): ServiceList
export declare function decode(payload: 'add' | 'refill', body: Uint8Array | string): Id
export declare function decode(payload: 'status', body: Uint8Array | string): OrderStatus
export declare function decode(payload: 'statuses', body: Uint8Array | string): Results<OrderStatus>
export declare function decode(payload: 'refills', body: Uint8Array | string): Results<Id>
export declare function decode(payload: 'refill_status', body: Uint8Array | string): RefillState
export declare function decode(payload: 'refill_statuses', body: Uint8Array | string): Results<RefillState>
export declare function decode(payload: 'cancel', body: Uint8Array | string): CancelRequested
export declare function decode(payload: 'cancels', body: Uint8Array | string): Results<CancelRequested>
export declare function decode(payload: 'balance', body: Uint8Array | string): Balance

/** What an order will cost, as the panel charges it. */
export interface Quote {
  /** `exact`; `upTo` (a subscription with posts: at most); `setByPanel` (one without). */
  kind: 'exact' | 'upTo' | 'setByPanel'
  /** The charge (at most, for `upTo`), or null when the panel sets it. */
  amount: Money | null
}

/**
 * What an order of `service` (as `services()` gives it) costs, as the
 * panel charges it: a package's rate, rate × quantity / 1000, × runs when
 * drip-fed, per comment or username where those set the quantity.
 */
export declare function quote(service: Service, order?: Record<string, unknown>): Quote

/** Exact decimal arithmetic on money strings: never multiply rates as floats. */
export declare const money: {
  /** `a + b`. */
  add(a: Money | number, b: Money | number): Money
  /** `a - b`. */
  sub(a: Money | number, b: Money | number): Money
  /** `a × b`. */
  mul(a: Money | number, b: Money | number): Money
  /** `a ÷ b`. */
  div(a: Money | number, b: Money | number): Money
  /** -1, 0 or 1. */
  cmp(a: Money | number, b: Money | number): -1 | 0 | 1
  /** `a` rounded to `decimals` places, half away from zero. */
  round(a: Money | number, decimals: number): Money
}

/** Which native addon is loaded: its path and how it was built. */
export declare function addon(): { path: string; profile: 'release' | 'debug' }

/** Every error code the core gives (each has its SmmError class). */
export declare function errorCodes(): string[]

/** The core's word lists: service types, order and refill states, order forms. */
export declare function wordLists(): {
  serviceTypes: string[]
  orderStates: string[]
  refillStates: string[]
  orderForms: string[]
}

export type ErrorKind =
  | 'api'
  | 'transport'
  | 'timeout'
  | 'http_status'
  | 'decode'
  | 'response_too_large'
  | 'validation'
  | 'outcome_unknown'
  | 'config'
  | 'journal'
  | 'idempotency_conflict'
  | 'route_exhausted'

export type ApiErrorCode =
  | 'invalid_key'
  | 'insufficient_funds'
  | 'incorrect_order_id'
  | 'incorrect_refill_id'
  | 'incorrect_service'
  | 'quantity_out_of_range'
  | 'incorrect_link'
  | 'active_order_on_link'
  | 'refill_not_possible'
  | 'cancel_not_possible'
  | 'rate_limited'
  | 'incorrect_request'
  | 'other'

/** Anything that went wrong talking to a panel. No field ever holds the key. */
export declare class SmmError extends Error {
  /** The stable kind. */
  readonly kind: ErrorKind
  /** The API error kind for API errors, the kind otherwise. */
  readonly code: ApiErrorCode | Exclude<ErrorKind, 'api'>
  /** The action: `services`, `add`, `status`, `refill`, `refill_status`, `cancel`, `balance`. */
  readonly action: string | null
  /** The error for an error's payload as the core writes it (what `smmkit ... --json` prints). */
  static fromPayload(payload: Record<string, unknown>): SmmError
}
/** The panel refused the request (`{"error": "..."}` and the other shapes of a refusal, or HTTP 429). */
export declare class ApiError extends SmmError {
  readonly kind: 'api'
  readonly code: ApiErrorCode
  /** The panel's own text. */
  readonly panelMessage: string
  /** Milliseconds the panel asked to wait before retrying, or null. */
  readonly retryAfterMs: number | null
}
export declare class InvalidKeyError extends ApiError {}
export declare class InsufficientFundsError extends ApiError {}
export declare class IncorrectOrderIdError extends ApiError {}
export declare class IncorrectRefillIdError extends ApiError {}
export declare class IncorrectServiceError extends ApiError {}
export declare class QuantityOutOfRangeError extends ApiError {}
export declare class IncorrectLinkError extends ApiError {}
export declare class ActiveOrderOnLinkError extends ApiError {}
export declare class RefillNotPossibleError extends ApiError {}
export declare class CancelNotPossibleError extends ApiError {}
export declare class RateLimitedError extends ApiError {}
export declare class IncorrectRequestError extends ApiError {}
/** The request was not sent because it is invalid. */
export declare class ValidationError extends SmmError {
  readonly kind: 'validation'
  /** The field at fault, or null. */
  readonly field: string | null
  /** Whether the value was of the wrong type (a number for a link). */
  readonly typeError: boolean
}
/** A client or sandbox was given an invalid option. */
export declare class ConfigError extends SmmError {
  readonly kind: 'config'
}
/** The panel could not be reached, or the connection failed. */
export declare class TransportError extends SmmError {
  readonly kind: 'transport'
  /** True when no connection was made, so nothing was sent. */
  readonly notSent: boolean
}
/** No complete answer came in time. */
export declare class TimeoutError extends SmmError {
  readonly kind: 'timeout'
  readonly afterMs: number
}
/** The panel answered with an HTTP error status: any 5xx, or another without a refusal in the body. */
export declare class HttpStatusError extends SmmError {
  readonly kind: 'http_status'
  readonly status: number
  /** The text of an error body, when there was one. */
  readonly panelMessage: string | null
  /** The start of the body. */
  readonly snippet: string
  /** Milliseconds the panel asked to wait before retrying, or null. */
  readonly retryAfterMs: number | null
}
/** The answer is not what the action returns (HTML, cut off, wrong shape). */
export declare class DecodeError extends SmmError {
  readonly kind: 'decode'
  /** What was wrong. */
  readonly reason: string
  /** The start of the body. */
  readonly snippet: string
}
/** The answer was larger than the cap. */
export declare class ResponseTooLargeError extends SmmError {
  readonly kind: 'response_too_large'
  readonly limit: number
}
/** An order was sent but its result is unknown: check the panel before ordering again. */
export declare class OutcomeUnknownError extends SmmError {
  readonly kind: 'outcome_unknown'
  /** What was sent, without the key. */
  readonly request: Record<string, unknown>
  /** Why the result is unknown. */
  readonly cause: SmmError | undefined
}
/** The order journal could not be opened, read or written. */
export declare class JournalError extends SmmError {
  readonly kind: 'journal'
  /** True when the order was held back: nothing was sent. */
  readonly notSent: boolean
  /** The id of an order the panel placed that the journal could not record. */
  readonly placed: Id | null
}
/** An idempotency key was given again with a different order: nothing was sent. */
export declare class IdempotencyConflictError extends SmmError {
  readonly kind: 'idempotency_conflict'
  readonly key: string
}
/** Every panel of a route refused the order or could not take it: nothing was placed. */
export declare class RouteExhaustedError extends SmmError {
  readonly kind: 'route_exhausted'
  readonly route: string
  /** Why each panel did not place it, one line each (`panel: reason`). */
  readonly reasons: string[]
}
