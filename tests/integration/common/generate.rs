//! Random valid scenarios for property tests: organisations with units on every level,
//! channels that lose messages and depend on infrastructure, office hours and duty
//! officers, activation, periodic reports, conferences with pictures and direction,
//! resource pools, agreements and injects of every kind.
//!
//! A [`Plan`] is drawn by proptest (so failures shrink to a small plan) and rendered as
//! scenario text; every plan renders to a scenario that compiles.

use proptest::collection::vec;
use proptest::prelude::*;
use std::fmt::Write;

#[derive(Clone, Debug)]
pub enum DistPlan {
    Fixed(u32),
    Uniform(u32, u32),
    Exponential(u32),
    LogNormal(u32, u32),
    Triangular(u32, u32, u32),
    Empirical(Vec<u32>),
}

impl DistPlan {
    /// As scenario text; the numbers are seconds.
    pub fn render(&self) -> String {
        let s = |x: &u32| format!("\"{x}s\"");
        match self {
            DistPlan::Fixed(x) => s(x),
            DistPlan::Uniform(a, b) => format!("{{ uniform = [{}, {}] }}", s(a), s(&(a + b))),
            DistPlan::Exponential(m) => format!("{{ exponential = {} }}", s(&(m + 1))),
            DistPlan::LogNormal(m, d) => {
                format!("{{ lognormal = {{ median = {}, p90 = {} }} }}", s(&(m + 1)), s(&(m + 2 + d)))
            }
            DistPlan::Triangular(a, b, c) => {
                format!("{{ triangular = [{}, {}, {}] }}", s(a), s(&(a + b)), s(&(a + b + c)))
            }
            DistPlan::Empirical(v) => format!("{{ empirical = [{}] }}", v.iter().map(s).collect::<Vec<_>>().join(", ")),
        }
    }
}

/// A duration distribution with values up to about `max` seconds.
pub fn dist(max: u32) -> impl Strategy<Value = DistPlan> {
    let h = max / 2 + 1;
    prop_oneof![
        (0..max).prop_map(DistPlan::Fixed),
        (0..h, 0..h).prop_map(|(a, b)| DistPlan::Uniform(a, b)),
        (0..h).prop_map(DistPlan::Exponential),
        (0..h, 0..h).prop_map(|(a, b)| DistPlan::LogNormal(a, b)),
        (0..h, 0..h, 0..h).prop_map(|(a, b, c)| DistPlan::Triangular(a, b, c)),
        vec(0..max, 1..4).prop_map(DistPlan::Empirical),
    ]
}

#[derive(Clone, Debug)]
pub struct ChannelPlan {
    pub kind: usize,
    pub latency: DistPlan,
    pub loss: Option<f64>,
    pub retry_s: u32,
}

const CHANNEL_KINDS: [&str; 8] =
    ["phone_mobile", "phone_fixed", "email", "rakel", "wis", "meeting", "courier", "other"];
const ORG_KINDS: [&str; 6] = ["municipality", "police", "rescue", "region", "utility", "other"];
const STARTS: [&str; 4] = ["2024-03-06T10:00", "2024-03-09T02:00", "2024-03-08T16:30", "2024-03-11T07:45"];

fn channel() -> impl Strategy<Value = ChannelPlan> {
    (0..CHANNEL_KINDS.len(), dist(600), proptest::option::of(0.0..0.6f64), 1..900u32)
        .prop_map(|(kind, latency, loss, retry_s)| ChannelPlan { kind, latency, loss, retry_s })
}

#[derive(Clone, Debug)]
pub struct UnitPlan {
    pub handlers: u32,
    pub office_hours: bool,
    pub duty_officer: Option<DistPlan>,
    pub activation: Option<(u8, DistPlan, u32)>,
    pub processing: DistPlan,
    pub periodic_min: Option<u32>,
    pub public: Option<(u8, DistPlan, u32)>,
    pub decides_requests: bool,
}

fn unit() -> impl Strategy<Value = UnitPlan> {
    (
        0..4u32,
        any::<bool>(),
        proptest::option::of(dist(1800)),
        proptest::option::of((1..=5u8, dist(3600), 1..5u32)),
        dist(900),
        proptest::option::weighted(0.2, 30..180u32),
        proptest::option::weighted(0.3, (1..=5u8, dist(900), 0..3600u32)),
        any::<bool>(),
    )
        .prop_map(
            |(handlers, office_hours, duty_officer, activation, processing, periodic_min, public, decides)| UnitPlan {
                handlers,
                office_hours,
                duty_officer,
                activation,
                processing,
                periodic_min,
                public,
                decides_requests: decides,
            },
        )
}

