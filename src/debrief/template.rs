//! `log-template`: an observer's sheet pre-filled with the observation points that matter.
