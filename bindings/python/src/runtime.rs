//! The tokio runtime every call runs on: one per process.
//!
//! Threads do not survive `fork()`. A process forked from one whose runtime
//! had started (as Python's `multiprocessing` does by default on Linux)
//! holds a runtime without worker threads, and anything run on it waits
//! forever. So the runtime is kept with the id of the process that started
//! it, and a forked child starts its own on first use; the parent's, whose
//! threads are gone, is left alone (dropping it would wait for them).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, RwLock};
use std::task::{Context, Poll};

use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{self, ContextExt};
use tokio::runtime::Runtime;

/// This process's runtime, started on first use.
pub(crate) fn runtime() -> PyResult<&'static Runtime> {
    static CURRENT: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);
    let pid = std::process::id();
    let mut current = CURRENT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match *current {
        Some((started_in, runtime)) if started_in == pid => Ok(runtime),
        _ => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_name("smmkit-runtime")
                .build()
                .map_err(|e| {
                    pyo3::exceptions::PyRuntimeError::new_err(format!(
                        "smmkit could not start its async runtime: {e}"
                    ))
                })?;
            // Kept for the life of the process, as a runtime must be for
            // the awaitables and connection pools that use it.
            let runtime: &'static Runtime = Box::leak(Box::new(runtime));
            *current = Some((pid, runtime));
            Ok(runtime)
        }
    }
}

/// Whether the runtime's tasks may still touch Python: `false` once the
/// interpreter starts to exit ([`close`]). A task whose awaitable outlived
/// its event loop (cancelled, or left pending) can finish at any time; one
/// that entered Python while the interpreter was being torn down crashed
/// the process at exit.
static PYTHON_OPEN: RwLock<bool> = RwLock::new(true);

/// Runs `f`, which enters Python, unless the interpreter is exiting; then
/// `f` is forgotten, not run nor dropped, since both would touch Python
/// objects. Python does not start to exit while `f` runs.
pub(crate) fn while_python_runs<R>(f: impl FnOnce() -> R) -> Option<R> {
    let open = PYTHON_OPEN
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if *open {
        Some(f())
    } else {
        std::mem::forget(f);
        None
    }
}

/// Run by `atexit`: waits, without the GIL, for the tasks that are in
/// Python to leave it, and keeps every later one out.
#[pyfunction]
pub(crate) fn close(py: Python<'_>) {
    py.detach(|| {
        *PYTHON_OPEN
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = false;
    });
}

/// Turns a future into a Python awaitable run on [`runtime`].
pub(crate) fn awaitable<F, T>(py: Python<'_>, fut: F) -> PyResult<Bound<'_, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    // Started here, where a failure can be raised: the awaitable's tasks
    // are spawned later, where it could not.
    runtime()?;
    generic::future_into_py::<ProcessRuntime, F, T>(py, fut)
}

/// pyo3-async-runtimes' glue for [`runtime`]; its own tokio glue keeps the
/// first runtime for good, which a forked child cannot use.
struct ProcessRuntime;

tokio::task_local! {
    static TASK_LOCALS: TaskLocals;
}

/// A task spawned on [`runtime`], or the failure to start it.
enum Spawned {
    Task(tokio::task::JoinHandle<()>),
    NotStarted(Option<String>),
}

/// Why a [`Spawned`] task did not finish.
enum TaskFailure {
    Join(tokio::task::JoinError),
    NotStarted(String),
}

impl generic::JoinError for TaskFailure {
    fn is_panic(&self) -> bool {
        match self {
            TaskFailure::Join(e) => e.is_panic(),
            // Reported as a panic so that the awaitable raises it instead of
            // never completing.
            TaskFailure::NotStarted(_) => true,
        }
    }

    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        match self {
            TaskFailure::Join(e) => e.into_panic(),
            TaskFailure::NotStarted(why) => Box::new(why),
        }
    }
}

impl Future for Spawned {
    type Output = Result<(), TaskFailure>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut *self {
            Spawned::Task(handle) => Pin::new(handle).poll(cx).map_err(TaskFailure::Join),
            Spawned::NotStarted(why) => {
                Poll::Ready(Err(TaskFailure::NotStarted(why.take().unwrap_or_default())))
            }
        }
    }
}

fn spawned(start: impl FnOnce(&'static Runtime) -> tokio::task::JoinHandle<()>) -> Spawned {
    match runtime() {
        Ok(runtime) => Spawned::Task(start(runtime)),
        Err(e) => Spawned::NotStarted(Some(e.to_string())),
    }
}

impl generic::Runtime for ProcessRuntime {
    type JoinError = TaskFailure;
    type JoinHandle = Spawned;

    fn spawn<F>(fut: F) -> Spawned
    where
        F: Future<Output = ()> + Send + 'static,
    {
        spawned(|runtime| runtime.spawn(fut))
    }

    fn spawn_blocking<F>(f: F) -> Spawned
    where
        F: FnOnce() + Send + 'static,
    {
        // pyo3-async-runtimes hands an awaitable its result here, in Python.
        spawned(|runtime| {
            runtime.spawn_blocking(|| {
                while_python_runs(f);
            })
        })
    }
}

impl ContextExt for ProcessRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(TASK_LOCALS.scope(locals, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(Clone::clone).ok()
    }
}