#[derive(Clone, Debug)]
pub struct OrgPlan {
    pub kind: usize,
    pub area: usize,
    pub backup_power: bool,
    pub exec: UnitPlan,
    pub coord: UnitPlan,
    pub strat: Option<UnitPlan>,
    /// Pool of "engine" or "ambulance": (type, count, response, mobilisation, lend policy).
    pub pool: Option<(usize, u32, DistPlan, DistPlan, usize)>,
}

fn org() -> impl Strategy<Value = OrgPlan> {
    (
        0..ORG_KINDS.len(),
        0..2usize,
        any::<bool>(),
        unit(),
        unit(),
        proptest::option::of(unit()),
        proptest::option::of((0..2usize, 0..6u32, dist(1800), dist(3600), 0..3usize)),
    )
        .prop_map(|(kind, area, backup_power, exec, coord, strat, pool)| OrgPlan {
            kind,
            area,
            backup_power,
            exec,
            coord,
            strat,
            pool,
        })
}

#[derive(Clone, Debug)]
pub enum InjectPlan {
    /// (origin org, on the coordinating unit?, severity, stream rate per hour and window in minutes)
    Fact(usize, bool, u8, Option<(f64, u32)>),
    /// (responsible org, severity, type, quantity, duration, growth every minutes)
    Incident(usize, u8, usize, u32, DistPlan, Option<u32>),
    /// (area, system, down?, for minutes)
    Infra(usize, usize, bool, Option<u32>),
    /// Activate the coordinating unit of an org.
    Activate(usize),
    /// Exercise message to every executive unit (handing over an earlier fact?).
    Message(u8, bool),
    /// Add resources to the pool of an org.
    PoolAdd(usize, u32),
}

fn inject() -> impl Strategy<Value = InjectPlan> {
    prop_oneof![
        4 => (0..8usize, any::<bool>(), 1..=5u8, proptest::option::weighted(0.3, (0.5..30.0f64, 10..600u32)))
            .prop_map(|(o, c, s, st)| InjectPlan::Fact(o, c, s, st)),
        2 => (0..8usize, 1..=5u8, 0..2usize, 1..6u32, dist(7200), proptest::option::of(20..120u32))
            .prop_map(|(o, s, t, q, d, g)| InjectPlan::Incident(o, s, t, q, d, g)),
        1 => (0..2usize, 0..3usize, any::<bool>(), proptest::option::of(10..600u32))
            .prop_map(|(a, s, d, f)| InjectPlan::Infra(a, s, d, f)),
        1 => (0..8usize).prop_map(InjectPlan::Activate),
        1 => (1..=5u8, any::<bool>()).prop_map(|(s, f)| InjectPlan::Message(s, f)),
        1 => (0..8usize, 1..4u32).prop_map(|(o, n)| InjectPlan::PoolAdd(o, n)),
    ]
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub start: usize,
    pub hours: u32,
    pub channels: Vec<ChannelPlan>,
    pub orgs: Vec<OrgPlan>,
    /// Regional conference: (duration min, gap between conferences min, activated first_after, picture)
    pub conference: Option<(u32, u32, DistPlan, bool)>,
    /// Strategic council every 6 h: (duration min, its direction activates)
    pub council: Option<(u32, bool)>,
    pub agreement: bool,
    /// Injects with their minute.
    pub injects: Vec<(u32, InjectPlan)>,
}

pub fn plan() -> impl Strategy<Value = Plan> {
    (
        0..STARTS.len(),
        6..72u32,
        vec(channel(), 1..4),
        vec(org(), 1..5),
        proptest::option::of((5..30u32, 40..240u32, dist(3600), any::<bool>())),
        proptest::option::of((10..60u32, any::<bool>())),
        any::<bool>(),
        vec((0..1000u32, inject()), 1..8),
    )
        .prop_map(|(start, hours, channels, orgs, conference, council, agreement, injects)| Plan {
            start,
            hours,
            channels,
            orgs,
            conference,
            council,
            agreement,
            injects,
        })
}

