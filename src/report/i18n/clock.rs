//! Words of the scenario's local clock on time axes and in tables of instants, in
//! English and Swedish ([`super::super::clock`]).

/// The clock's words in one language.
pub struct ClockLabels {
    /// The description under a time axis: minutes from the start on the first row of
    /// tick labels, the local clock on the second; `{}` is the start ("Fri 2017-04-07 14:53").
    pub axis: &'static str,
    /// Month abbreviations, January first, for the day labels at midnight ("Sat 8 Apr").
    pub months: [&'static str; 12],
    /// The milestones table ([`crate::report::milestones`]): heading, notes (run,
    /// batch), the column of instants and the row of the scenario's end.
    pub milestones: &'static str,
    pub milestones_note: &'static str,
    pub milestones_note_batch: &'static str,
    pub when: &'static str,
    pub end: &'static str,
}

pub const EN: ClockLabels = ClockLabels {
    axis: "Minutes from the scenario start ({}); second row: the local clock; dashed lines: midnight",
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    milestones: "Milestones",
    milestones_note: "When each first happened, in minutes from the scenario start and on the scenario's local clock (weekday and time).",
    milestones_note_batch: "Median over the runs of when each first happened (first design point), in minutes from the start and on each variant's local clock. A median of instants is an instant; delays are lengths of time and stay in minutes.",
    when: "When",
    end: "End of the scenario",
};

pub const SV: ClockLabels = ClockLabels {
    axis: "Minuter från scenariots start ({}); andra raden: lokal klocktid; streckade linjer: midnatt",
    months: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    milestones: "Milstolpar",
    milestones_note: "När var och en först inträffade, i minuter från scenariots start och i scenariots lokala klocktid (veckodag och tid).",
    milestones_note_batch: "Median över körningarna för när var och en först inträffade (första designpunkten), i minuter från start och i varje variants lokala klocktid. En median av tidpunkter är en tidpunkt; fördröjningar är tidslängder och anges i minuter.",
    when: "När",
    end: "Scenariots slut",
};

impl super::Labels {
    /// The clock words of this language.
    pub fn clock(&self) -> &'static ClockLabels {
        if self.code == super::SV.code { &SV } else { &EN }
    }
}
