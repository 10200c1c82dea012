//! The HTTP side: an axum router for `/api/v2`, served connection by
//! connection so that faults can delay, replace, stall or drop answers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::routing::any;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::panel::{Answer, Panel, Params};

/// Faults the sandbox injects, chosen per request from a seeded generator.
///
/// Each request gets a latency up to `latency`, then at most one fault,
/// with these probabilities. A fault happens before the action runs or,
/// with probability `after_action`, after it ran: an `add` whose answer is
/// dropped after the order was created is the case a client must never
/// turn into a second order.
///
/// ```
/// use smmkit_sandbox::Faults;
/// let flaky = Faults { server_error: 0.1, html: 0.1, drop: 0.1, ..Faults::none() };
/// assert!((flaky.total() - 0.3).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// Seeds the generator: the same seed and requests give the same faults.
    pub seed: u64,
    /// The most latency added to a request.
    pub latency: Duration,
    /// Share of requests answered with HTTP 502/503 and an HTML page.
    pub server_error: f64,
    /// Share answered with HTTP 200 and an HTML page instead of JSON.
    pub html: f64,
    /// Share whose connection is closed, after the request was read,
    /// without an answer.
    pub drop: f64,
    /// Share whose answer starts, then stalls for `stall_for` and breaks off.
    pub stall: f64,
    /// How long a stalled answer stalls.
    pub stall_for: Duration,
    /// Of the faulted requests, the share whose fault comes after the
    /// action ran.
    pub after_action: f64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults::none()
    }
}

impl Faults {
    /// No faults at all.
    pub const fn none() -> Faults {
        Faults {
            seed: 0,
            latency: Duration::ZERO,
            server_error: 0.0,
            html: 0.0,
            drop: 0.0,
            stall: 0.0,
            stall_for: Duration::from_secs(30),
            after_action: 0.5,
        }
    }

    /// The share of requests that get a fault.
    pub fn total(&self) -> f64 {
        self.server_error + self.html + self.drop + self.stall
    }
}

/// A fault, as counted by [`FaultCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    ServerError,
    Html,
    Drop,
    Stall,
}

/// How many faults the sandbox has injected, by kind and timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaultCounts {
    /// Requests answered normally.
    pub clean: u64,
    /// 5xx pages.
    pub server_error: u64,
    /// HTML pages with HTTP 200.
    pub html: u64,
    /// Dropped connections.
    pub drop: u64,
    /// Stalled answers.
    pub stall: u64,
    /// Of the faults, those that came after the action ran.
    pub after_action: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    clean: AtomicU64,
    server_error: AtomicU64,
    html: AtomicU64,
    drop: AtomicU64,
    stall: AtomicU64,
    after_action: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> FaultCounts {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        FaultCounts {
            clean: get(&self.clean),
            server_error: get(&self.server_error),
            html: get(&self.html),
            drop: get(&self.drop),
            stall: get(&self.stall),
            after_action: get(&self.after_action),
        }
    }
}

/// Faults and their generator, switchable while the sandbox runs.
pub(crate) struct Injector {
    pub(crate) faults: Mutex<(Faults, fastrand::Rng)>,
    pub(crate) counters: Counters,
}

struct Decision {
    latency: Duration,
    fault: Option<Fault>,
    after: bool,
    stall_for: Duration,
}

impl Injector {
    pub(crate) fn new(faults: Faults) -> Injector {
        Injector {
            faults: Mutex::new((faults, fastrand::Rng::with_seed(faults.seed))),
            counters: Counters::default(),
        }
    }

    pub(crate) fn set(&self, faults: Faults) {
        *self
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            (faults, fastrand::Rng::with_seed(faults.seed));
    }

    fn decide(&self) -> Decision {
        let mut guard = self
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (f, rng) = &mut *guard;
        let latency = if f.latency.is_zero() {
            Duration::ZERO
        } else {
            f.latency.mul_f64(rng.f64())
        };
        let roll = rng.f64();
        let mut edge = 0.0;
        let mut fault = None;
        for (share, kind) in [
            (f.server_error, Fault::ServerError),
            (f.html, Fault::Html),
            (f.drop, Fault::Drop),
            (f.stall, Fault::Stall),
        ] {
            edge += share;
            if roll < edge {
                fault = Some(kind);
                break;
            }
        }
        let after = rng.f64() < f.after_action;
        let c = &self.counters;
        match fault {
            None => c.clean.fetch_add(1, Ordering::Relaxed),
            Some(Fault::ServerError) => c.server_error.fetch_add(1, Ordering::Relaxed),
            Some(Fault::Html) => c.html.fetch_add(1, Ordering::Relaxed),
            Some(Fault::Drop) => c.drop.fetch_add(1, Ordering::Relaxed),
            Some(Fault::Stall) => c.stall.fetch_add(1, Ordering::Relaxed),
        };
        if fault.is_some() && after {
            c.after_action.fetch_add(1, Ordering::Relaxed);
        }
        Decision {
            latency,
            fault,
            after,
            stall_for: f.stall_for,
        }
    }
}

/// The connection is to be closed without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

const CLOUDFLARE_502: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n";
const CLOUDFLARE_503: &str = "<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n";
const CHALLENGE: &str = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>\n<body><div class=\"cf-browser-verification\">Checking your browser before accessing the panel.</div></body></html>\n";

fn html(status: StatusCode, page: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(page));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=UTF-8"),
    );
    r
}

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;")
}

