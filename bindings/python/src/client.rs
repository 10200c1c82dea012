//! The client: every method once, run either blocking (the GIL released)
//! or as an awaitable on the process's one tokio runtime.

use std::future::Future;
use std::time::Duration;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use smmkit::{
    ClientOptions, Error, Fampage, OrderFields, OrderId, OrderKind, PerfectPanel, RefillId,
    SmmProvider, Transport, ValidationError,
};

use crate::convert::{Words, entries, ids, lines, opt_whole, small, text, whole, word};
use crate::errors::to_pyerr;
use crate::models::{PyBalance, PyCancelRequested, PyOrderStatus, PyService};
use crate::runtime::runtime;

/// Runs `fut` and converts its value, blocking with the GIL released, or
/// as an awaitable.
pub(crate) fn finish<T, F, C>(
    py: Python<'_>,
    awaitable: bool,
    fut: F,
    convert: C,
) -> PyResult<Py<PyAny>>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    if awaitable {
        let aw = crate::runtime::awaitable(py, async move {
            let result = fut.await;
            Python::attach(|py| match result {
                Ok(v) => convert(py, v),
                Err(e) => Err(to_pyerr(py, &e)),
            })
        })?;
        Ok(aw.unbind())
    } else {
        let runtime = runtime()?;
        let result = py.detach(|| runtime.block_on(fut));
        match result {
            Ok(v) => convert(py, v),
            Err(e) => Err(to_pyerr(py, &e)),
        }
    }
}

fn config_error(py: Python<'_>, message: String) -> PyErr {
    to_pyerr(py, &Error::Config(message))
}

fn seconds(py: Python<'_>, value: Option<f64>, what: &str) -> PyResult<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => {
            Ok(Some(Duration::from_secs_f64(s)))
        }
        Some(s) => Err(config_error(
            py,
            format!("{what} must be a number of seconds above 0, not {s}"),
        )),
    }
}

/// The options every client takes, checked.
#[allow(clippy::too_many_arguments)]
fn options(
    py: Python<'_>,
    transport: Option<&str>,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    retries: Option<u32>,
    max_response_bytes: Option<usize>,
    concurrency: Option<usize>,
) -> PyResult<ClientOptions> {
    let transport = transport
        .map(|t| {
            Transport::parse(t).ok_or_else(|| {
                config_error(
                    py,
                    format!("transport must be \"post\" or \"get\", not {t:?}"),
                )
            })
        })
        .transpose()?;
    Ok(ClientOptions {
        transport,
        timeout: seconds(py, timeout, "timeout")?,
        connect_timeout: seconds(py, connect_timeout, "connect_timeout")?,
        retries,
        max_response_bytes,
        concurrency,
    })
}

/// A client of one panel; `smmkit.PerfectPanel`, `smmkit.Fampage` and their
/// async twins wrap it.
#[pyclass(frozen, module = "smmkit._native", name = "Client")]
pub(crate) struct Client {
    panel: PerfectPanel,
    label: &'static str,
    /// The process that made the client: its connections belong to it.
    made_in: u32,
}

impl Client {
    /// The panel, for a call: refused in a process forked from the one that
    /// made the client, whose pooled connections and their tasks stayed
    /// behind in the parent.
    fn panel(&self, py: Python<'_>) -> PyResult<PerfectPanel> {
        if std::process::id() != self.made_in {
            return Err(config_error(
                py,
                "this client was made before the process forked; make a new client in this process"
                    .into(),
            ));
        }
        Ok(self.panel.clone())
    }
}

#[pymethods]
impl Client {
    /// A client: `kind` is `"fampage"` (`url` optional) or `"perfect-panel"`.
    #[staticmethod]
    #[pyo3(signature = (kind, key, *, url=None, transport=None, timeout=None, connect_timeout=None, retries=None, max_response_bytes=None, concurrency=None))]
    #[allow(clippy::too_many_arguments)]
    fn create(
        py: Python<'_>,
        kind: &str,
        key: &str,
        url: Option<&str>,
        transport: Option<&str>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        retries: Option<u32>,
        max_response_bytes: Option<usize>,
        concurrency: Option<usize>,
    ) -> PyResult<Client> {
        let options = options(
            py,
            transport,
            timeout,
            connect_timeout,
            retries,
            max_response_bytes,
            concurrency,
        )?;
        let (panel, label) = match (kind, url) {
            ("fampage", url) => {
                let mut b = Fampage::builder(key).configure(|inner| inner.options(&options));
                if let Some(u) = url {
                    b = b.base_url(u);
                }
                (b.build().map(|f| f.panel().clone()), "Fampage")
            }
            (_, Some(url)) => (
                PerfectPanel::builder(url, key).options(&options).build(),
                "PerfectPanel",
            ),
            (_, None) => (
                Err(Error::Config("a panel URL is needed".into())),
                "PerfectPanel",
            ),
        };
        Ok(Client {
            panel: panel.map_err(|e| to_pyerr(py, &e))?,
            label,
            made_in: std::process::id(),
        })
    }

