//! The fleet view: placeholder replaced below.
