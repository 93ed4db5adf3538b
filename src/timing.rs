//! Stage timings: how long each stage of a build took, on the clock and on
//! the processor, as `-v` prints them.
//!
//! The processor time is the whole process's, on every core, while the
//! stage ran. Divided by the wall time it says how many cores the stage
//! kept busy: on a two-core machine a stage at 1.0 leaves half the machine
//! idle, which no amount of tuning inside it recovers, while one at 2.0
//! is faster only with less work. Profiles of the build are read with
//! this first (see BENCHMARKS.md).

use std::fmt;
use std::time::{Duration, Instant};

/// One stage's share of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageTime {
    /// What the stage did.
    pub stage: &'static str,
    /// Time on the clock.
    pub wall: Duration,
    /// Processor time of the whole process meanwhile, on every core;
    /// `None` for work timed on its own thread beside another stage.
    pub cpu: Option<Duration>,
}

impl StageTime {
    /// Work that ran beside other stages, timed on its own thread: its
    /// processor time is counted in theirs.
    pub(crate) fn beside(stage: &'static str, wall: Duration) -> StageTime {
        StageTime {
            stage,
            wall,
            cpu: None,
        }
    }
}

/// `load          43.1 ms  1.9 cores`.
impl fmt::Display for StageTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.wall.as_secs_f64() * 1000.0;
        write!(f, "{:<13} {ms:>8.1} ms", self.stage)?;
        match self.cpu {
            Some(cpu) if !self.wall.is_zero() => write!(
                f,
                "  {:>4.1} cores",
                cpu.as_secs_f64() / self.wall.as_secs_f64()
            ),
            _ => Ok(()),
        }
    }
}

/// A stopwatch for stages: both clocks, from when it was started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StageClock {
    wall: Instant,
    cpu: Duration,
}

impl StageClock {
    pub(crate) fn start() -> StageClock {
        StageClock {
            wall: Instant::now(),
            cpu: process_cpu_time(),
        }
    }

    /// The time since the start, as the stage `stage`.
    pub(crate) fn stage(&self, stage: &'static str) -> StageTime {
        StageTime {
            stage,
            wall: self.wall.elapsed(),
            cpu: Some(process_cpu_time().saturating_sub(self.cpu)),
        }
    }
}

/// Processor time of this process so far, all threads together.
fn process_cpu_time() -> Duration {
    use rustix::time::{ClockId, clock_gettime};
    let now = clock_gettime(ClockId::ProcessCPUTime);
    // The kernel never returns a negative time for this clock.
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_stage_counts_its_processor_time() {
        let clock = StageClock::start();
        // Busy until the processor clock has moved 10 ms, however long a
        // loaded machine takes to give it that.
        let mut x = 0u64;
        while process_cpu_time().saturating_sub(clock.cpu) < Duration::from_millis(10) {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
        let time = clock.stage("spin");
        let cpu = time.cpu.expect("a timed stage has processor time");
        assert!(cpu >= Duration::from_millis(10), "{time:?}");
        let shown = time.to_string();
        assert!(shown.starts_with("spin "), "{shown}");
        assert!(shown.ends_with(" cores"), "{shown}");
    }

    #[test]
    fn work_timed_beside_other_stages_shows_no_cores() {
        let time = StageTime::beside("(briefing page)", Duration::from_millis(12));
        assert_eq!(time.to_string(), "(briefing page)     12.0 ms");
    }
}