    /// The panel's name.
    #[getter]
    fn name(&self) -> &str {
        self.panel.name()
    }

    /// The panel's URL.
    #[getter]
    fn url(&self) -> &str {
        self.panel.url().as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "{}(url='{}', transport='{}')",
            self.label,
            self.panel.url(),
            self.panel.transport().as_str()
        )
    }

    fn services(&self, py: Python<'_>, awaitable: bool) -> PyResult<Py<PyAny>> {
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { panel.services().await },
            |py, list| PyService::list(py, list)?.into_py_any(py),
        )
    }

    #[pyo3(signature = (awaitable, service, *, form=None, link=None, quantity=None, runs=None, interval=None,
        comments=None, usernames=None, hashtags=None, keywords=None, groups=None, hashtag=None, username=None,
        media=None, answer_number=None, min=None, max=None, posts=None, old_posts=None, delay=None, expiry=None,
        country=None, device=None, type_of_traffic=None, google_keyword=None, referring_url=None))]
    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        py: Python<'_>,
        awaitable: bool,
        service: &Bound<'_, PyAny>,
        form: Option<&Bound<'_, PyAny>>,
        link: Option<&Bound<'_, PyAny>>,
        quantity: Option<&Bound<'_, PyAny>>,
        runs: Option<&Bound<'_, PyAny>>,
        interval: Option<&Bound<'_, PyAny>>,
        comments: Option<&Bound<'_, PyAny>>,
        usernames: Option<&Bound<'_, PyAny>>,
        hashtags: Option<&Bound<'_, PyAny>>,
        keywords: Option<&Bound<'_, PyAny>>,
        groups: Option<&Bound<'_, PyAny>>,
        hashtag: Option<&Bound<'_, PyAny>>,
        username: Option<&Bound<'_, PyAny>>,
        media: Option<&Bound<'_, PyAny>>,
        answer_number: Option<&Bound<'_, PyAny>>,
        min: Option<&Bound<'_, PyAny>>,
        max: Option<&Bound<'_, PyAny>>,
        posts: Option<&Bound<'_, PyAny>>,
        old_posts: Option<&Bound<'_, PyAny>>,
        delay: Option<&Bound<'_, PyAny>>,
        expiry: Option<&Bound<'_, PyAny>>,
        country: Option<&Bound<'_, PyAny>>,
        device: Option<&Bound<'_, PyAny>>,
        type_of_traffic: Option<&Bound<'_, PyAny>>,
        google_keyword: Option<&Bound<'_, PyAny>>,
        referring_url: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let service = smmkit::ServiceId(whole(service, "service", 0, true)?);
        let small_code = |o, field| -> PyResult<Option<u8>> {
            small(o, field, 0)?
                .map(|n| {
                    u8::try_from(n).map_err(|_| {
                        to_pyerr(
                            py,
                            &ValidationError::for_field(field, format!("{n} is out of range"))
                                .into(),
                        )
                    })
                })
                .transpose()
        };
        let fields = OrderFields {
            link: text(link, "link")?,
            quantity: opt_whole(quantity, "quantity", 1)?,
            runs: small(runs, "runs", 1)?,
            interval: small(interval, "interval", 1)?,
            comments: lines(comments, "comments")?,
            usernames: lines(usernames, "usernames")?,
            hashtags: lines(hashtags, "hashtags")?,
            keywords: lines(keywords, "keywords")?,
            groups: lines(groups, "groups")?,
            hashtag: text(hashtag, "hashtag")?,
            username: text(username, "username")?,
            media: text(media, "media")?,
            answer_number: small(answer_number, "answer_number", 1)?,
            min: opt_whole(min, "min", 1)?,
            max: opt_whole(max, "max", 1)?,
            posts: opt_whole(posts, "posts", 1)?,
            old_posts: opt_whole(old_posts, "old_posts", 0)?,
            delay: small(delay, "delay", 0)?,
            expiry: text(expiry, "expiry")?,
            country: text(country, "country")?,
            device: small_code(device, "device")?,
            type_of_traffic: small_code(type_of_traffic, "type_of_traffic")?,
            google_keyword: text(google_keyword, "google_keyword")?,
            referring_url: text(referring_url, "referring_url")?,
        };
        // The form: as named, else as the last catalog says, else as the
        // fields point to.
        let kind = match text(form, "form")? {
            Some(name) => Some(OrderKind::parse(&name).ok_or_else(|| {
                let forms: Vec<&str> = OrderKind::ALL.iter().map(|k| k.as_str()).collect();
                to_pyerr(
                    py,
                    &ValidationError::for_field(
                        "form",
                        format!("`{name}` is not a form: one of {}", forms.join(", ")),
                    )
                    .into(),
                )
            })?),
            None => self
                .panel
                .known_service(service)
                .and_then(|l| l.kind.order_kind()),
        };
        let order = fields
            .into_request(service, kind)
            .map_err(|e| to_pyerr(py, &e.into()))?;
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { panel.add(&order).await },
            |py, id| id.get().into_py_any(py),
        )
    }

    fn status(
        &self,
        py: Python<'_>,
        awaitable: bool,
        order: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let id = OrderId(whole(order, "order", 0, true)?);
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { panel.status(id).await },
            |py, s| PyOrderStatus(s).into_py_any(py),
        )
    }

    fn statuses(
        &self,
        py: Python<'_>,
        awaitable: bool,
        orders: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let list: Vec<OrderId> = ids(orders, "orders")?.into_iter().map(OrderId).collect();
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { Ok(panel.statuses(&list).await) },
            |py, all| entries(py, all, |py, s| PyOrderStatus(s).into_py_any(py)),
        )
    }

    fn refill(
        &self,
        py: Python<'_>,
        awaitable: bool,
        order: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let id = OrderId(whole(order, "order", 0, true)?);
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { panel.refill(id).await },
            |py, r| r.get().into_py_any(py),
        )
    }

    fn refills(
        &self,
        py: Python<'_>,
        awaitable: bool,
        orders: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let list: Vec<OrderId> = ids(orders, "orders")?.into_iter().map(OrderId).collect();
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { Ok(panel.refills(&list).await) },
            |py, all| entries(py, all, |py, r| r.get().into_py_any(py)),
        )
    }

    fn refill_status(
        &self,
        py: Python<'_>,
        awaitable: bool,
        refill: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let id = RefillId(whole(refill, "refill", 0, true)?);
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { panel.refill_status(id).await },
            |py, s| Ok(word(py, Words::RefillState, s.as_str())?.unbind()),
        )
    }

    fn refill_statuses(
        &self,
        py: Python<'_>,
        awaitable: bool,
        refills: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let list: Vec<RefillId> = ids(refills, "refills")?.into_iter().map(RefillId).collect();
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { Ok(panel.refill_statuses(&list).await) },
            |py, all| {
                entries(py, all, |py, s| {
                    Ok(word(py, Words::RefillState, s.as_str())?.unbind())
                })
            },
        )
    }

    /// One id: the cancellation, raising on a refusal. Many: a dict.
    fn cancel(
        &self,
        py: Python<'_>,
        awaitable: bool,
        orders: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let panel = self.panel(py)?;
        let single = orders.is_instance_of::<pyo3::types::PyInt>()
            || orders.is_instance_of::<pyo3::types::PyString>();
        if single {
            let id = OrderId(whole(orders, "order", 0, true)?);
            return finish(
                py,
                awaitable,
                async move {
                    let mut all = panel.cancel(&[id]).await;
                    match all.pop() {
                        Some((_, r)) => r,
                        None => Err(Error::Decode {
                            action: smmkit::Action::Cancel,
                            message: format!("the panel's answer has no entry for {id}"),
                            snippet: "(entry missing)".into(),
                        }),
                    }
                },
                |py, c| PyCancelRequested(c).into_py_any(py),
            );
        }
        let list: Vec<OrderId> = ids(orders, "orders")?.into_iter().map(OrderId).collect();
        finish(
            py,
            awaitable,
            async move { Ok(panel.cancel(&list).await) },
            |py, all| entries(py, all, |py, c| PyCancelRequested(c).into_py_any(py)),
        )
    }

    fn balance(&self, py: Python<'_>, awaitable: bool) -> PyResult<Py<PyAny>> {
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            async move { panel.balance().await },
            |py, b| PyBalance(b).into_py_any(py),
        )
    }
}
