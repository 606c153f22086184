//! Links between units: built-in default rules, the file's `[link_rule.*]` and explicit
//! `[link.*]`, and the selectors (`level:`, `tag:`, `org:`, `kind:`, `all`, unit ids)
//! that rules and conferences use to name groups of units.
//!
//! A link is keyed by (from, to, flow). Later definitions replace earlier ones with the
//! same key, in this order: defaults, rules in file order, explicit links.

use super::compile::{Ctx, MAX_LINKS};
use super::spec::Selectors;
use crate::model::{Link, LinkOrigin};
use crate::vocabulary::{Flow, Level};
use std::collections::{HashMap, HashSet};

/// The regional coordination function is the unit (or units) tagged with this.
pub const REGIONAL_COORDINATION_TAG: &str = "regional-coordination";

/// A built-in linking rule (model.md §2).
struct DefaultRule {
    name: &'static str,
    from: Level,
    to: To,
    flows: &'static [Flow],
}

enum To {
    OwnLevel(Level),
    RegionalCoordination,
}

const DEFAULT_RULES: &[DefaultRule] = &[
    DefaultRule {
        name: "executive→own coordinating",
        from: Level::Executive,
        to: To::OwnLevel(Level::Coordinating),
        flows: &[Flow::Report, Flow::Request],
    },
    DefaultRule {
        name: "executive→regional coordination",
        from: Level::Executive,
        to: To::RegionalCoordination,
        flows: &[Flow::Report, Flow::Request],
    },
    DefaultRule {
        name: "coordinating→own strategic",
        from: Level::Coordinating,
        to: To::OwnLevel(Level::Strategic),
        flows: &[Flow::Report],
    },
    DefaultRule {
        name: "strategic→own coordinating",
        from: Level::Strategic,
        to: To::OwnLevel(Level::Coordinating),
        flows: &[Flow::Direction],
    },
    DefaultRule {
        name: "coordinating→own executive",
        from: Level::Coordinating,
        to: To::OwnLevel(Level::Executive),
        flows: &[Flow::Direction],
    },
];

/// Selects units. Unknown names are reported under `path`.
pub(super) fn select_units(c: &mut Ctx<'_>, sel: &Selectors, path: &str) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    let mut seen = vec![false; c.m.units.len()];
    for s in &sel.0 {
        let picked: Vec<u32> = match s.split_once(':') {
            _ if s == "all" => (0..c.m.units.len() as u32).collect(),
            Some(("level", l)) => match Level::parse(l) {
                Some(level) => filter(c, |u| u.level == level),
                None => {
                    c.d.push(path, format!("unknown level `{l}`; use executive, coordinating or strategic"));
                    vec![]
                }
            },
            Some(("tag", t)) => tagged(c, t),
            Some(("org", o)) => match c.org_ref(o, path) {
                Some(org) => filter(c, |u| u.org == org),
                None => vec![],
            },
            Some(("kind", k)) => {
                let orgs = orgs_of_kind(c, k, path);
                filter(c, |u| orgs.contains(&u.org))
            }
            Some((prefix, _)) => {
                c.d.push(
                    path,
                    format!("unknown selector `{prefix}:`; use level:, tag:, org:, kind:, all or a unit id"),
                );
                vec![]
            }
            None => c.unit_ref(s, path).into_iter().collect(),
        };
        if picked.is_empty() && ["tag:", "kind:", "level:", "org:"].iter().any(|p| s.starts_with(p)) {
            c.d.push(path, format!("`{s}` selects no unit"));
        }
        for u in picked {
            if !seen[u as usize] {
                seen[u as usize] = true;
                out.push(u);
            }
        }
    }
    out
}

