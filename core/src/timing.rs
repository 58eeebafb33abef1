//! Phase timings for benchmarks: with `RETORT_TIMINGS=1` in the environment, the runner prints
//! to stderr, when it exits, how long each phase took (connect, reflect, compare, render,
//! apply) and how many statements it sent to the database. Off by default, and then a phase
//! costs one relaxed atomic load.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Statements and queries sent to a database by any executor of this process.
static STATEMENTS: AtomicU64 = AtomicU64::new(0);
/// Nanoseconds spent in the driver (sending, waiting, fetching rows), when timings are on.
static DRIVER_NANOS: AtomicU64 = AtomicU64::new(0);
static ENABLED: OnceLock<bool> = OnceLock::new();
static PHASES: Mutex<Vec<Phase>> = Mutex::new(Vec::new());
static REPORTED: AtomicBool = AtomicBool::new(false);

/// One timed phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub name: &'static str,
    pub elapsed: Duration,
    /// Statements sent while it ran.
    pub statements: u64,
    /// Of `elapsed`, the time spent in the database driver: for reflection, the bulk catalog
    /// read with the same driver, the floor reflection is measured against.
    pub driver: Duration,
}

/// Whether `RETORT_TIMINGS` asks for timings.
pub fn enabled() -> bool {
    *ENABLED.get_or_init(|| std::env::var_os("RETORT_TIMINGS").is_some_and(|v| v != "0"))
}

/// Runs one statement's driver call `f`, counting it and, when timings are on, its time.
pub(crate) fn statement<T>(f: impl FnOnce() -> T) -> T {
    STATEMENTS.fetch_add(1, Ordering::Relaxed);
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let value = f();
    let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    DRIVER_NANOS.fetch_add(nanos, Ordering::Relaxed);
    value
}

/// Runs `f` as the phase `name`, recording its time and statements when timings are on.
pub fn phase<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let (before, driver_before) = (
        STATEMENTS.load(Ordering::Relaxed),
        DRIVER_NANOS.load(Ordering::Relaxed),
    );
    let value = f();
    let phase = Phase {
        name,
        elapsed: start.elapsed(),
        statements: STATEMENTS.load(Ordering::Relaxed) - before,
        driver: Duration::from_nanos(DRIVER_NANOS.load(Ordering::Relaxed) - driver_before),
    };
    if let Ok(mut phases) = PHASES.lock() {
        phases.push(phase);
    }
    value
}

/// The phases recorded so far, in the order they ended.
pub fn phases() -> Vec<Phase> {
    PHASES.lock().map(|p| p.clone()).unwrap_or_default()
}

/// Prints the recorded phases to stderr once, one
/// `retort-timing: NAME SECONDS STATEMENTS DRIVER_SECONDS` line each, for a benchmark harness
/// to parse.
pub fn report() {
    if !enabled() || REPORTED.swap(true, Ordering::Relaxed) {
        return;
    }
    for phase in phases() {
        eprintln!(
            "retort-timing: {} {:.6} {} {:.6}",
            phase.name,
            phase.elapsed.as_secs_f64(),
            phase.statements,
            phase.driver.as_secs_f64()
        );
    }
}
