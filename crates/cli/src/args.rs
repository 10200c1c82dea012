//! The command line's arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// smmkit: order, track, refill and cancel on SMM panels that speak API v2.
///
/// Choose a panel with --provider fampage, with --url for any API v2 panel,
/// or with a profile of the config file. The API key comes from the
/// SMMKIT_KEY environment variable or from the profile (`key_env` names a
/// variable that holds it). `smmkit demo` and `smmkit sandbox` need no key
/// and no network.
#[derive(Debug, Parser)]
#[command(name = "smmkit", version, about, long_about, after_long_help = EXIT_CODES)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) panel: PanelArgs,

    #[command(subcommand)]
    pub(crate) command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 done; 1 an error (the panel refused, \
could not be reached, answered nonsense; the journal cannot be used); 2 bad \
arguments (an idempotency key used for another order too); 3 an order's outcome \
is unknown (it may have been placed: check before ordering again, then `smmkit \
resolve`); 4 some ids of a batch failed.

The order journal (--journal, SMMKIT_JOURNAL, or `journal` in a profile):
sqlite://FILE or postgres://USER@HOST/DB. With it, `add --idempotency-key K`
sends an order once however often it runs, every order is recorded before it
is sent, `smmkit orders` lists them, `smmkit sync` polls the open ones, and
`smmkit resolve K --placed ID | --not-placed` settles an unknown outcome.

