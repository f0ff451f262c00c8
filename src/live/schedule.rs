//! When to poll next: every interval start-to-start while captures succeed, backing off
//! (up to a cap) while they fail, so a dead process is retried without hammering it.

use std::time::Duration;

/// Failing sources are retried at most this far apart (or the interval, if longer).
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The polling rhythm of one source.
#[derive(Debug, Clone)]
pub struct Schedule {
    interval: Duration,
    failures: u32,
}

impl Schedule {
    /// Polls every `interval` (at least 100 ms).
    pub fn new(interval: Duration) -> Self {
        Schedule {
            interval: interval.max(Duration::from_millis(100)),
            failures: 0,
        }
    }

    /// The configured interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Failed polls in a row.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// How long to wait after a poll that took `elapsed` and succeeded (or not).
    pub fn after(&mut self, succeeded: bool, elapsed: Duration) -> Duration {
        if succeeded {
            self.failures = 0;
            return self.interval.saturating_sub(elapsed);
        }
        self.failures = self.failures.saturating_add(1);
        let factor = 1u32 << (self.failures - 1).min(8);
        let cap = MAX_BACKOFF.max(self.interval);
        self.interval.saturating_mul(factor).min(cap)
    }

    /// How long a single poll may run before it is killed (jcmd can hang on a stuck JVM).
    pub fn timeout(&self) -> Duration {
        (self.interval * 2).max(Duration::from_secs(20))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_rhythm_and_backs_off_on_failure() {
        let s = |secs| Duration::from_secs(secs);
        let mut schedule = Schedule::new(s(5));
        assert_eq!(
            schedule.after(true, Duration::from_millis(700)),
            Duration::from_millis(4300)
        );
        assert_eq!(schedule.after(true, s(9)), Duration::ZERO);
        let waits: Vec<_> = (0..6).map(|_| schedule.after(false, s(1))).collect();
        assert_eq!(waits, vec![s(5), s(10), s(20), s(30), s(30), s(30)]);
        assert_eq!(schedule.failures(), 6);
        assert_eq!(schedule.after(true, Duration::ZERO), s(5));
        assert_eq!(schedule.failures(), 0);
        // A long interval is never shortened by the backoff cap.
        let mut slow = Schedule::new(s(60));
        assert_eq!(slow.after(false, s(1)), s(60));
        assert_eq!(slow.after(false, s(1)), s(60));
        assert_eq!(
            Schedule::new(Duration::ZERO).interval(),
            Duration::from_millis(100)
        );
    }
}
