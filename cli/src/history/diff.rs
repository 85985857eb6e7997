//! The semantic difference between two attestations of one device.

use std::collections::BTreeSet;

use serde::Serialize;

use super::bom::{LayerSummary, Summary};

/// One semantic change. `layer` is absent for device-wide changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// A device property (name, class, region, …) changed.
    Device {
        /// Property.
        field: String,
        /// Old values.
        from: Vec<String>,
        /// New values.
        to: Vec<String>,
    },
    /// A layer appeared.
    LayerAdded {
        /// Layer name.
        layer: String,
        /// Its product.
        product: Option<String>,
        /// Its suppliers.
        suppliers: Vec<String>,
    },
    /// A layer disappeared.
    LayerRemoved {
        /// Layer name.
        layer: String,
        /// Its product.
        product: Option<String>,
    },
    /// The layer's suppliers changed.
    Supplier {
        /// Layer name.
        layer: String,
        /// Old suppliers.
        from: Vec<String>,
        /// New suppliers.
        to: Vec<String>,
    },
    /// The groups controlling the layer changed.
    Group {
        /// Layer name.
        layer: String,
        /// Old groups.
        from: Vec<String>,
        /// New groups.
        to: Vec<String>,
    },
    /// Product name changed.
    Product {
        /// Layer name.
        layer: String,
        /// Old name.
        from: Option<String>,
        /// New name.
        to: Option<String>,
    },
    /// Version changed.
    Version {
        /// Layer name.
        layer: String,
        /// Old version.
        from: Option<String>,
        /// New version.
        to: Option<String>,
    },
    /// An evidence item's digest changed, or it appeared or disappeared.
    Evidence {
        /// Layer name.
        layer: String,
        /// Evidence path.
        path: String,
        /// Old digest (absent: added).
        from: Option<String>,
        /// New digest (absent: removed).
        to: Option<String>,
    },
    /// Agent permissions added or removed.
    Permissions {
        /// Layer name.
        layer: String,
        /// Granted now.
        added: Vec<String>,
        /// No longer granted.
        removed: Vec<String>,
    },
    /// An agent attribute (name, embedded, background, …) changed.
    Agent {
        /// Layer name.
        layer: String,
        /// Attribute.
        field: String,
        /// Old value.
        from: Option<String>,
        /// New value.
        to: Option<String>,
    },
    /// Where the agent's data goes.
    Routing {
        /// Layer name.
        layer: String,
        /// New routes.
        added: Vec<String>,
        /// Routes gone.
        removed: Vec<String>,
    },
    /// A cloud endpoint appeared, disappeared or changed region, operator
    /// or data.
    Endpoint {
        /// Host.
        host: String,
        /// Old description (absent: added).
        from: Option<String>,
        /// New description (absent: removed).
        to: Option<String>,
    },
    /// Any other `strata:*` property of a layer (facts, upstream,
    /// jurisdiction, parts, …).
    Property {
        /// Layer name.
        layer: String,
        /// Property name without `strata:`.
        name: String,
        /// New values.
        added: Vec<String>,
        /// Values gone.
        removed: Vec<String>,
    },
    /// The signer identity claimed by the Sigstore bundle changed, or a
    /// bundle appeared or disappeared.
    Signer {
        /// Old identity (absent: unsigned).
        from: Option<String>,
        /// New identity (absent: unsigned).
        to: Option<String>,
    },
    /// The device's declarations document (CycloneDX 1.6 CDXA) appeared
    /// or disappeared: what it said, in one line.
    Declarations {
        /// Before (absent: none).
        from: Option<String>,
        /// After (absent: none).
        to: Option<String>,
    },
    /// The standards the declarations judge against (the policy, by name
    /// and digest) changed.
    Standard {
        /// Before.
        from: Vec<String>,
        /// After.
        to: Vec<String>,
    },
    /// The BOM the declarations are bound to (its SHA-256) changed.
    BoundTo {
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// A requirement's conformance score changed, or it was mapped or
    /// unmapped.
    Conformance {
        /// The requirement's identifier.
        requirement: String,
        /// Who attested it; absent for strata's own evaluation.
        #[serde(skip_serializing_if = "Option::is_none")]
        assessor: Option<String>,
        /// Old score (absent: not mapped).
        from: Option<String>,
        /// New score (absent: not mapped).
        to: Option<String>,
    },
    /// Claims (by predicate) added or removed.
    Claims {
        /// New claims.
        added: Vec<String>,
        /// Claims gone.
        removed: Vec<String>,
    },
    /// The affirmation's signatories changed.
    Signatories {
        /// New signatories.
        added: Vec<String>,
        /// Signatories gone.
        removed: Vec<String>,
    },
    /// One side's declarations document does not read.
    DeclarationsUnreadable {
        /// `from` or `to`.
        side: String,
        /// Why.
        error: String,
    },
    /// One side is not a readable JSON BOM.
    Unreadable {
        /// `from` or `to`.
        side: String,
        /// Why.
        error: String,
    },
}