/// A page, with the request echoed into it when `echo` is given.
fn page(status: StatusCode, page: &'static str, echo: Option<&str>) -> Response<Body> {
    match echo {
        None => html(status, page),
        Some(request) => {
            let body = page.replacen(
                "</body>",
                &format!("<pre>{}</pre></body>", html_escaped(request)),
                1,
            );
            let mut r = html(status, "");
            *r.body_mut() = Body::from(body);
            r
        }
    }
}

fn fault_response(
    fault: Fault,
    stall_for: Duration,
    odd: bool,
    echo: Option<&str>,
) -> Result<Response<Body>, Dropped> {
    match fault {
        Fault::ServerError if odd => Ok(page(StatusCode::BAD_GATEWAY, CLOUDFLARE_502, echo)),
        Fault::ServerError => Ok(page(StatusCode::SERVICE_UNAVAILABLE, CLOUDFLARE_503, echo)),
        Fault::Html => Ok(page(StatusCode::OK, CHALLENGE, echo)),
        Fault::Drop => Err(Dropped),
        Fault::Stall => {
            // A few bytes of JSON, then nothing, then a broken connection.
            let chunks = futures_util::stream::unfold(0u8, move |step| async move {
                match step {
                    0 => Some((Ok::<Bytes, Dropped>(Bytes::from_static(b"{\"")), 1)),
                    1 => {
                        tokio::time::sleep(stall_for).await;
                        Some((Err(Dropped), 2))
                    }
                    _ => None,
                }
            });
            let mut r = Response::new(Body::from_stream(chunks));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Ok(r)
        }
    }
}

/// Reads the parameters of a request: the query string and, whatever the
/// method, a form-encoded body.
fn params(query: Option<&str>, body: &[u8]) -> Params {
    let mut all: Vec<(String, String)> = Vec::new();
    if let Some(q) = query {
        all.extend(
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }
    all.extend(url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())));
    Params(all)
}

async fn api(
    State(panel): State<Arc<Panel>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response<Body> {
    let params = params(query.as_deref(), &body);
    let body = match panel.handle(&params) {
        Answer::Json(j) => Bytes::from(j.render()),
        Answer::Text(t) => t,
    };
    let mut r = Response::new(Body::from(body));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

pub(crate) fn router(panel: Arc<Panel>) -> Router {
    Router::new()
        .route("/api/v2", any(api))
        .route("/api/v1", any(api))
        .route("/api/v3", any(api))
        .with_state(panel)
}

/// How many connections clients opened, the most open at once, and the
/// most requests the panel was answering at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConnectionCounts {
    /// Connections accepted so far.
    pub opened: u64,
    /// The most connections open at the same time.
    pub most_open: u64,
    /// The most requests being answered at the same time: never more than
    /// a client has in flight.
    pub most_in_flight: u64,
}

#[derive(Default)]
pub(crate) struct Connections {
    opened: AtomicU64,
    open: AtomicU64,
    most_open: AtomicU64,
    in_flight: AtomicU64,
    most_in_flight: AtomicU64,
}

/// A request being answered, counted until it is dropped.
struct Answering<'a>(&'a Connections);

impl Drop for Answering<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Connections {
    fn opened(&self) {
        self.opened.fetch_add(1, Ordering::Relaxed);
        let now = self.open.fetch_add(1, Ordering::Relaxed) + 1;
        self.most_open.fetch_max(now, Ordering::Relaxed);
    }

    fn closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    /// Counts a request from when it arrives until its answer is made.
    fn answering(&self) -> Answering<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.most_in_flight.fetch_max(now, Ordering::Relaxed);
        Answering(self)
    }

    pub(crate) fn snapshot(&self) -> ConnectionCounts {
        ConnectionCounts {
            opened: self.opened.load(Ordering::Relaxed),
            most_open: self.most_open.load(Ordering::Relaxed),
            most_in_flight: self.most_in_flight.load(Ordering::Relaxed),
        }
    }
}

/// Serves `router` on `listener` with `injector`'s faults until aborted;
/// with `echo`, fault pages show the request.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    injector: Arc<Injector>,
    connections_seen: Arc<Connections>,
    echo: bool,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: wait a little, go on.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let injector = injector.clone();
        let seen = connections_seen.clone();
        seen.opened();
        let counts = seen.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let router = router.clone();
                let injector = injector.clone();
                let counts = counts.clone();
                async move {
                    let _answering = counts.answering();
                    answer(req, router, &injector, echo).await
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            seen.closed();
        });
    }
}

async fn answer(
    req: Request<Incoming>,
    router: Router,
    injector: &Injector,
    echo: bool,
) -> Result<Response<Body>, Dropped> {
    let decision = injector.decide();
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    let (parts, body) = req.into_parts();
    // The request is always read in full before any fault.
    let body = body.collect().await.map_err(|_| Dropped)?.to_bytes();
    let odd = decision.latency.subsec_nanos() % 2 == 1;
    let echoed = echo.then(|| params(parts.uri.query(), &body).echo());
    let echoed = echoed.as_deref();
    if let Some(fault) = decision.fault
        && !decision.after
    {
        return fault_response(fault, decision.stall_for, odd, echoed);
    }
    let response = match router
        .oneshot(Request::from_parts(parts, Body::from(body)))
        .await
    {
        Ok(r) => r,
        Err(never) => match never {},
    };
    if let Some(fault) = decision.fault {
        // The action ran; its answer is lost.
        drop(response);
        return fault_response(fault, decision.stall_for, odd, echoed);
    }
    Ok(response)
}
