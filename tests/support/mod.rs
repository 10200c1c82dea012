//! A scripted HTTP/1.1 server on loopback for behaviour tests.
//!
//! It records every request exactly as it arrived and answers with what the
//! test's script says, including what real panels do wrong: HTML pages,
//! dropped connections, stalled headers or bodies, endless bodies.

#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    /// The parameters of the query string and the form body together.
    pub fn params(&self) -> BTreeMap<String, String> {
        url::form_urlencoded::parse(self.query().as_bytes())
            .chain(url::form_urlencoded::parse(self.body.as_bytes()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn param(&self, name: &str) -> Option<String> {
        self.params().get(name).cloned()
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A JSON body with this status.
    Json(u16, String),
    /// An HTML page with this status.
    Html(u16, String),
    /// A body with extra headers.
    With {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Closes the connection without answering, after reading the request.
    Drop,
    /// Sleeps before answering (stalled headers).
    Stall(Duration, Box<Reply>),
    /// Sends headers and part of the body, then stalls.
    StallBody {
        status: u16,
        declared: usize,
        sent: String,
        stall: Duration,
    },
    /// Sends a chunked body that never ends.
    Endless,
    /// Sends headers declaring a length, part of the body, then closes.
    Cut { declared: usize, sent: String },
    /// Sends a JSON body one byte at a time, `every` apart.
    Trickle { body: String, every: Duration },
}

impl Reply {
    pub fn ok(body: impl Into<String>) -> Reply {
        Reply::Json(200, body.into())
    }

    pub fn gzip(body: &str) -> Reply {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(body.as_bytes()).expect("gzip in memory");
        Reply::With {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: enc.finish().expect("gzip in memory"),
        }
    }
}

type Script = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct MockPanel {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<std::sync::atomic::AtomicUsize>,
    open: Arc<OpenCount>,
    task: tokio::task::JoinHandle<()>,
}

/// Requests held now, and the most held at once.
#[derive(Default)]
pub struct OpenCount {
    now: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
}

impl OpenCount {
    fn opened(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        let n = self.now.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(n, SeqCst);
    }

    fn closed(&self) {
        self.now.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for MockPanel {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl MockPanel {
    /// Starts a server whose answers come from `script(request, n)`, where
    /// `n` counts requests from 0.
    pub async fn start(
        script: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> MockPanel {
        MockPanel::start_with(true, script).await
    }

    /// A server that answers one request per connection and then closes
    /// it; with `announce_close` false it does so without saying
    /// `Connection: close`, as some proxies and PHP set-ups do, so that a
    /// client may try to reuse a connection the server already closed.
    pub async fn start_with(
        announce_close: bool,
        script: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> MockPanel {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let open = Arc::new(OpenCount::default());
        let script: Arc<Script> = Arc::new(script);
        let recorded = requests.clone();
        let counted = connections.clone();
        let open_now = open.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let script = script.clone();
                let recorded = recorded.clone();
                let open_now = open_now.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, script, recorded, announce_close, &open_now).await;
                });
            }
        });
        MockPanel {
            addr,
            requests,
            connections,
            open,
            task,
        }
    }

    /// How many connections were opened to the server.
    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The most requests the server held at once: read, and not yet
    /// answered (a client cannot have had the answer before it is written).
    pub fn most_in_flight(&self) -> usize {
        self.open.most.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A server that answers every request the same way.
    pub async fn always(reply: Reply) -> MockPanel {
        MockPanel::start(move |_, _| reply.clone()).await
    }

    pub fn url(&self) -> String {
        format!("http://{}/api/v2", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("not poisoned").clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().expect("not poisoned").len()
    }
}

/// A loopback URL where nothing listens.
pub async fn dead_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}/api/v2")
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Recorded>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let first = lines.next().unwrap_or_default();
    let mut parts = first.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Recorded {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn write_reply(stream: &mut TcpStream, reply: Reply, close: bool) -> std::io::Result<()> {
    match reply {
        Reply::Json(status, body) => {
            write_full(
                stream,
                status,
                &[("Content-Type".into(), "application/json".into())],
                body.as_bytes(),
                close,
            )
            .await
        }
        Reply::Html(status, body) => {
            write_full(
                stream,
                status,
                &[("Content-Type".into(), "text/html".into())],
                body.as_bytes(),
                close,
            )
            .await
        }
        Reply::With {
            status,
            headers,
            body,
        } => write_full(stream, status, &headers, &body, close).await,
        Reply::Drop => Ok(()),
        Reply::Stall(d, then) => {
            tokio::time::sleep(d).await;
            Box::pin(write_reply(stream, *then, close)).await
        }
        Reply::Trickle { body, every } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            stream.flush().await?;
            for byte in body.bytes() {
                tokio::time::sleep(every).await;
                stream.write_all(&[byte]).await?;
                stream.flush().await?;
            }
            Ok(())
        }
        Reply::StallBody {
            status,
            declared,
            sent,
            stall,
        } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n{sent}",
                reason(status)
            );
            stream.write_all(head.as_bytes()).await?;
            stream.flush().await?;
            tokio::time::sleep(stall).await;
            Ok(())
        }
        Reply::Cut { declared, sent } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n{sent}"
            );
            stream.write_all(head.as_bytes()).await?;
            stream.flush().await
        }
        Reply::Endless => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .await?;
            let piece = format!("{:x}\r\n{}\r\n", 4096, "[".repeat(4096));
            loop {
                stream.write_all(piece.as_bytes()).await?;
            }
        }
    }
}

async fn write_full(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    close: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\n{}",
        reason(status),
        body.len(),
        if close { "Connection: close\r\n" } else { "" }
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.flush().await
}

async fn serve(
    mut stream: TcpStream,
    script: Arc<Script>,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    announce_close: bool,
    in_flight: &OpenCount,
) -> std::io::Result<()> {
    let Some(request) = read_request(&mut stream).await? else {
        return Ok(());
    };
    in_flight.opened();
    let n = {
        let mut all = recorded.lock().expect("not poisoned");
        all.push(request.clone());
        all.len() - 1
    };
    let mut reply = script(&request, n);
    while let Reply::Stall(d, then) = reply {
        tokio::time::sleep(d).await;
        reply = *then;
    }
    in_flight.closed();
    write_reply(&mut stream, reply, announce_close).await?;
    if !announce_close {
        // Keeps the connection open a moment (0 to 2 ms) without reading,
        // then closes it: a request written in that moment is lost.
        spin(Duration::from_micros((n as u64 * 7919) % 2000)).await;
    }
    let _ = stream.shutdown().await;
    Ok(())
}

/// Waits `d` without a timer's millisecond granularity.
pub async fn spin(d: Duration) {
    let until = std::time::Instant::now() + d;
    while std::time::Instant::now() < until {
        tokio::task::yield_now().await;
    }
}

/// A services list of `n` services with ids from 1.
pub fn services_json(n: usize) -> String {
    let items: Vec<String> = (1..=n)
        .map(|i| {
            format!(
                r#"{{"service":"{i}","name":"Service {i}","type":"Default","category":"Cat","rate":"1.50","min":"10","max":"1000","refill":true,"cancel":true}}"#
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// A status object as panels send it.
pub fn status_json(status: &str) -> String {
    format!(
        r#"{{"charge":"0.27819","start_count":"3572","status":"{status}","remains":"157","currency":"USD"}}"#
    )
}