fn v(set: &BTreeSet<String>) -> Vec<String> {
    set.iter().cloned().collect()
}

fn set_diff(a: &BTreeSet<String>, b: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    (
        b.difference(a).cloned().collect(),
        a.difference(b).cloned().collect(),
    )
}

/// Every change from `a` to `b`, device-wide first, then by layer.
pub fn compare(a: &Summary, b: &Summary) -> Vec<Change> {
    let mut out = Vec::new();
    let fields: BTreeSet<&String> = a.device.keys().chain(b.device.keys()).collect();
    let empty = BTreeSet::new();
    for f in fields {
        let (x, y) = (
            a.device.get(f).unwrap_or(&empty),
            b.device.get(f).unwrap_or(&empty),
        );
        if x != y {
            out.push(Change::Device {
                field: f.clone(),
                from: v(x),
                to: v(y),
            });
        }
    }
    let layers: BTreeSet<&String> = a.layers.keys().chain(b.layers.keys()).collect();
    for name in order_layers(layers) {
        match (a.layers.get(name), b.layers.get(name)) {
            (None, Some(l)) => out.push(Change::LayerAdded {
                layer: name.clone(),
                product: l.product.clone(),
                suppliers: v(&l.suppliers),
            }),
            (Some(l), None) => out.push(Change::LayerRemoved {
                layer: name.clone(),
                product: l.product.clone(),
            }),
            (Some(x), Some(y)) => compare_layer(name, x, y, &mut out),
            (None, None) => {}
        }
    }
    let hosts: BTreeSet<&String> = a.endpoints.keys().chain(b.endpoints.keys()).collect();
    for h in hosts {
        let (x, y) = (a.endpoints.get(h), b.endpoints.get(h));
        if x != y {
            out.push(Change::Endpoint {
                host: h.clone(),
                from: x.cloned(),
                to: y.cloned(),
            });
        }
    }
    out
}

/// Layers in stack order (silicon up to services), unknown ones after.
fn order_layers(layers: BTreeSet<&String>) -> Vec<&String> {
    const ORDER: [&str; 5] = ["silicon", "os", "model", "vehicle", "services"];
    let mut v: Vec<&String> = layers.into_iter().collect();
    v.sort_by_key(|l| {
        (
            ORDER.iter().position(|o| o == l).unwrap_or(ORDER.len()),
            (*l).clone(),
        )
    });
    v
}

fn compare_layer(layer: &str, a: &LayerSummary, b: &LayerSummary, out: &mut Vec<Change>) {
    let layer_s = layer.to_string();
    if a.suppliers != b.suppliers {
        out.push(Change::Supplier {
            layer: layer_s.clone(),
            from: v(&a.suppliers),
            to: v(&b.suppliers),
        });
    }
    if a.groups != b.groups {
        out.push(Change::Group {
            layer: layer_s.clone(),
            from: v(&a.groups),
            to: v(&b.groups),
        });
    }
    if a.product != b.product {
        out.push(Change::Product {
            layer: layer_s.clone(),
            from: a.product.clone(),
            to: b.product.clone(),
        });
    }
    if a.version != b.version {
        out.push(Change::Version {
            layer: layer_s.clone(),
            from: a.version.clone(),
            to: b.version.clone(),
        });
    }
    let paths: BTreeSet<&String> = a.evidence.keys().chain(b.evidence.keys()).collect();
    for p in paths {
        let (x, y) = (a.evidence.get(p), b.evidence.get(p));
        if x != y {
            out.push(Change::Evidence {
                layer: layer_s.clone(),
                path: p.clone(),
                from: x.cloned(),
                to: y.cloned(),
            });
        }
    }
    if a.permissions != b.permissions {
        let (added, removed) = set_diff(&a.permissions, &b.permissions);
        out.push(Change::Permissions {
            layer: layer_s.clone(),
            added,
            removed,
        });
    }
    let fields: BTreeSet<&String> = a.agent.keys().chain(b.agent.keys()).collect();
    for f in fields {
        let (x, y) = (a.agent.get(f), b.agent.get(f));
        if x != y {
            out.push(Change::Agent {
                layer: layer_s.clone(),
                field: f.clone(),
                from: x.cloned(),
                to: y.cloned(),
            });
        }
    }
    if a.routing != b.routing {
        let (added, removed) = set_diff(&a.routing, &b.routing);
        out.push(Change::Routing {
            layer: layer_s.clone(),
            added,
            removed,
        });
    }
    let empty = BTreeSet::new();
    let names: BTreeSet<&String> = a.other.keys().chain(b.other.keys()).collect();
    for n in names {
        let (x, y) = (
            a.other.get(n).unwrap_or(&empty),
            b.other.get(n).unwrap_or(&empty),
        );
        if x != y {
            let (added, removed) = set_diff(x, y);
            out.push(Change::Property {
                layer: layer_s.clone(),
                name: n.clone(),
                added,
                removed,
            });
        }
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("(none)")
}

/// An agent fact: its value, or "not declared" (never a silent "no").
fn declared(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("(not declared)")
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(", ")
    }
}