/// Units with tag `t`, in unit order (from the tag index, built on first use).
fn tagged(c: &mut Ctx<'_>, t: &str) -> Vec<u32> {
    let units = &c.m.units;
    let index = c.tag_index.get_or_insert_with(|| {
        let mut index: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            for tag in &u.tags {
                let list = index.entry(tag.clone()).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        index
    });
    index.get(t).cloned().unwrap_or_default()
}

fn filter(c: &Ctx<'_>, keep: impl Fn(&crate::model::Unit) -> bool) -> Vec<u32> {
    c.m.units.iter().enumerate().filter(|(_, u)| keep(u)).map(|(i, _)| i as u32).collect()
}

fn orgs_of_kind(c: &mut Ctx<'_>, kind: &str, path: &str) -> Vec<u32> {
    let orgs: Vec<u32> =
        c.m.orgs.iter().enumerate().filter(|(_, o)| o.kind.name() == kind).map(|(i, _)| i as u32).collect();
    if orgs.is_empty() {
        c.d.push(path, format!("no organisation of kind `{kind}`"));
    }
    orgs
}

/// Selects organisations by id or `kind:`.
pub(super) fn select_orgs(c: &mut Ctx<'_>, sel: &Selectors, path: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for s in &sel.0 {
        let picked = match s.split_once(':') {
            Some(("kind", k)) => orgs_of_kind(c, k, path),
            _ if s == "all" => (0..c.m.orgs.len() as u32).collect(),
            _ => c.org_ref(s, path).into_iter().collect(),
        };
        for o in picked {
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    out
}

type Key = (u32, u32, Flow);

/// Pairs of organisations (both orders) that are partners: one names the other in
/// `partners`, or both are municipalities whose outlines touch ([`crate::geo::neighbours`]).
/// Every `partners` list is checked; neighbours are looked up only when `neighbours` is set.
fn partner_pairs(c: &mut Ctx<'_>, neighbours: bool) -> HashSet<(u32, u32)> {
    let mut pairs = HashSet::new();
    let file = c.f;
    for (id, o) in file.organisation.iter() {
        let (Some(&me), false) = (c.orgs.get(id), o.partners.0.is_empty()) else { continue };
        // A partner a variant disables is not there to inform: it is left out, not an error.
        let disabled = |s: &String| file.organisation.get(s).is_some_and(|p| p.enabled == Some(false));
        let named = Selectors(o.partners.0.iter().filter(|s| !disabled(s)).cloned().collect());
        for p in select_orgs(c, &named, &format!("organisation.{id}.partners")) {
            pairs.extend([(me, p), (p, me)]);
        }
    }
    if neighbours {
        let coded: Vec<(u32, &str)> = (c.m.orgs.iter().enumerate())
            .filter_map(|(i, o)| Some((i as u32, o.municipality_code.as_deref()?)))
            .collect();
        for &(a, ca) in &coded {
            pairs.extend(
                coded.iter().filter(|(_, cb)| crate::geo::neighbours::are_neighbours(ca, cb)).map(|&(b, _)| (a, b)),
            );
        }
    }
    pairs
}

/// Builds every link and each unit's outgoing list.
pub(super) fn build(c: &mut Ctx<'_>) {
    let mut links: HashMap<Key, usize> = HashMap::new();
    let mut list: Vec<Link> = Vec::new();
    let default_channels = c.f.links.channels.clone();
    let default_threshold = c.f.links.threshold;
    c.check_severity(Some(default_threshold), "links.threshold");
    let default_ch = c.channel_list(&default_channels, "links.channels");
    c.m.default_channels = default_ch.clone();
    if c.f.links.defaults {
        defaults(c, &default_ch, default_threshold, &mut links, &mut list);
    }
    rules(c, &default_ch, default_threshold, &mut links, &mut list);
    explicit(c, &default_ch, default_threshold, &mut links, &mut list);
    if list.iter().any(|l| l.channels.is_empty()) {
        c.d.push(
            "links.channels",
            "some links name no channel; list default channels here, e.g. [\"phone\", \"email\"]",
        );
    }
    for (i, l) in list.iter().enumerate() {
        c.m.units[l.from as usize].out_links.push(i as u32);
    }
    c.m.links = list;
}

fn put(links: &mut HashMap<Key, usize>, list: &mut Vec<Link>, link: Link) -> bool {
    if link.from == link.to {
        return true;
    }
    match links.get(&(link.from, link.to, link.flow)) {
        Some(&i) => list[i] = link,
        None => {
            if list.len() >= MAX_LINKS {
                return false;
            }
            links.insert((link.from, link.to, link.flow), list.len());
            list.push(link);
        }
    }
    true
}

fn defaults(c: &mut Ctx<'_>, ch: &[u32], threshold: u8, links: &mut HashMap<Key, usize>, list: &mut Vec<Link>) {
    let regional: Vec<u32> = filter(c, |u| u.tags.iter().any(|t| t == REGIONAL_COORDINATION_TAG));
    for rule in DEFAULT_RULES {
        for (from, fu) in c.m.units.iter().enumerate().filter(|(_, u)| u.level == rule.from) {
            let targets: Vec<u32> = match rule.to {
                To::OwnLevel(level) => c.m.orgs[fu.org as usize]
                    .units
                    .iter()
                    .copied()
                    .filter(|t| c.m.units[*t as usize].level == level)
                    .collect(),
                To::RegionalCoordination => regional.clone(),
            };
            for to in targets {
                for &flow in rule.flows {
                    let link = Link {
                        from: from as u32,
                        to,
                        flow,
                        channels: ch.to_vec(),
                        threshold,
                        origin: LinkOrigin::Default(rule.name),
                    };
                    if !put(links, list, link) {
                        return c.d.push("links", format!("more than {MAX_LINKS} links; narrow the rules"));
                    }
                }
            }
        }
    }
}

fn rules(c: &mut Ctx<'_>, ch: &[u32], threshold: u8, links: &mut HashMap<Key, usize>, list: &mut Vec<Link>) {
    let by_partners = c.f.link_rule.values().any(|r| r.enabled.unwrap_or(true) && r.only_partners == Some(true));
    let partners = partner_pairs(c, by_partners);
    for (id, r) in &c.f.link_rule {
        if !r.enabled.unwrap_or(true) {
            continue;
        }
        let path = format!("link_rule.{id}");
        let from = select_units(c, &r.from, &format!("{path}.from"));
        let to = select_units(c, &r.to, &format!("{path}.to"));
        if r.flows.is_empty() {
            c.d.push(format!("{path}.flows"), "name at least one flow: report, direction, request, information");
        }
        let channels = r.channels.as_ref().map_or(ch.to_vec(), |n| c.channel_list(n, &format!("{path}.channels")));
        let threshold = r.threshold.unwrap_or(threshold);
        c.check_severity(Some(threshold), &format!("{path}.threshold"));
        if from.len().saturating_mul(to.len()).saturating_mul(r.flows.len()) > MAX_LINKS {
            c.d.push(path, format!("this rule would make more than {MAX_LINKS} links; narrow `from` or `to`"));
            continue;
        }
        for &f in &from {
            for &t in &to {
                let same = c.m.units[f as usize].org == c.m.units[t as usize].org;
                if r.same_organisation.is_some_and(|want| want != same) {
                    continue;
                }
                let (of, ot) = (c.m.units[f as usize].org, c.m.units[t as usize].org);
                if r.only_partners == Some(true) && !partners.contains(&(of, ot)) {
                    continue;
                }
                for &flow in &r.flows {
                    let link = Link {
                        from: f,
                        to: t,
                        flow,
                        channels: channels.clone(),
                        threshold,
                        origin: LinkOrigin::Rule(id.clone()),
                    };
                    if !put(links, list, link) {
                        return c.d.push(path, format!("more than {MAX_LINKS} links; narrow the rules"));
                    }
                }
            }
        }
    }
}

fn explicit(c: &mut Ctx<'_>, ch: &[u32], threshold: u8, links: &mut HashMap<Key, usize>, list: &mut Vec<Link>) {
    for (id, l) in &c.f.link {
        if !l.enabled.unwrap_or(true) {
            continue;
        }
        let path = format!("link.{id}");
        let from = c.unit_ref(&l.from, &format!("{path}.from"));
        let to = c.unit_ref(&l.to, &format!("{path}.to"));
        let channels = l.channels.as_ref().map_or(ch.to_vec(), |n| c.channel_list(n, &format!("{path}.channels")));
        let threshold = l.threshold.unwrap_or(threshold);
        c.check_severity(Some(threshold), &format!("{path}.threshold"));
        if l.flows.is_empty() {
            c.d.push(format!("{path}.flows"), "name at least one flow: report, direction, request, information");
        }
        let (Some(from), Some(to)) = (from, to) else { continue };
        if from == to {
            c.d.push(path.clone(), "a link from a unit to itself");
        }
        for &flow in &l.flows {
            let link = Link {
                from,
                to,
                flow,
                channels: channels.clone(),
                threshold,
                origin: LinkOrigin::Explicit(id.clone()),
            };
            put(links, list, link);
        }
    }
}
