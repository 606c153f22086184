//! Turning a decoded scenario file into a [`Model`]: names resolved, defaults filled,
//! every meaning checked. Problems are collected (all of them), never panicked on.

use super::error::Diags;
use super::spec::*;
use crate::dist::Dist;
use crate::model::*;
use crate::time::{DAY, HOUR, LocalDateTime, MINUTE, OfficeHours, SimTime, parse_weekly_clock};
use indexmap::IndexMap;
use std::collections::HashMap;

/// Longest scenario accepted: a year and a bit. A guard against runaway simulated time.
pub const MAX_SCENARIO_DURATION: SimTime = 400 * DAY;
/// Most links a scenario may expand to (rules over large selections multiply quickly).
pub const MAX_LINKS: usize = 2_000_000;

/// Name → index tables built while compiling.
pub(super) struct Ctx<'a> {
    pub f: &'a ScenarioFile,
    pub d: Diags,
    pub areas: IndexMap<String, u32>,
    pub channels: IndexMap<String, u32>,
    pub orgs: IndexMap<String, u32>,
    pub units: HashMap<String, u32>,
    pub types: IndexMap<String, u32>,
    pub m: Model,
    /// Units of each tag, in unit order; built on the first `tag:` selector (after the
    /// units are compiled) so that selecting by tag does not scan every unit each time.
    pub tag_index: Option<HashMap<String, Vec<u32>>>,
}

/// Compiles a decoded file. `diags` may already hold decoding errors; the model is only
/// returned when there are none at the end.
pub fn compile(
    f: &ScenarioFile,
    hash: u64,
    variant: Option<&str>,
    variants: Vec<String>,
    diags: Diags,
) -> Result<Model, Diags> {
    let mut c = Ctx::new(f, hash, variant, variants, diags);
    c.meta();
    c.structure();
    c.rest();
    c.finish()
}

fn empty_model(hash: u64, variant: Option<&str>, variants: Vec<String>) -> Model {
    Model {
        name: Text::default(),
        description: Text::default(),
        hash: format!("{hash:016x}"),
        variant: variant.map(String::from),
        start: LocalDateTime::parse("2000-01-01T00:00").expect("valid literal"),
        duration: 0,
        seed: 0,
        orgs: vec![],
        units: vec![],
        areas: vec![],
        channels: vec![],
        links: vec![],
        default_channels: vec![],
        conferences: vec![],
        resource_types: vec![],
        resource_type_names: vec![],
        pools: vec![],
        agreements: vec![],
        injects: vec![],
        objectives: vec![],
        guard: Guard { max_events: 0, max_messages: 0, max_facts: 0, max_known: 0, max_memory: 0 },
        cost: Default::default(),
        variants,
        variant_texts: vec![],
        location: None,
    }
}

fn enabled(e: Option<bool>) -> bool {
    e.unwrap_or(true)
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        f: &'a ScenarioFile,
        hash: u64,
        variant: Option<&str>,
        variants: Vec<String>,
        diags: Diags,
    ) -> Ctx<'a> {
        Ctx {
            f,
            d: diags,
            areas: IndexMap::new(),
            channels: IndexMap::new(),
            orgs: IndexMap::new(),
            units: HashMap::new(),
            types: IndexMap::new(),
            m: empty_model(hash, variant, variants),
            tag_index: None,
        }
    }

    /// The structural stage: what reads only the sections in
    /// [`super::structure::STRUCTURAL`] (areas, channels, organisations and their units,
    /// links). It does not read what [`Ctx::meta`] sets.
    pub(super) fn structure(&mut self) {
        self.areas();
        self.channels();
        self.organisations();
        super::links::build(self);
    }

    /// Everything after the structure. Reads the structure, never changes it.
    /// (`resource_types` reports nothing, so running it after the links changes no
    /// diagnostic's place.)
    pub(super) fn rest(&mut self) {
        self.resource_types();
        self.conferences();
        self.pools();
        self.agreements();
        super::injects::build(self);
        self.objectives();
        self.guard();
        self.cost();
        super::checks::reachability(self);
        if self.d.is_empty() {
            self.memory();
        }
    }

    pub(super) fn finish(self) -> Result<Model, Diags> {
        if self.d.is_empty() { Ok(self.m) } else { Err(self.d) }
    }
}