fn short(d: &Option<String>) -> String {
    d.as_deref()
        .map(crate::digest::short)
        .unwrap_or_else(|| "(none)".to_string())
}

impl Change {
    /// The layer it concerns, if any.
    pub fn layer(&self) -> Option<&str> {
        match self {
            Change::LayerAdded { layer, .. }
            | Change::LayerRemoved { layer, .. }
            | Change::Supplier { layer, .. }
            | Change::Group { layer, .. }
            | Change::Product { layer, .. }
            | Change::Version { layer, .. }
            | Change::Evidence { layer, .. }
            | Change::Permissions { layer, .. }
            | Change::Agent { layer, .. }
            | Change::Routing { layer, .. }
            | Change::Property { layer, .. } => Some(layer),
            // Device-wide, cloud, signature and declarations changes.
            _ => None,
        }
    }

    /// What the change is filed under in `strata diff`: its layer, or
    /// `device`, `cloud`, `signature` or `declared` (the declarations).
    pub fn label(&self) -> &str {
        match self {
            Change::Device { .. } | Change::Unreadable { .. } => "device",
            Change::Endpoint { .. } => "cloud",
            Change::Signer { .. } => "signature",
            _ if self.is_declared() => "declared",
            other => other.layer().unwrap_or("device"),
        }
    }

    /// A full description, for `strata diff` (the label is printed apart).
    pub fn describe(&self) -> String {
        match self {
            Change::Device { field, from, to } => {
                format!("device {field}: {} → {}", list(from), list(to))
            }
            Change::LayerAdded {
                product, suppliers, ..
            } => format!("layer added: {} ({})", opt(product), list(suppliers)),
            Change::LayerRemoved { product, .. } => format!("layer removed: {}", opt(product)),
            Change::Supplier { from, to, .. } => {
                format!("supplier {} → {}", list(from), list(to))
            }
            Change::Group { from, to, .. } => format!("group {} → {}", list(from), list(to)),
            Change::Product { from, to, .. } => format!("product {} → {}", opt(from), opt(to)),
            Change::Version { from, to, .. } => format!("version {} → {}", opt(from), opt(to)),
            Change::Evidence { path, from, to, .. } => match (from, to) {
                (None, _) => format!("evidence added: {path} {}", short(to)),
                (_, None) => format!("evidence removed: {path} {}", short(from)),
                _ => format!("evidence {path} {} → {}", short(from), short(to)),
            },
            Change::Permissions { added, removed, .. } => {
                plus_minus("agent permission", added, removed)
            }
            Change::Agent {
                field, from, to, ..
            } => {
                format!("agent {field} {} → {}", declared(from), declared(to))
            }
            Change::Routing { added, removed, .. } => plus_minus("data routing", added, removed),
            Change::Endpoint { host, from, to } => match (from, to) {
                (None, Some(t)) => format!("endpoint added: {host} {t}"),
                (Some(f), None) => format!("endpoint removed: {host} {f}"),
                _ => format!("endpoint {host}: {} → {}", opt(from), opt(to)),
            },
            Change::Property {
                name,
                added,
                removed,
                ..
            } => plus_minus(name, added, removed),
            Change::Signer { from, to } => format!("signer {} → {}", opt(from), opt(to)),
            Change::Unreadable { side, error } => format!("{side} side unreadable: {error}"),
            Change::Declarations { from, to } => match (from, to) {
                (None, Some(t)) => format!("declarations added: {t}"),
                (Some(f), None) => format!("declarations removed: {f}"),
                _ => format!("declarations {} → {}", opt(from), opt(to)),
            },
            Change::Standard { from, to } => format!("standard {} → {}", list(from), list(to)),
            Change::BoundTo { from, to } => {
                format!("bound to attestation {} → {}", short(from), short(to))
            }
            Change::Conformance {
                requirement,
                assessor,
                from,
                to,
            } => format!(
                "conformance of requirement {requirement}{}: {} → {}",
                by(assessor),
                opt(from),
                opt(to)
            ),
            Change::Claims { added, removed } => plus_minus("claim", added, removed),
            Change::Signatories { added, removed } => plus_minus("signatory", added, removed),
            Change::DeclarationsUnreadable { side, error } => {
                format!("{side} side unreadable: {error}")
            }
        }
    }