Several panels: every profile of the config file is a panel of the fleet,
named after the profile. `smmkit compare SEARCH` shows the matching services
of each side by side, with suggested matches; a route names the (profile,
service) pairs that can fill an offering:

    [routes.ig-likes]
    strategy = \"cheapest\"          # or \"priority\": the listed order
    services = [\"main:1203\", \"backup:77\"]   # PROFILE:SERVICE

`smmkit add --route ig-likes --link L --quantity Q` sends the order to the
cheapest panel whose catalog lists the service, whose limits take the
quantity and whose balance covers the cost; it moves to the next only when
the panel refused (nothing placed), never after an unknown outcome.
`smmkit prices --markup 30% --round 2` prints the sale prices of the routes.

Config file (--config, SMMKIT_CONFIG, else ~/.config/smmkit/config.toml):

    default = \"main\"

    [profiles.main]
    provider = \"perfect-panel\"      # or \"fampage\"
    url = \"https://panel.example/api/v2\"
    key_env = \"MAIN_PANEL_KEY\"       # the variable that holds the key
    transport = \"post\"              # or \"get\"
    timeout = 30                     # seconds (fractions allowed)
    retries = 3                      # 0 to 20
    max_connections = 16             # requests in flight at once
    journal = \"sqlite:///var/lib/smmkit/orders.db\"   # the order journal
    # also: connect_timeout, concurrency, max_response_bytes, user_agent,
    # proxy, and [profiles.main.params] sent with every request";

/// Which panel to talk to, and how. Every setting but the key is read by
/// the core with the same bounds as Python's and Node's options.
#[derive(Debug, Args)]
pub(crate) struct PanelArgs {
    /// The provider: fampage, or perfect-panel for any API v2 panel.
    #[arg(long, global = true, env = "SMMKIT_PROVIDER", value_parser = ["fampage", "perfect-panel"])]
    pub(crate) provider: Option<String>,

    /// The panel's API v2 URL (implies perfect-panel unless --provider says).
    #[arg(long, global = true, env = "SMMKIT_URL")]
    pub(crate) url: Option<String>,

    /// A profile of the config file.
    #[arg(long, global = true, env = "SMMKIT_PROFILE")]
    pub(crate) profile: Option<String>,

    /// The config file.
    #[arg(long, global = true, env = "SMMKIT_CONFIG")]
    pub(crate) config: Option<PathBuf>,

    /// How parameters travel: post (form body) or get (query string).
    #[arg(long, global = true, value_parser = ["post", "get"])]
    pub(crate) transport: Option<String>,

    /// Seconds one exchange may take (fractions allowed; up to 86400).
    #[arg(long, global = true, allow_hyphen_values = true)]
    pub(crate) timeout: Option<String>,

    /// Seconds opening a connection may take.
    #[arg(long, global = true, allow_hyphen_values = true)]
    pub(crate) connect_timeout: Option<String>,

    /// How many times a failed read is retried (0 to 20).
    #[arg(long, global = true, allow_hyphen_values = true)]
    pub(crate) retries: Option<String>,

    /// How many requests of a batch run at once (1 to 64).
    #[arg(long, global = true, allow_hyphen_values = true)]
    pub(crate) concurrency: Option<String>,

    /// How many requests may be in flight at once (1 to 1024).
    #[arg(long, global = true, allow_hyphen_values = true)]
    pub(crate) max_connections: Option<String>,

    /// The User-Agent header.
    #[arg(long, global = true)]
    pub(crate) user_agent: Option<String>,

    /// A proxy for every request (http://, https://, socks5://).
    #[arg(long, global = true)]
    pub(crate) proxy: Option<String>,

    /// The API key. Prefer SMMKIT_KEY: a flag lands in your shell history.
    #[arg(long, global = true, hide_env_values = true)]
    pub(crate) key: Option<String>,

    /// The order journal: sqlite://FILE (or a file path) or
    /// postgres://USER@HOST/DB. With one, add, status, refill and cancel
    /// are journaled, and orders, sync and resolve read it.
    #[arg(long, global = true, env = "SMMKIT_JOURNAL", hide_env_values = true)]
    pub(crate) journal: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List the panel's services.
    Services(ServicesArgs),
    /// Place an order (or, with --dry-run, show what it would cost).
    Add(Box<AddArgs>),
    /// Show the status of orders.
    Status(IdsArgs),
    /// Follow orders with progress bars until every one is final.
    Watch(WatchArgs),
    /// Ask for refills of orders.
    Refill(IdsArgs),
    /// Show the status of refills.
    RefillStatus(IdsArgs),
    /// Ask to cancel orders.
    Cancel(IdsArgs),
    /// Show the account's balance.
    Balance(OutputArgs),
    /// List the journaled orders (needs a journal).
    Orders(OrdersArgs),
    /// Poll every open journaled order and print what changed (needs a
    /// journal).
    Sync(SyncArgs),
    /// Record how an order whose outcome was unknown turned out (needs a
    /// journal).
    Resolve(ResolveArgs),
    /// Compare the services matching a search across every profile's panel.
    Compare(CompareArgs),
    /// The sale prices of routes (or of whole catalogs) with a markup.
    Prices(PricesArgs),
    /// Run the sandbox panel on loopback until interrupted.
    Sandbox(SandboxArgs),
    /// Try everything against an embedded sandbox panel: no key, no network.
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Print JSON.
    #[arg(long, conflicts_with = "csv")]
    pub(crate) json: bool,
    /// Print CSV, with the JSON's field names (nested ones joined with `.`).
    #[arg(long)]
    pub(crate) csv: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortKey {
    Id,
    Rate,
    #[value(name = "-rate")]
    RateDesc,
    Name,
    Min,
    Max,
}

#[derive(Debug, Args)]
pub(crate) struct ServicesArgs {
    /// Only services whose name or category holds this text (any case).
    #[arg(long, short)]
    pub(crate) search: Option<String>,
    /// Only services whose category holds this text (any case).
    #[arg(long)]
    pub(crate) category: Option<String>,
    /// Only services of this type (e.g. "Default", "Custom Comments").
    #[arg(long = "type")]
    pub(crate) kind: Option<String>,
    /// Order of the list.
    #[arg(long, value_enum, default_value = "id", allow_hyphen_values = true)]
    pub(crate) sort: SortKey,
    /// Show at most this many.
    #[arg(long)]
    pub(crate) limit: Option<usize>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct IdsArgs {
    /// The ids.
    #[arg(required = true, num_args = 1..)]
    pub(crate) ids: Vec<String>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// The order ids.
    #[arg(required = true, num_args = 1..)]
    pub(crate) ids: Vec<String>,
    /// Seconds between polls.
    #[arg(long, default_value_t = 5.0)]
    pub(crate) interval: f64,
    /// Give up after this many seconds.
    #[arg(long)]
    pub(crate) max_wait: Option<f64>,
}

/// The device codes of web traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DeviceName {
    Desktop,
    Android,
    Ios,
    MixedMobile,
    Mixed,
}

/// Where web traffic comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TrafficName {
    GoogleKeyword,
    CustomReferrer,
    Blank,
}

#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The service id.
    #[arg(long, required_unless_present = "route", conflicts_with = "route")]
    pub(crate) service: Option<String>,
    /// Send the order through a route of the config file: to its cheapest
    /// (or first) panel that can take it, the next only when nothing was
    /// placed.
    #[arg(long)]
    pub(crate) route: Option<String>,
    /// The link to deliver to.
    #[arg(long)]
    pub(crate) link: Option<String>,
    /// How many.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) quantity: Option<String>,
    /// Drip-feed: how many runs.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) runs: Option<String>,
    /// Drip-feed: minutes between runs.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) interval: Option<String>,
    /// Comments, one per line; repeat the flag or give @FILE.
    #[arg(long)]
    pub(crate) comments: Vec<String>,
    /// Usernames, one per line; repeat the flag or give @FILE.
    #[arg(long)]
    pub(crate) usernames: Vec<String>,
    /// Hashtags, one per line; repeat the flag or give @FILE.
    #[arg(long)]
    pub(crate) hashtags: Vec<String>,
    /// SEO keywords, one per line; repeat the flag or give @FILE.
    #[arg(long)]
    pub(crate) keywords: Vec<String>,
    /// Groups, one per line; repeat the flag or give @FILE.
    #[arg(long)]
    pub(crate) groups: Vec<String>,
    /// One hashtag (Mentions Hashtag).
    #[arg(long)]
    pub(crate) hashtag: Option<String>,
    /// One username (Mentions User Followers, Comment Likes, Comment
    /// Replies, Subscriptions).
    #[arg(long)]
    pub(crate) username: Option<String>,
    /// A media link (Mentions Media Likers).
    #[arg(long)]
    pub(crate) media: Option<String>,
    /// The answer to vote for, from 1 (Poll).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) answer_number: Option<String>,
    /// Subscriptions: least per post.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) min: Option<String>,
    /// Subscriptions: most per post.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) max: Option<String>,
    /// Subscriptions: how many posts (leave out for unlimited).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) posts: Option<String>,
    /// Subscriptions: how many existing posts to include.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) old_posts: Option<String>,
    /// Subscriptions: delay in minutes (0 when left out).
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) delay: Option<String>,
    /// Subscriptions: expiry date, dd/mm/yyyy.
    #[arg(long)]
    pub(crate) expiry: Option<String>,
    /// Web traffic: country code or name.
    #[arg(long)]
    pub(crate) country: Option<String>,
    /// Web traffic: device.
    #[arg(long, value_enum)]
    pub(crate) device: Option<DeviceName>,
    /// Web traffic: where it comes from.
    #[arg(long, value_enum)]
    pub(crate) traffic: Option<TrafficName>,
    /// Web traffic: the Google keyword (with --traffic google-keyword).
    #[arg(long)]
    pub(crate) google_keyword: Option<String>,
    /// Web traffic: the referring URL (with --traffic custom-referrer).
    #[arg(long)]
    pub(crate) referring_url: Option<String>,
    /// The order form, when the service's type does not tell (e.g.
    /// custom_comments for a type the panel invented).
    #[arg(long)]
    pub(crate) form: Option<String>,
    /// Check the order against the catalog and show its exact cost, and
    /// send nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Do not fetch the catalog to check the order first.
    #[arg(long, conflicts_with = "dry_run")]
    pub(crate) no_check: bool,
    /// Send the order once under this key: run again with the same key, it
    /// prints the first run's order id and sends nothing (needs a journal).
    #[arg(long)]
    pub(crate) idempotency_key: Option<String>,
    /// Your own reference, kept with the order in the journal.
    #[arg(long)]
    pub(crate) reference: Option<String>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct OrdersArgs {
    /// Only orders in this state: sending, placed, refused, unknown,
    /// failed, not_placed.
    #[arg(long)]
    pub(crate) state: Option<String>,
    /// Only orders whose outcome is unknown (the same as --state unknown).
    #[arg(long, conflicts_with = "state")]
    pub(crate) unknown: bool,
    /// Only orders with this panel status (Completed, "In progress"…).
    #[arg(long)]
    pub(crate) status: Option<String>,
    /// Only orders of this provider (a profile's name, or a panel's host).
    #[arg(long = "of")]
    pub(crate) provider: Option<String>,
    /// Show at most this many, the newest first.
    #[arg(long)]
    pub(crate) limit: Option<u64>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct FleetArgs {
    /// Only these profiles (comma-separated); every profile by default.
    #[arg(long, value_delimiter = ',')]
    pub(crate) profiles: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// Words the name or category holds (any case); leave out for all.
    pub(crate) search: Option<String>,
    /// Only services of this type (e.g. "Default", "Package").
    #[arg(long = "type")]
    pub(crate) kind: Option<String>,
    /// Only services whose category holds this text.
    #[arg(long)]
    pub(crate) category: Option<String>,
    #[command(flatten)]
    pub(crate) fleet: FleetArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct PricesArgs {
    /// Only these routes (repeat the flag); every route by default, or
    /// every service of every panel when the config file has none.
    #[arg(long = "route")]
    pub(crate) routes: Vec<String>,
    /// The markup: 30% (percent), 0.50 (fixed) or 30%+0.50.
    #[arg(long, default_value = "0%")]
    pub(crate) markup: String,
    /// The least a sale price exceeds its cost by.
    #[arg(long)]
    pub(crate) min_margin: Option<String>,
    /// Another markup for a category or a type: category:TEXT=MARKUP or
    /// type:TYPE=MARKUP (repeat the flag; the first that matches wins).
    #[arg(long = "rule")]
    pub(crate) rules: Vec<String>,
    /// The decimals of a sale price.
    #[arg(long, default_value_t = 2)]
    pub(crate) round: u32,
    /// Round up (never below the margin) or half-up.
    #[arg(long, value_parser = ["up", "half-up"], default_value = "up")]
    pub(crate) rounding: String,
    /// Compare the sale prices of a price list saved with --json against
    /// what the panels charge now, and warn where a cost rose above one.
    #[arg(long)]
    pub(crate) check: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) fleet: FleetArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Keep syncing, round after round, until every order is final.
    #[arg(long)]
    pub(crate) watch: bool,
    /// Seconds between rounds with --watch.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) interval: f64,
    /// Print each round's report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("outcome").required(true).args(["placed", "not_placed"])))]
pub(crate) struct ResolveArgs {
    /// The order's idempotency key (see `smmkit orders --unknown`).
    pub(crate) key: String,
    /// It was placed, as this order id.
    #[arg(long)]
    pub(crate) placed: Option<String>,
    /// It was not placed: its key may send it again.
    #[arg(long)]
    pub(crate) not_placed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DialectName {
    Common,
    Fampage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum NumbersName {
    Strings,
    Bare,
}

#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: std::net::IpAddr,
    /// Seeds the catalog, the lifecycles, the faults and the key.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// How many services to generate (50 to 100000).
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(50..=100_000))]
    pub(crate) services: u64,
    /// Sell this catalog (a JSON list of services) instead.
    #[arg(long)]
    pub(crate) catalog: Option<PathBuf>,
    /// Sandbox seconds per real second.
    #[arg(long, default_value_t = 60.0)]
    pub(crate) speed: f64,
    /// Answer shapes.
    #[arg(long, value_enum, default_value = "common")]
    pub(crate) dialect: DialectName,
    /// How numbers are written.
    #[arg(long, value_enum, default_value = "strings")]
    pub(crate) numbers: NumbersName,
    /// The account's key (default: derived from the seed).
    #[arg(long = "account-key")]
    pub(crate) account_key: Option<String>,
    /// The account's starting balance.
    #[arg(long, default_value = "1000.00")]
    pub(crate) balance: String,
    /// The account's currency.
    #[arg(long, default_value = "USD")]
    pub(crate) currency: String,
    /// Share of requests answered with a 5xx page.
    #[arg(long, default_value_t = 0.0)]
    pub(crate) fault_5xx: f64,
    /// Share answered with an HTML page instead of JSON.
    #[arg(long, default_value_t = 0.0)]
    pub(crate) fault_html: f64,
    /// Share whose connection is dropped without an answer.
    #[arg(long, default_value_t = 0.0)]
    pub(crate) fault_drop: f64,
    /// Share whose answer stalls.
    #[arg(long, default_value_t = 0.0)]
    pub(crate) fault_stall: f64,
    /// The most latency added to a request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub(crate) latency_ms: u64,
    /// Refusals of a key and fault pages echo the request, key included
    /// (to test that a client never shows it).
    #[arg(long)]
    pub(crate) echo: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Sandbox seconds per real second: higher finishes sooner.
    #[arg(long, default_value_t = 400.0)]
    pub(crate) speed: f64,
    /// Seeds the sandbox.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Show several panels instead: compare, a route with failover, prices.
    #[arg(long)]
    pub(crate) fleet: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
