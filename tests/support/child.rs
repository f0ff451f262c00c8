//! A child process that a test starts (`jvmem serve`, a JVM, Prometheus), killed and reaped
//! when dropped: it never outlives the test, passed or failed. The one such wrapper; a test
//! crate includes it with `#[path = "support/child.rs"] mod child;` (`tests/common` re-exports
//! it).

// Each test crate compiles this module and uses only some of it.
#![allow(dead_code)]

use std::process::Child;

/// Kills the child when dropped.
pub struct KillOnDrop(pub Child);

impl KillOnDrop {
    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // Already gone is fine: nothing to kill, and wait reaps it either way.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