    /// Whether it is a change of the declarations document.
    pub fn is_declared(&self) -> bool {
        matches!(
            self,
            Change::Declarations { .. }
                | Change::Standard { .. }
                | Change::BoundTo { .. }
                | Change::Conformance { .. }
                | Change::Claims { .. }
                | Change::Signatories { .. }
                | Change::DeclarationsUnreadable { .. }
        )
    }

    /// A few words, for one line of `strata log`.
    pub fn brief(&self) -> String {
        let l = self.layer().map(|l| format!("{l} ")).unwrap_or_default();
        match self {
            Change::Version { from, to, .. } => format!("{l}{} → {}", opt(from), opt(to)),
            Change::Supplier { to, .. } => format!("{l}supplier → {}", list(to)),
            Change::Group { to, .. } => format!("{l}group → {}", list(to)),
            Change::Product { to, .. } => format!("{l}product → {}", opt(to)),
            Change::Evidence { path, .. } => {
                let file = path.rsplit('/').next().unwrap_or(path);
                format!("{l}evidence {file}")
            }
            Change::Permissions { added, removed, .. } => {
                format!("{l}permissions {}", signed(added, removed))
            }
            Change::Routing { added, removed, .. } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("+{}", added.len()));
                }
                if !removed.is_empty() {
                    parts.push(format!("-{}", removed.len()));
                }
                format!("{l}routing {}", parts.join(" "))
            }
            Change::LayerAdded { layer, .. } => format!("+{layer} layer"),
            Change::LayerRemoved { layer, .. } => format!("-{layer} layer"),
            Change::Endpoint { host, .. } => format!("endpoint {host}"),
            Change::Property { name, .. } => format!("{l}{name}"),
            Change::Agent { field, to, .. } => format!("{l}agent {field}={}", declared(to)),
            Change::Device { field, .. } => format!("device {field}"),
            Change::Signer { to, .. } => format!("signer → {}", opt(to)),
            Change::Unreadable { side, .. } => format!("{side} unreadable"),
            Change::Declarations { to, .. } => (if to.is_some() {
                "declarations added"
            } else {
                "declarations removed"
            })
            .into(),
            Change::Standard { .. } => "standard changed".into(),
            Change::BoundTo { to, .. } => format!("bound to {}", short(to)),
            Change::Conformance {
                requirement,
                assessor,
                from,
                to,
            } => format!(
                "conformance {requirement}{} {} → {}",
                by(assessor),
                opt(from),
                opt(to)
            ),
            Change::Claims { added, removed } => {
                format!("claims +{} -{}", added.len(), removed.len())
            }
            Change::Signatories { added, removed } => {
                format!("signatories {}", signed(added, removed))
            }
            Change::DeclarationsUnreadable { side, .. } => {
                format!("declarations {side} unreadable")
            }
        }
    }
}

/// ` by NAME` for another assessor's attestation, nothing for strata's.
fn by(assessor: &Option<String>) -> String {
    assessor
        .as_deref()
        .map(|a| format!(" by {a}"))
        .unwrap_or_default()
}

/// `+a +b -c`.
fn signed(added: &[String], removed: &[String]) -> String {
    let mut parts: Vec<String> = added.iter().map(|p| format!("+{p}")).collect();
    parts.extend(removed.iter().map(|p| format!("-{p}")));
    parts.join(" ")
}

fn plus_minus(what: &str, added: &[String], removed: &[String]) -> String {
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("{what} added: {}", added.join("; ")));
    }
    if !removed.is_empty() {
        parts.push(format!("{what} removed: {}", removed.join("; ")));
    }
    parts.join("; ")
}

/// One line summarising `changes` (at most `max` items, then a count).
pub fn one_line(changes: &[Change], max: usize) -> String {
    if changes.is_empty() {
        return "no semantic change (bytes differ)".to_string();
    }
    let mut parts: Vec<String> = changes.iter().take(max).map(Change::brief).collect();
    if changes.len() > max {
        parts.push(format!("{} more change(s)", changes.len() - max));
    }
    parts.join("; ")
}