impl Ctx<'_> {
    pub(super) fn meta(&mut self) {
        let s = &self.f.scenario;
        // A [scenario] table that did not decode is reported already: its stand-in
        // defaults (no name, no start) would only add misleading errors.
        if self.d.list.iter().any(|d| d.path == "scenario" || d.path.starts_with("scenario.")) {
            return;
        }
        if s.name.trim().is_empty() {
            self.d.push("scenario.name", "give the scenario a name");
        }
        self.m.name = Text { en: s.name.clone(), sv: s.name_sv.clone() };
        self.m.description = Text { en: s.description.clone(), sv: s.description_sv.clone() };
        let start = LocalDateTime::parse(&s.start);
        match &start {
            Ok(t) => self.m.start = *t,
            Err(e) => self.d.push("scenario.start", e.clone()),
        }
        if s.duration.0 <= 0 {
            self.d.push("scenario.duration", "must be longer than 0, e.g. \"72h\"");
        } else if s.duration.0 > MAX_SCENARIO_DURATION {
            self.d.push("scenario.duration", "longer than the 400-day limit; split the scenario");
        } else if let Ok(t) = start
            && t.plus(s.duration.0) > LocalDateTime::after_last()
        {
            self.d.push(
                "scenario.duration",
                format!(
                    "the scenario would end at {}, after the last date accepted ({}-12-31T24:00); start it earlier or shorten it",
                    t.plus(s.duration.0),
                    crate::time::LAST_YEAR
                ),
            );
        }
        self.m.duration = s.duration.0;
        self.m.seed = s.seed;
        self.m.location = s.location.as_ref().and_then(|l| self.location(l));
    }

    /// The incident's place, if its coordinates are degrees on the globe.
    fn location(&mut self, l: &super::spec::LocationSpec) -> Option<crate::model::Location> {
        let mut ok = true;
        if !(l.lat.is_finite() && (-90.0..=90.0).contains(&l.lat)) {
            self.d.push("scenario.location.lat", "must be degrees north between -90 and 90, e.g. 59.3326");
            ok = false;
        }
        if !(l.lon.is_finite() && (-180.0..=180.0).contains(&l.lon)) {
            self.d.push("scenario.location.lon", "must be degrees east between -180 and 180, e.g. 18.0649");
            ok = false;
        }
        ok.then(|| crate::model::Location {
            lat: l.lat,
            lon: l.lon,
            name: Text { en: l.name.clone(), sv: l.name_sv.clone() },
        })
    }

    fn areas(&mut self) {
        for (id, a) in &self.f.area {
            let (mobile, internet) = match a.kind {
                AreaKind::Town => (HOUR, HOUR),
                AreaKind::Rural => (4 * HOUR, 4 * HOUR),
            };
            // Defaults: mobile per PTS rule (domain.md §5.4), Rakel a week (§5.4 [36]),
            // fixed telephony 4 h (assumption).
            let mut backup = [0, mobile, internet, 4 * HOUR, 7 * DAY];
            for (sys, dur) in &a.backup {
                if *sys == InfraSystem::Power {
                    self.d.push(
                        format!("area.{id}.backup.power"),
                        "power has no battery; list the systems that run on batteries",
                    );
                }
                backup[*sys as usize] = dur.0;
            }
            self.areas.insert(id.clone(), self.m.areas.len() as u32);
            self.m.areas.push(Area {
                id: id.clone(),
                name: Text { en: a.name.clone().unwrap_or_else(|| id.clone()), sv: a.name_sv.clone() },
                kind: a.kind,
                customers: a.customers.unwrap_or(0),
                backup,
            });
        }
    }

    pub(super) fn area(&mut self, name: &str, path: &str) -> Option<u32> {
        let found = self.areas.get(name).copied();
        if found.is_none() {
            let known = keys(&self.areas);
            self.d.push(path, format!("unknown area `{name}`; define [area.{name}] or use one of: {known}"));
        }
        found
    }

    fn channels(&mut self) {
        for (id, ch) in &self.f.channel {
            let path = format!("channel.{id}");
            if !(0.0..1.0).contains(&ch.loss) {
                self.d.push(format!("{path}.loss"), "a probability from 0 up to (not including) 1");
            }
            if ch.loss > 0.0 && ch.retry_after.0 <= 0 {
                self.d.push(format!("{path}.retry_after"), "a lossy channel needs a retry time above 0");
            }
            let deps = ch.depends_on.clone().unwrap_or_else(|| ch.kind.default_dependencies());
            let depends = deps.iter().fold(0u8, |m, s| m | 1 << *s as u8);
            self.channels.insert(id.clone(), self.m.channels.len() as u32);
            self.m.channels.push(Channel {
                id: id.clone(),
                kind: ch.kind,
                latency: ch.latency.clone(),
                loss: ch.loss,
                retry_after: ch.retry_after.0,
                depends,
            });
        }
    }

    pub(super) fn channel(&mut self, name: &str, path: &str) -> Option<u32> {
        let found = self.channels.get(name).copied();
        if found.is_none() {
            let known = keys(&self.channels);
            self.d.push(path, format!("unknown channel `{name}`; define [channel.{name}] or use one of: {known}"));
        }
        found
    }

    pub(super) fn channel_list(&mut self, names: &[String], path: &str) -> Vec<u32> {
        names.iter().filter_map(|n| self.channel(n, path)).collect()
    }

    fn organisations(&mut self) {
        for (oid, o) in self.f.organisation.iter() {
            if !enabled(o.enabled) {
                continue;
            }
            let path = format!("organisation.{oid}");
            let area = o.area.as_ref().and_then(|a| self.area(a, &format!("{path}.area")));
            if let Some(why) = o.municipality_code.as_deref().and_then(crate::geo::check_municipality_code) {
                self.d.push(format!("{path}.municipality_code"), why);
            }
            if let Some(why) = o.county_code.as_deref().and_then(crate::geo::check_county_code) {
                self.d.push(format!("{path}.county_code"), why);
            }
            let org = self.m.orgs.len() as u32;
            self.orgs.insert(oid.clone(), org);
            self.m.orgs.push(Org {
                id: oid.clone(),
                name: Text { en: o.name.clone().unwrap_or_else(|| oid.clone()), sv: o.name_sv.clone() },
                kind: o.kind,
                area,
                backup_power: o.backup_power,
                units: vec![],
                municipality_code: o.municipality_code.clone(),
                county_code: o.county_code.clone(),
            });
            for (uid, spec) in &o.unit {
                let upath = format!("{path}.unit.{uid}");
                if let Err(e) = super::load::check_id(uid) {
                    self.d.push(upath.clone(), e);
                }
                if let Some(unit) = self.unit(oid, uid, spec, org, area, &upath) {
                    let idx = self.m.units.len() as u32;
                    self.units.insert(unit.id.clone(), idx);
                    self.m.orgs[org as usize].units.push(idx);
                    self.m.units.push(unit);
                }
            }
        }
    }

    /// Merges a unit with its profile and checks every value.
    fn unit(&mut self, oid: &str, uid: &str, spec: &UnitSpec, org: u32, area: Option<u32>, path: &str) -> Option<Unit> {
        let merged = match &spec.profile {
            Some(p) => match self.f.profile.get(p) {
                Some(profile) if profile.profile.is_some() => {
                    self.d.push(
                        format!("profile.{p}.profile"),
                        "a profile cannot use another profile; copy the fields it needs",
                    );
                    return None;
                }
                Some(profile) => merge_unit(profile, spec),
                None => {
                    let known = keys(&self.f.profile);
                    self.d.push(
                        format!("{path}.profile"),
                        format!("unknown profile `{p}`; define [profile.{p}] or use one of: {known}"),
                    );
                    return None;
                }
            },
            None => spec.clone(),
        };
        if !enabled(merged.enabled) {
            return None;
        }
        let Some(level) = merged.level else {
            self.d.push(format!("{path}.level"), "every unit needs a level: executive, coordinating or strategic");
            return None;
        };
        let office_hours = match OfficeHours::parse(merged.office_hours.as_deref().unwrap_or("always")) {
            Ok(h) => h,
            Err(e) => {
                self.d.push(format!("{path}.office_hours"), e);
                OfficeHours::ALWAYS
            }
        };
        let handlers = merged.handlers.unwrap_or(1);
        let processing = self.processing(&merged, path);
        let report_every = self.reporting(&merged, path);
        self.check_severity(merged.activation_threshold, &format!("{path}.activation_threshold"));
        let public_info = merged.public_info.as_ref().map(|p| {
            self.check_severity(Some(p.threshold), &format!("{path}.public_info.threshold"));
            PublicInfo { threshold: p.threshold, prepare: p.prepare.clone(), wait_for_joint: p.wait_for_joint.0 }
        });
        let forward = merged.forward.clone().unwrap_or(vec![Via::Origin, Via::Message, Via::Conference]);
        let check_count = |d: &mut Diags, v: Option<u32>, f: &str| {
            if v.is_some_and(|v| v > 100_000) {
                d.push(format!("{path}.{f}"), "more than 100 000 handlers in one unit; split it");
            }
        };
        check_count(&mut self.d, merged.handlers, "handlers");
        check_count(&mut self.d, merged.off_hours_handlers, "off_hours_handlers");
        check_count(&mut self.d, merged.activated_handlers, "activated_handlers");
        Some(Unit {
            id: format!("{oid}.{uid}"),
            name: Text {
                en: merged.name.clone().unwrap_or_else(|| format!("{oid} {uid}")),
                sv: merged.name_sv.clone(),
            },
            org,
            level,
            area,
            tags: merged.tags.clone().unwrap_or_default(),
            handlers,
            off_hours_handlers: merged.off_hours_handlers.unwrap_or(0),
            activated_handlers: merged.activated_handlers.unwrap_or(handlers),
            office_hours,
            duty_officer: merged.duty_officer.clone(),
            activation_threshold: merged.activation_threshold,
            activation_delay: merged.activation_delay.clone().unwrap_or(Dist::ZERO),
            processing,
            report_every,
            forward_mask: forward.iter().fold(0, |m, v| m | 1 << *v as u8),
            public_info,
            decides_requests: merged.decides_requests.unwrap_or(false),
            out_links: vec![],
        })
    }

    fn processing(&mut self, u: &UnitSpec, path: &str) -> [Dist; 5] {
        let table = u.processing.clone().unwrap_or_default();
        let default = table.get("default").cloned().unwrap_or(Dist::ZERO);
        for key in table.keys() {
            if key != "default" && !MessageKind::ALL.iter().any(|k| k.name() == key) {
                self.d.push(
                    format!("{path}.processing.{key}"),
                    "unknown message kind; use default, report, direction, request, information or picture",
                );
            }
        }
        MessageKind::ALL.map(|k| table.get(k.name()).cloned().unwrap_or_else(|| default.clone()))
    }

    fn reporting(&mut self, u: &UnitSpec, path: &str) -> Option<(SimTime, SimTime)> {
        match (u.reporting.unwrap_or_default(), u.report_every) {
            (ReportingMode::Immediate, _) => None,
            (ReportingMode::Periodic, Some(every)) if every.0 >= MINUTE => {
                Some((every.0, u.report_offset.map_or(0, |o| o.0)))
            }
            (ReportingMode::Periodic, Some(_)) => {
                self.d.push(format!("{path}.report_every"), "periodic reports at least a minute apart");
                None
            }
            (ReportingMode::Periodic, None) => {
                self.d.push(format!("{path}.report_every"), "periodic reporting needs report_every, e.g. \"2h\"");
                None
            }
        }
    }

    pub(super) fn check_severity(&mut self, s: Option<u8>, path: &str) {
        if let Some(s) = s
            && !(1..=5).contains(&s)
        {
            self.d.push(path, format!("severity {s} is outside 1–5"));
        }
    }

    pub(super) fn unit_ref(&mut self, id: &str, path: &str) -> Option<u32> {
        let found = self.units.get(id).copied();
        if found.is_none() {
            let org = id.split_once('.').map(|(o, _)| o);
            let hint =
                if let Some(o) = org.filter(|o| self.f.organisation.contains_key(*o) && !self.orgs.contains_key(*o)) {
                    format!("its organisation `{o}` is disabled (`enabled = false`) in this variant")
                } else if id.contains('.') {
                    "units are named organisation.unit, e.g. polisen.rlc".to_string()
                } else {
                    format!("units are named organisation.unit; did you mean one of: {}", self.units_of_org(id))
                };
            self.d.push(path, format!("unknown unit `{id}`; {hint}"));
        }
        found
    }

    fn units_of_org(&self, org: &str) -> String {
        let list: Vec<String> =
            self.m.units.iter().filter(|u| u.id.starts_with(&format!("{org}."))).map(|u| u.id.clone()).collect();
        if list.is_empty() { "(no units in such an organisation)".into() } else { list.join(", ") }
    }

    fn resource_types(&mut self) {
        let pools = self.f.resource.values().map(|p| p.kind.clone());
        let demands = self
            .f
            .inject
            .values()
            .filter_map(|i| i.incident.as_ref())
            .flat_map(|i| i.demand.iter().map(|d| d.kind.clone()));
        for t in pools.chain(demands) {
            let n = self.types.len() as u32;
            self.types.entry(t).or_insert(n);
        }
        self.m.resource_types = self.types.keys().cloned().collect();
        super::texts::build(self);
    }

    pub(super) fn resource_type(&mut self, name: &str, path: &str) -> Option<u32> {
        let found = self.types.get(name).copied();
        if found.is_none() {
            self.d.push(path, format!("unknown resource type `{name}`; known types: {}", keys(&self.types)));
        }
        found
    }

    fn conferences(&mut self) {
        for (id, c) in &self.f.conference {
            if !enabled(c.enabled) {
                continue;
            }
            if let Some(conf) = self.conference(id, c) {
                self.m.conferences.push(conf);
            }
        }
    }

    fn conference(&mut self, id: &str, c: &ConferenceSpec) -> Option<Conference> {
        let path = format!("conference.{id}");
        let convener = self.unit_ref(&c.convener, &format!("{path}.convener"));
        let mut participants = super::links::select_units(self, &c.participants, &format!("{path}.participants"));
        if let Some(cv) = convener
            && !participants.contains(&cv)
        {
            participants.insert(0, cv);
        }
        if c.participants.0.is_empty() || participants.len() < 2 {
            self.d.push(format!("{path}.participants"), "a conference needs participants besides its convener");
        }
        if c.duration.0 <= 0 {
            self.d.push(format!("{path}.duration"), "must be longer than 0");
        }
        let channel = c.channel.as_ref().and_then(|ch| self.channel(ch, &format!("{path}.channel")));
        let ordinary = c.ordinary.as_ref().and_then(|o| self.ordinary(o, c.duration.0, &format!("{path}.ordinary")));
        let activated = c.activated.as_ref().and_then(|a| {
            if a.every.0 <= c.duration.0 {
                self.d.push(format!("{path}.activated.every"), "conferences must be further apart than they last");
                return None;
            }
            Some((a.every.0, a.first_after.clone()))
        });
        if c.ordinary.is_none() && c.activated.is_none() {
            self.d.push(path.clone(), "a conference needs a cadence: `ordinary`, `activated` or both");
        }
        let picture = c.picture.as_ref().and_then(|p| {
            let ch = self.channel(&p.channel, &format!("{path}.picture.channel"))?;
            let to = super::links::select_units(self, &p.to, &format!("{path}.picture.to"));
            Some(Picture { compile: p.compile.clone(), channel: ch, to })
        });
        for name in c.direction.iter().flat_map(|d| &d.prioritise) {
            let base = name.split_once('#').map_or(name.as_str(), |(b, _)| b);
            if self.f.inject.get(base).is_none_or(|i| i.incident.is_none()) {
                self.d.push(format!("{path}.direction.prioritise"), format!("no incident inject `{name}`"));
            }
        }
        let direction = c.direction.as_ref().map(|d| Direction {
            activate: d.activate,
            release_resources: d.release_resources,
            prioritise: d.prioritise.clone(),
        });
        let convener = convener?;
        Some(Conference {
            id: id.to_string(),
            name: Text { en: c.name.clone().unwrap_or_else(|| id.to_string()), sv: c.name_sv.clone() },
            level: self.m.units[convener as usize].level,
            convener,
            participants,
            channel,
            duration: c.duration.0,
            ordinary,
            activated,
            imposed_first: None,
            shares_knowledge: c.shares_knowledge,
            decides_requests: c.decides_requests,
            agrees_public: c.agrees_public,
            picture,
            direction,
        })
    }

    fn ordinary(
        &mut self,
        o: &OrdinaryCadence,
        duration: SimTime,
        path: &str,
    ) -> Option<(SimTime, Option<usize>, SimTime)> {
        if o.every.0 <= duration {
            self.d.push(format!("{path}.every"), "conferences must be further apart than they last");
            return None;
        }
        match parse_weekly_clock(&o.first) {
            Ok((day, clock)) => Some((o.every.0, day, clock)),
            Err(e) => {
                self.d.push(format!("{path}.first"), e);
                None
            }
        }
    }

    fn pools(&mut self) {
        for (id, p) in &self.f.resource {
            let path = format!("resource.{id}");
            if self.f.organisation.get(&p.organisation).is_some_and(|o| o.enabled == Some(false)) {
                continue; // the pool goes with its disabled organisation
            }
            let Some(org) = self.org_ref(&p.organisation, &format!("{path}.organisation")) else { continue };
            let area = match &p.area {
                Some(a) => self.area(a, &format!("{path}.area")),
                None => self.m.orgs[org as usize].area,
            };
            if p.count > 10_000_000 {
                self.d.push(format!("{path}.count"), "more than 10 million resources in one pool; check the number");
            }
            if p.reserve > p.count {
                self.d.push(format!("{path}.reserve"), "the reserve is larger than the pool");
            }
            self.m.pools.push(Pool {
                id: id.clone(),
                org,
                kind: self.types[&p.kind],
                count: p.count,
                area,
                response: p.response.clone(),
                mobilisation: p.mobilisation.clone(),
                lend: p.lend,
                reserve: p.reserve,
            });
        }
    }

    pub(super) fn org_ref(&mut self, id: &str, path: &str) -> Option<u32> {
        let found = self.orgs.get(id).copied();
        if found.is_none() {
            let message = match self.f.organisation.get(id) {
                Some(_) => format!("organisation `{id}` is disabled (`enabled = false`) in this variant"),
                None => format!("unknown organisation `{id}`; known: {}", keys(&self.orgs)),
            };
            self.d.push(path, message);
        }
        found
    }

    fn agreements(&mut self) {
        for (id, a) in &self.f.agreement {
            if !enabled(a.enabled) {
                continue;
            }
            let path = format!("agreement.{id}");
            let kinds: Vec<u32> =
                a.types.iter().filter_map(|t| self.resource_type(t, &format!("{path}.types"))).collect();
            let orgs = super::links::select_orgs(self, &a.organisations, &format!("{path}.organisations"));
            if orgs.len() < 2 {
                self.d.push(format!("{path}.organisations"), "an agreement needs at least two organisations");
            }
            self.m.agreements.push(Agreement { id: id.clone(), kinds, orgs });
        }
    }

    fn objectives(&mut self) {
        for (id, o) in &self.f.objective {
            let path = format!("objective.{id}");
            let unit = o.unit.as_ref().and_then(|u| self.unit_ref(u, &format!("{path}.unit")));
            let conference = o.conference.clone();
            if let Some(cid) = &conference
                && !self.f.conference.contains_key(cid)
            {
                self.d.push(
                    format!("{path}.conference"),
                    format!("unknown conference `{cid}`; known: {}", keys(&self.f.conference)),
                );
            }
            if let Some(f) = &o.fact
                && let Some(problem) = super::injects::fact_id_problem(self, f)
            {
                self.d.push(format!("{path}.fact"), problem);
            }
            super::checks::objective_fields(self, o, &path);
            self.m.objectives.push(Objective {
                id: id.clone(),
                name: Text { en: o.name.clone().unwrap_or_else(|| id.clone()), sv: o.name_sv.clone() },
                description: Text { en: o.description.clone(), sv: o.description_sv.clone() },
                measure: o.measure,
                fact: o.fact.clone(),
                level: o.level,
                unit,
                conference,
                within: o.within.map(|w| w.0),
                max: o.max,
            });
        }
    }

    /// The `[cost]` table's rates resolved to units and pools (`crate::cost`).
    fn cost(&mut self) {
        let (rates, problems) = crate::cost::rates(self.f.cost.as_ref(), self.f, &self.m);
        for (path, message) in problems {
            self.d.push(path, message);
        }
        self.m.cost = rates;
    }

    fn guard(&mut self) {
        let g = &self.f.guard;
        let limits = [
            (g.max_events, "max_events"),
            (g.max_messages, "max_messages"),
            (g.max_facts, "max_facts"),
            (g.max_known, "max_known"),
        ];
        for (v, name) in limits {
            if v == 0 {
                self.d.push(format!("guard.{name}"), "must be at least 1");
            }
        }
        // Messages and knowledge are numbered in 32 bits (a trail's step: 31).
        for (v, name) in [(g.max_messages, "max_messages"), (g.max_known, "max_known")] {
            if v > MAX_NUMBERED {
                self.d.push(format!("guard.{name}"), format!("must be at most {MAX_NUMBERED}"));
            }
        }
        self.m.guard = Guard {
            max_events: g.max_events,
            max_messages: g.max_messages,
            max_facts: g.max_facts,
            max_known: g.max_known,
            max_memory: super::budget::DEFAULT_MAX_MEMORY,
        };
        if let Some(text) = &g.max_memory {
            match super::budget::parse_size(text) {
                Ok(b) => self.m.guard.max_memory = b,
                Err(e) => self.d.push("guard.max_memory", e),
            }
        }
    }

    /// Refuses a model whose run may need more memory than its budget.
    fn memory(&mut self) {
        let parts = super::budget::estimate(&self.m);
        if let Some(msg) = super::budget::over_budget(&parts, self.m.guard.max_memory, 1) {
            self.d.push(parts[0].field.clone(), msg);
        }
    }
}