fn unit_line(id: &str, level: &str, u: &UnitPlan, extra: &str) -> String {
    let mut s = format!("unit.{id} = {{ level = \"{level}\"{extra}");
    // A unit that receives messages needs someone to handle them.
    let handlers = if u.duty_officer.is_none() { u.handlers.max(1) } else { u.handlers };
    let _ = write!(s, ", handlers = {handlers}, processing = {{ default = {} }}", u.processing.render());
    if u.office_hours {
        s += ", office_hours = \"mon-fri 08:00-17:00\"";
    }
    if let Some(d) = &u.duty_officer {
        let _ = write!(s, ", duty_officer = {}", d.render());
    }
    if let Some((t, d, h)) = &u.activation {
        let _ = write!(s, ", activation_threshold = {t}, activation_delay = {}, activated_handlers = {h}", d.render());
    }
    if let Some(every) = u.periodic_min {
        let _ = write!(s, ", reporting = \"periodic\", report_every = \"{every}m\"");
    }
    if let Some((t, p, w)) = &u.public {
        let _ = write!(s, ", public_info = {{ threshold = {t}, prepare = {}, wait_for_joint = \"{w}s\" }}", p.render());
    }
    if u.decides_requests {
        s += ", decides_requests = true";
    }
    s + " }\n"
}

impl Plan {
    /// The plan as a scenario file.
    pub fn render(&self) -> String {
        let mut s = format!(
            "[scenario]\nname = \"generated\"\nstart = \"{}\"\nduration = \"{}h\"\nseed = 7\n\n\
             [area.town]\nkind = \"town\"\n\n[area.country]\nkind = \"rural\"\n",
            STARTS[self.start], self.hours
        );
        let names: Vec<String> = (0..self.channels.len()).map(|i| format!("ch{i}")).collect();
        for (i, c) in self.channels.iter().enumerate() {
            let _ = write!(
                s,
                "\n[channel.ch{i}]\nkind = \"{}\"\nlatency = {}\n",
                CHANNEL_KINDS[c.kind],
                c.latency.render()
            );
            if let Some(loss) = c.loss {
                let _ = write!(s, "loss = {loss}\nretry_after = \"{}s\"\n", c.retry_s);
            }
        }
        // A courier that always works is the last resort on every link.
        let _ = write!(s, "\n[channel.courier]\nkind = \"courier\"\nlatency = \"30m\"\n");
        let list: Vec<String> =
            names.iter().chain(std::iter::once(&"courier".to_string())).map(|n| format!("\"{n}\"")).collect();
        let _ = write!(s, "\n[links]\nchannels = [{}]\n", list.join(", "));
        for (i, o) in self.orgs.iter().enumerate() {
            let kind = if i == 0 { "county_board" } else { ORG_KINDS[o.kind] };
            let area = ["town", "country"][o.area];
            let _ = write!(
                s,
                "\n[organisation.o{i}]\nkind = \"{kind}\"\narea = \"{area}\"\nbackup_power = {}\n",
                o.backup_power
            );
            s += &unit_line("e", "executive", &o.exec, "");
            let tag = if i == 0 { ", tags = [\"regional-coordination\"]" } else { "" };
            s += &unit_line("c", "coordinating", &o.coord, tag);
            if let Some(st) = &o.strat {
                s += &unit_line("s", "strategic", st, "");
            }
            if let Some((t, count, resp, mob, lend)) = &o.pool {
                let _ = write!(
                    s,
                    "\n[resource.o{i}-pool]\norganisation = \"o{i}\"\ntype = \"{}\"\ncount = {count}\nresponse = {}\nmobilisation = {}\nlend = \"{}\"\n",
                    ["engine", "ambulance"][*t],
                    resp.render(),
                    mob.render(),
                    ["always", "on_direction", "never"][*lend]
                );
            }
        }
        self.render_meetings(&mut s);
        self.render_injects(&mut s);
        s
    }

