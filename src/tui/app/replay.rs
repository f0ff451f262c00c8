//! Replay: the time cursor plays through the recorded snapshots at a chosen speed, driven by
//! `Tick` events with the time injected.

use chrono::{DateTime, FixedOffset};

use super::{App, Mode};

/// Replay speeds `+`/`-` step through.
const SPEEDS: [f64; 10] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

impl App {
    pub(super) fn toggle_play(&mut self) {
        let last = self.timeline.snapshots.len().saturating_sub(1);
        match &mut self.mode {
            Mode::Replay { playing, .. } => {
                *playing = !*playing;
                if *playing && self.cursor == last {
                    self.cursor = 0;
                }
            }
            Mode::View => {
                self.mode = Mode::Replay {
                    playing: true,
                    speed: 1.0,
                };
                self.follow = false;
                if self.cursor == last {
                    self.cursor = 0;
                }
            }
            Mode::Live => {
                self.message = Some("live: the cursor follows new snapshots (G: newest)".into());
            }
        }
        self.last_tick = None;
        self.replay_credit_s = 0.0;
    }

    pub(super) fn change_speed(&mut self, by: isize) {
        if let Mode::Replay { speed, .. } = &mut self.mode {
            let i = SPEEDS.iter().position(|s| s >= speed).unwrap_or(2);
            *speed = SPEEDS[i.saturating_add_signed(by).min(SPEEDS.len() - 1)];
            self.message = Some(format!("replay speed {}", format_speed(*speed)));
        } else {
            self.message = Some("speed: only while replaying (space starts a replay)".into());
        }
    }

    /// Advances a playing replay by the time elapsed since the last tick × speed.
    pub(super) fn tick(&mut self, now: DateTime<FixedOffset>) {
        let Mode::Replay {
            playing: true,
            speed,
        } = self.mode
        else {
            self.last_tick = None;
            return;
        };
        let Some(last) = self.last_tick.replace(now) else {
            return;
        };
        let elapsed_s = (now - last).num_milliseconds().max(0) as f64 / 1000.0;
        self.replay_credit_s += elapsed_s * speed;
        let len = self.timeline.snapshots.len();
        while self.cursor + 1 < len {
            let gap = self.gap_s(self.cursor);
            if self.replay_credit_s < gap {
                break;
            }
            self.replay_credit_s -= gap;
            self.cursor += 1;
            self.dirty = true;
        }
        if self.cursor + 1 >= len {
            self.mode = Mode::Replay {
                playing: false,
                speed,
            };
            self.replay_credit_s = 0.0;
            self.message = Some("end of the recording (g: back to the start)".into());
            self.dirty = true;
        }
    }

    /// Recorded seconds between snapshot `i` and the next; 1 s when either has no timestamp.
    pub(super) fn gap_s(&self, i: usize) -> f64 {
        let s = &self.timeline.snapshots;
        match (
            s.get(i).and_then(|n| n.timestamp),
            s.get(i + 1).and_then(|n| n.timestamp),
        ) {
            (Some(a), Some(b)) => ((b - a).num_milliseconds().max(0) as f64) / 1000.0,
            _ => 1.0,
        }
    }
}

/// `1x`, `0.5x`, `16x`.
pub fn format_speed(speed: f64) -> String {
    if speed.fract() == 0.0 {
        format!("{speed:.0}x")
    } else {
        format!("{speed}x")
    }
}