/// The most messages or knowledge records a run may number.
const MAX_NUMBERED: u64 = 2_000_000_000;

/// Profile values overridden by the unit's own.
fn merge_unit(profile: &UnitSpec, unit: &UnitSpec) -> UnitSpec {
    macro_rules! pick {
        ($($f:ident),*) => { UnitSpec { $($f: unit.$f.clone().or_else(|| profile.$f.clone()),)* } };
    }
    let mut merged = pick!(
        profile,
        name,
        name_sv,
        level,
        tags,
        handlers,
        off_hours_handlers,
        activated_handlers,
        office_hours,
        duty_officer,
        activation_threshold,
        activation_delay,
        processing,
        reporting,
        report_every,
        report_offset,
        forward,
        public_info,
        decides_requests,
        enabled
    );
    // A unit's own name goes with its own Swedish name (or none), not the profile's.
    if unit.name.is_some() {
        merged.name_sv = unit.name_sv.clone();
    }
    if let (Some(p), Some(u)) = (&profile.processing, &unit.processing) {
        let mut table = p.clone();
        table.extend(u.clone());
        merged.processing = Some(table);
    }
    merged
}

pub(super) fn keys<V>(m: &IndexMap<String, V>) -> String {
    if m.is_empty() {
        return "(none defined)".into();
    }
    let mut list: Vec<&str> = m.keys().map(|s| s.as_str()).take(12).collect();
    if m.len() > 12 {
        list.push("…");
    }
    list.join(", ")
}