    fn render_meetings(&self, s: &mut String) {
        if let Some((duration, every, first_after, picture)) = &self.conference
            && self.orgs.len() >= 2
        {
            let _ = write!(
                s,
                "\n[conference.regional]\nconvener = \"o0.c\"\nparticipants = [\"level:coordinating\"]\nduration = \"{duration}m\"\n\
                 ordinary = {{ every = \"{}m\", first = \"10:00\" }}\nactivated = {{ every = \"{}m\", first_after = {} }}\n",
                every + duration,
                every + duration,
                first_after.render()
            );
            if *picture {
                *s += "picture = { compile = \"10m\", channel = \"courier\", to = [\"level:executive\"] }\n";
            }
        }
        let strategic: Vec<usize> = (0..self.orgs.len()).filter(|i| self.orgs[*i].strat.is_some()).collect();
        if let Some((duration, activate)) = &self.council
            && strategic.len() >= 2
        {
            let _ = write!(
                s,
                "\n[conference.council]\nconvener = \"o{}.s\"\nparticipants = [\"level:strategic\"]\nduration = \"{duration}m\"\n\
                 ordinary = {{ every = \"6h\", first = \"09:00\" }}\ndirection = {{ activate = {activate}, release_resources = true }}\n",
                strategic[0]
            );
        }
        let engines = self.orgs.iter().filter(|o| o.pool.as_ref().is_some_and(|p| p.0 == 0)).count();
        if self.agreement && engines >= 1 && self.orgs.len() >= 2 {
            *s += "\n[agreement.engines]\ntypes = [\"engine\"]\norganisations = [\"kind:county_board\", \"o1\"]\n";
        }
    }

    fn render_injects(&self, s: &mut String) {
        let n = self.orgs.len();
        let minutes = self.hours * 60;
        for (k, (at, inj)) in self.injects.iter().enumerate() {
            let at = at % minutes;
            let _ = write!(s, "\n[inject.i{k}]\nat = \"{at}m\"\n");
            match inj {
                InjectPlan::Fact(o, coord, sev, stream) => {
                    let unit = if *coord { "c" } else { "e" };
                    let _ = writeln!(s, "fact = {{ origin = \"o{}.{unit}\", severity = {sev} }}", o % n);
                    if let Some((rate, window)) = stream {
                        let _ = writeln!(s, "stream = {{ rate_per_hour = {rate}, window = \"{window}m\" }}");
                    }
                }
                InjectPlan::Incident(o, sev, t, q, d, growth) => {
                    let g = growth.map_or(String::new(), |every| {
                        format!(", growth = {{ every = \"{every}m\", add = 1, max = {} }}", q + 3)
                    });
                    let _ = writeln!(
                        s,
                        "incident = {{ responsible = \"o{}.e\", severity = {sev}, demand = [ {{ type = \"{}\", quantity = {q}, duration = {}{g} }} ] }}",
                        o % n,
                        ["engine", "ambulance"][*t],
                        d.render()
                    );
                }
                InjectPlan::Infra(area, sys, down, lasts) => {
                    let state = if *down { "down" } else { "overloaded" };
                    let lasts = lasts.map_or(String::new(), |m| format!(", for = \"{m}m\""));
                    let _ = writeln!(
                        s,
                        "infrastructure = {{ area = \"{}\", system = \"{}\", state = \"{state}\"{lasts} }}",
                        ["town", "country"][*area],
                        ["power", "mobile", "internet"][*sys]
                    );
                }
                InjectPlan::Activate(o) => {
                    let _ = writeln!(s, "activate = [\"o{}.c\"]", o % n);
                }
                InjectPlan::Message(sev, with_facts) => {
                    // A fact made by an earlier inject that is not a stream.
                    let earlier = self.injects[..k].iter().position(|(_, i)| {
                        matches!(
                            i,
                            InjectPlan::Fact(_, _, _, None) | InjectPlan::Incident(..) | InjectPlan::Message(..)
                        )
                    });
                    let facts = match earlier.filter(|_| *with_facts) {
                        Some(j) => format!(", facts = [\"i{j}\"]"),
                        None => String::new(),
                    };
                    let _ = writeln!(
                        s,
                        "message = {{ to = \"level:executive\", kind = \"information\", severity = {sev}{facts} }}"
                    );
                }
                InjectPlan::PoolAdd(o, add) => match (0..n).map(|i| (o + i) % n).find(|i| self.orgs[*i].pool.is_some())
                {
                    Some(i) => {
                        let _ = writeln!(s, "resources = {{ pool = \"o{i}-pool\", add = {add} }}");
                    }
                    None => {
                        let _ = writeln!(s, "activate = [\"o0.c\"]");
                    }
                },
            }
        }
    }
}
