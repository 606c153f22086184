//! The exercise clock: simulated time runs at `speed` times the wall clock from an
//! anchor, and stands still while paused. Every change (pause, resume, speed, jump)
//! re-anchors it, so simulated time never runs backwards.

use crate::report::i18n::Lang;
use crate::time::{LocalDateTime, MINUTE, SimTime};
use std::time::Instant;

/// Simulated time as a function of the wall clock.
#[derive(Clone, Debug)]
pub struct Clock {
    speed: f64,
    paused: bool,
    wall: Instant,
    sim: SimTime,
}

impl Clock {
    /// A clock showing `sim` at `wall`, running at `speed`.
    pub fn new(speed: f64, wall: Instant, sim: SimTime) -> Clock {
        Clock { speed, paused: false, wall, sim }
    }

    /// Simulated time at `wall` (never before the anchor).
    pub fn at(&self, wall: Instant) -> SimTime {
        if self.paused {
            return self.sim;
        }
        let ms = wall.saturating_duration_since(self.wall).as_secs_f64() * 1000.0 * self.speed;
        self.sim + ms.floor() as SimTime
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Stops at the time shown at `wall`.
    pub fn pause(&mut self, wall: Instant) {
        self.anchor(wall);
        self.paused = true;
    }

    /// Runs on from the time it stopped at.
    pub fn resume(&mut self, wall: Instant) {
        self.anchor(wall);
        self.paused = false;
    }

    /// Runs at `speed` from now on.
    pub fn set_speed(&mut self, speed: f64, wall: Instant) {
        self.anchor(wall);
        self.speed = speed;
    }

    /// Moves simulated time to `sim` (the engine's time after an action), keeping the
    /// speed and the pause.
    pub fn set(&mut self, sim: SimTime, wall: Instant) {
        self.wall = wall;
        self.sim = sim;
    }

    fn anchor(&mut self, wall: Instant) {
        self.sim = self.at(wall);
        self.wall = wall;
    }
}

/// The scenario's local clock at `t`: "Fri 15:10" ("fre 15:10" in Swedish).
pub fn label(start: LocalDateTime, t: SimTime, lang: Lang) -> String {
    let at = start.plus(t);
    let tod = at.time_of_day() / MINUTE;
    format!("{} {:02}:{:02}", lang.labels().weekdays[at.weekday()], tod / 60, tod % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn runs_at_its_speed_and_stands_still_while_paused() {
        let w0 = Instant::now();
        let mut c = Clock::new(2.0, w0, 1000);
        assert_eq!(c.at(w0 + Duration::from_secs(3)), 1000 + 6000);
        c.pause(w0 + Duration::from_secs(3));
        assert_eq!(c.at(w0 + Duration::from_secs(60)), 7000);
        c.resume(w0 + Duration::from_secs(60));
        assert_eq!(c.at(w0 + Duration::from_secs(61)), 9000);
        c.set_speed(10.0, w0 + Duration::from_secs(61));
        assert_eq!(c.at(w0 + Duration::from_secs(62)), 19_000);
        // a wall time before the anchor shows the anchor
        assert_eq!(c.at(w0), 9000);
    }

    #[test]
    fn labels_follow_the_local_calendar() {
        let start = LocalDateTime::parse("2017-04-07T14:53").unwrap();
        assert_eq!(label(start, 17 * MINUTE, Lang::En), "Fri 15:10");
        assert_eq!(label(start, 10 * 60 * MINUTE, Lang::Sv).to_lowercase(), "lör 00:53");
    }
}
