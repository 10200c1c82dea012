//! The sandbox's clock: real time, sped up, or moved only by the caller.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The time orders live on. Clones share one clock.
///
/// ```
/// use std::time::Duration;
/// use smmkit_sandbox::Clock;
/// let clock = Clock::manual();
/// assert_eq!(clock.now(), Duration::ZERO);
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.now(), Duration::from_secs(90));
/// ```
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    /// Real time flows at `speed` from `since`; `None` for a manual clock.
    running: Option<(Instant, f64)>,
    /// Time added by `advance`, and time accumulated before `since`.
    offset: Duration,
}

impl Clock {
    /// Real time: one sandbox second per second.
    pub fn real() -> Clock {
        Clock::sped_up(1.0)
    }

    /// Real time sped up: `speed` sandbox seconds per second (at least 0.001).
    pub fn sped_up(speed: f64) -> Clock {
        let speed = if speed.is_finite() {
            speed.max(0.001)
        } else {
            1.0
        };
        Clock {
            inner: Arc::new(Mutex::new(State {
                running: Some((Instant::now(), speed)),
                offset: Duration::ZERO,
            })),
        }
    }

    /// A clock that stands still until [`advance`](Clock::advance) moves it.
    pub fn manual() -> Clock {
        Clock {
            inner: Arc::new(Mutex::new(State {
                running: None,
                offset: Duration::ZERO,
            })),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sandbox time since the clock started.
    pub fn now(&self) -> Duration {
        let s = self.state();
        let flowing = s.running.map_or(Duration::ZERO, |(since, speed)| {
            since.elapsed().mul_f64(speed)
        });
        s.offset + flowing
    }

    /// Moves the clock forward by `by`, whatever its kind.
    pub fn advance(&self, by: Duration) {
        self.state().offset += by;
    }

    /// How many sandbox seconds pass per real second (0 for a manual clock).
    pub fn speed(&self) -> f64 {
        self.state().running.map_or(0.0, |(_, speed)| speed)
    }
}
