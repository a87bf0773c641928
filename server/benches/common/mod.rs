//! What every benchmark prints the same way: the machine and a series of
//! timings (median, min, max).

#![allow(dead_code)]

use std::time::Duration;

/// The CPU model and the number of cores.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Sorts the runs; their median.
pub fn median(runs: &mut [Duration]) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Sorts the runs; "    median … ms   min … ms   max … ms   (N runs)".
pub fn timings(runs: &mut [Duration]) -> String {
    let median = median(runs);
    format!(
        "    median {:.2} ms   min {:.2} ms   max {:.2} ms   ({} runs)",
        ms(median),
        ms(runs[0]),
        ms(runs[runs.len() - 1]),
        runs.len()
    )
}
