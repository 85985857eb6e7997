//! `strata analyze`: concentration, restricted lists and DPIA screening for
//! a fleet, as a plain-text table or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use strata::analyze::{
    self, AnalyzeOptions, DeviceAnalysis, DeviceHit, ExplainLine, FleetAnalysis, FleetSlice,
};
use strata::diag::{ExitStatus, Result};
use strata::inventory;
use strata::table::count;

use crate::args::{CountsArg, FleetArgs, Format, Formats, NowArg};
use crate::output;

/// Analyse who controls each device's stack, how concentrated the fleet is,
/// which vendors are on restricted lists, and which devices need a DPIA.
///
/// Every supplier is resolved to its ultimate group (vendors.yaml parents),
/// so a subsidiary counts as its parent. Per device: each layer's controller,
/// the top group's weighted share (TOP), the cross-layer HHI, the normalised
/// vertical concentration index (VCI, 0 diversified to 1 single vendor), the
/// effective number of vendors, and hard flags (one group controls every
/// layer; one group controls OS, model/agent and services; a privileged
/// agent; an active restricted-list match). Per fleet, weighting each device
/// by units × criticality: per-layer HHI (0–10,000), each group's pooled
/// exposure, and the share of the fleet on single-vendor stacks.
///
/// Vendors, their parents and aliases are screened against the dated list
/// snapshots in designations.yaml; only active entries restrict, historical
/// ones are shown with their dates as context. Each device is screened
/// against the nine WP248 criteria: REQUIRED, RECOMMENDED or
/// NOT_REQUIRED_DOCUMENTED.
///
/// Devices come from approved-devices.yaml (with their units), or from every
/// stacks/*.yaml with 1 unit each when there is no list. With `--counts
/// observed` each approved device weighs the devices the inventories named
/// in policy.yaml see on its stack (catalog.yaml resolves records to
/// stacks; stale, duplicate and retired records are not counted), and the
/// devices in use on no approved stack count, each whole, under the group
/// their vendor resolves to in the pooled exposure and the fleet HHI; the
/// per-layer figures, slices and restricted exposure describe the approved
/// stacks. The header line and the JSON field `counts` say so. The analysis is
/// decision support, not legal advice. Exit status 0 when the analysis ran
/// (findings do not fail it; see `strata gate`), 2 on bad input.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata analyze                         # the fleet around the current directory
  strata analyze examples --explain      # with every formula and its numbers
  strata analyze examples --format json > analysis.json
  strata analyze --fleet examples --devices staging/approved-devices.yaml
  strata analyze examples --counts observed --now 2026-12-01   # the fleet the MDM sees",
    mut_arg("now", |a| a.help("Judge inventory records stale as of this time (YYYY-MM-DD or RFC 3339) with --counts observed; now by default")))]
pub struct AnalyzeArgs {
    #[command(flatten)]
    fleet: FleetArgs,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = FORMATS)]
    format: Format,
    /// Show every figure's formula with the numbers substituted, and every
    /// WP248 criterion's reasoning.
    #[arg(long)]
    explain: bool,
    /// The approved-device list [default: FLEET/approved-devices.yaml].
    #[arg(long, value_name = "FILE")]
    devices: Option<PathBuf>,
    /// The restricted-list snapshots [default: FLEET/designations.yaml].
    #[arg(long, value_name = "FILE")]
    designations: Option<PathBuf>,
    #[command(flatten)]
    counts: CountsArg,
    #[command(flatten)]
    now: NowArg,
}

/// `human` (an aligned table; `table` before) or `json` (the whole analysis).
const FORMATS: Formats =
    Formats::new(&[Format::Human, Format::Json]).with_deprecated(&[("table", Format::Human)]);

/// Run `strata analyze`.
pub fn run(args: AnalyzeArgs) -> Result<ExitStatus> {
    let fleet = args.fleet.discover()?;
    let observed = if args.counts.observed() {
        let inv = inventory::for_fleet(&fleet, args.devices.as_deref(), None, args.now.time())?
            .ok_or_else(|| inventory::no_inventories(&fleet))?;
        Some(inv.observed(&fleet.root))
    } else {
        None
    };
    let opts = AnalyzeOptions {
        explain: args.explain,
        devices: args.devices,
        designations: args.designations,
        observed,
        ..AnalyzeOptions::default()
    };
    let a = analyze::analyze(&fleet, &opts)?;
    let bytes = match args.format {
        Format::Json => strata::outputs::to_json(&a)?.into_bytes(),
        _ => {
            output::report_diagnostics(&a.notes);
            table(&a, args.explain).into_bytes()
        }
    };
    output::emit(args.format, &bytes)?;
    Ok(ExitStatus::Success)
}

/// Rows of cells, padded to column widths; `right` marks right-aligned
/// (numeric) columns.
fn grid(out: &mut String, indent: &str, rows: &[Vec<String>], right: &[usize]) {
    out.push_str(&strata::table::grid(rows, right, indent));
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn explain_lines(out: &mut String, indent: &str, lines: &[ExplainLine]) {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .flat_map(|l| {
            [
                vec![l.metric.clone(), l.formula.clone()],
                vec![String::new(), l.workings.clone()],
            ]
        })
        .collect();
    grid(out, indent, &rows, &[]);
}

/// The whole table report.
fn table(a: &FleetAnalysis, explain: bool) -> String {
    let mut out = String::new();
    let f = &a.fleet;
    let _ = writeln!(
        out,
        "{}, {}, weight {} (units × criticality); fleet root {}\n",
        count(a.devices.len() as u64, "device"),
        count(f.units, "unit"),
        f.weight,
        a.root
    );
    if let Some(c) = &a.counts {
        // Before the blank line that ends the header.
        out.pop();
        let _ = writeln!(out, "{}\n", strata::escape::terminal(&c.line()));
    }

    out.push_str("SUMMARY\n");
    let mut rows = vec![
        [
            "device",
            "units",
            "top vendor",
            "TOP",
            "VCI",
            "N_eff",
            "HHI",
            "band",
            "flags",
            "DPIA",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for d in &a.devices {
        let c = &d.concentration;
        rows.push(vec![
            d.id.clone(),
            d.units.to_string(),
            c.top.as_ref().map_or("-".into(), |t| t.name.clone()),
            f2(c.top_share()),
            c.vci.map_or("n/a".into(), f2),
            f2(c.n_eff),
            format!("{:.1}", c.hhi),
            c.band.as_str().into(),
            d.flags.len().to_string(),
            d.dpia.outcome.as_str().into(),
        ]);
    }
    grid(&mut out, "  ", &rows, &[1, 3, 4, 5, 6, 8]);

    out.push_str("\nDEVICES\n");
    for d in &a.devices {
        device(&mut out, d, explain);
    }

    fleet(&mut out, a, explain);
    lists(&mut out, a);
    let _ = writeln!(out, "\n{}", a.disclaimer);
    out
}

fn device(out: &mut String, d: &DeviceAnalysis, explain: bool) {
    let region = d
        .region
        .as_deref()
        .map(|r| format!(", {r}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{}: {}; {}{region}; {} × {}{}",
        d.id,
        strata::escape::terminal(&d.name),
        d.class.as_str(),
        count(d.units, "unit"),
        d.criticality,
        if d.approved {
            ""
        } else {
            " (not on an approved list)"
        }
    );
    let mut rows = Vec::new();
    for l in &d.layers {
        let who = l
            .parts
            .iter()
            .map(|p| {
                let share = if l.parts.len() > 1 {
                    format!("{} ", pct(p.fraction))
                } else {
                    String::new()
                };
                let via = if p.vendor.id == p.vendor.group {
                    String::new()
                } else {
                    format!(" (via {})", p.vendor.id)
                };
                format!("{share}{}{via}", p.vendor.group_name)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let up = if l.upstream.is_empty() {
            String::new()
        } else {
            format!(
                "upstream: {}",
                l.upstream
                    .iter()
                    .map(|u| match u.role {
                        Some(_) => format!("{} ({})", u.vendor.id, u.role_label),
                        None => u.vendor.id.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        rows.push(vec![
            l.layer.as_str().to_string(),
            format!("w {}", f4(l.weight)),
            who,
            l.product.clone(),
            up,
        ]);
    }
    grid(out, "  ", &rows, &[]);
    if d.flags.is_empty() {
        out.push_str("  flags: none\n");
    } else {
        out.push_str("  flags:\n");
        let rows: Vec<Vec<String>> = d
            .flags
            .iter()
            .map(|f| vec![f.code.as_str().to_string(), f.message.clone()])
            .collect();
        grid(out, "    ", &rows, &[]);
    }
    let dp = &d.dpia;
    let met = dp.met();
    let _ = writeln!(
        out,
        "  DPIA screening: {}: {}{}",
        dp.outcome.as_str(),
        dp.rule,
        if met.is_empty() {
            String::new()
        } else {
            format!("; met: {}", met.join(" "))
        }
    );
    let mut rows = Vec::new();
    for c in &dp.criteria {
        if !(c.met || explain) {
            continue;
        }
        rows.push(vec![
            c.code.to_string(),
            if c.met { "met" } else { "not met" }.to_string(),
            c.reason.clone(),
        ]);
        if explain && let Some(r) = &c.review {
            rows.push(vec![String::new(), "review".into(), r.clone()]);
        }
    }
    if explain {
        for m in &dp.mandatory {
            rows.push(vec![
                m.code.to_string(),
                if m.met { "applies" } else { "no" }.to_string(),
                m.reason.clone(),
            ]);
        }
    }
    grid(out, "    ", &rows, &[]);
    if !explain {
        let review: Vec<&str> = dp
            .criteria
            .iter()
            .filter(|c| !c.met && c.review.is_some())
            .map(|c| c.code)
            .collect();
        if !review.is_empty() {
            let _ = writeln!(out, "    to review: {} (see --explain)", review.join(" "));
        }
    }
    if !dp.transfers.is_empty() {
        let t = dp
            .transfers
            .iter()
            .map(|t| match &t.operator {
                Some(op) => format!("{} of {op} ({})", t.destination, t.region),
                None => format!("{} ({})", t.destination, t.region),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(out, "  outside the EEA (Chapter V check): {t}");
    }
    for u in &d.undeclared {
        let _ = writeln!(
            out,
            "  not declared: {} (ask the {}; affects {})",
            u.what,
            u.ask.as_str(),
            u.affects.join(", ")
        );
        if explain {
            let _ = writeln!(out, "    {} in {}: {}", u.pointer, u.file, u.question);
        }
    }
    if explain {
        out.push_str("  workings:\n");
        explain_lines(out, "    ", &d.concentration.explain);
    }
}

fn slice_text(s: &FleetSlice) -> String {
    let groups = s
        .by_group
        .iter()
        .map(|g| {
            format!(
                "{} {} ({})",
                strata::escape::terminal(&g.name),
                f4(g.share),
                g.devices.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "{} of weight, {} of units{}",
        f4(s.share),
        f4(s.unit_share),
        if groups.is_empty() {
            String::new()
        } else {
            format!(": {groups}")
        }
    )
}

fn fleet(out: &mut String, a: &FleetAnalysis, explain: bool) {
    let f = &a.fleet;
    out.push_str("\nFLEET (each device weighted by units × criticality)\n");
    let mut rows = vec![
        ["layer", "devices", "HHI", "shares"]
            .map(String::from)
            .to_vec(),
    ];
    for l in &f.layers {
        rows.push(vec![
            l.layer.as_str().to_string(),
            l.devices.to_string(),
            format!("{:.1}", l.hhi),
            l.shares
                .iter()
                .map(|s| format!("{} {}", strata::escape::terminal(&s.name), f4(s.share)))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    grid(out, "  ", &rows, &[1, 2]);
    let pooled = f
        .pooled
        .iter()
        .map(|s| format!("{} {}", strata::escape::terminal(&s.name), f4(s.share)))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = vec![
        vec!["pooled exposure".to_string(), pooled],
        vec![
            "fleet HHI".to_string(),
            format!("{:.1} (N_eff {})", f.hhi, f2(f.n_eff)),
        ],
        vec![
            format!(
                "single-vendor stacks (TOP ≥ {})",
                f2(a.method.thresholds.single_vendor_top)
            ),
            slice_text(&f.single_vendor_stacks),
        ],
        vec![
            "one vendor on os + model + services".to_string(),
            slice_text(&f.data_path_single_vendor),
        ],
        vec!["restricted exposure".to_string(), f4(f.restricted_exposure)],
    ];
    let mut rows = rows;
    if let Some(c) = &a.counts
        && !c.unlisted.is_empty()
    {
        let groups = c
            .unlisted
            .iter()
            .map(|u| format!("{} {}", strata::escape::terminal(&u.name), u.devices))
            .collect::<Vec<_>>()
            .join(", ");
        rows.insert(
            1,
            vec![
                "  of which on no approved stack".to_string(),
                format!("{groups} (devices, each whole under its group)"),
            ],
        );
    }
    grid(out, "  ", &rows, &[]);
    if explain {
        out.push_str("  workings:\n");
        explain_lines(out, "    ", &f.explain);
    }
}

/// Hits grouped by what matched, with the devices they were found in.
fn grouped<'a>(
    a: &'a FleetAnalysis,
    pick: impl Fn(&'a DeviceAnalysis) -> &'a [DeviceHit],
) -> Vec<(String, Vec<&'a str>)> {
    let mut by: BTreeMap<(&str, &str, &str), (String, Vec<&str>)> = BTreeMap::new();
    for d in &a.devices {
        for h in pick(d) {
            let e = by
                .entry((&h.hit.vendor, &h.hit.list, &h.hit.entity))
                .or_insert_with(|| (h.hit.summary.clone(), Vec::new()));
            if !e.1.contains(&d.id.as_str()) {
                e.1.push(&d.id);
            }
        }
    }
    by.into_values().collect()
}

fn lists(out: &mut String, a: &FleetAnalysis) {
    out.push_str("\nRESTRICTED LISTS (user-kept snapshots; only active entries restrict)\n");
    if !a.method.restricted_lists_screened {
        out.push_str("  not screened: no designations file\n");
        return;
    }
    let rows: Vec<Vec<String>> = a
        .lists
        .iter()
        .map(|l| {
            vec![
                l.id.clone(),
                format!("{} ({})", l.name, l.publisher),
                format!("snapshot {}", l.snapshot_date),
                format!(
                    "{} active, {} historical",
                    l.active_entries, l.historical_entries
                ),
            ]
        })
        .collect();
    grid(out, "  ", &rows, &[]);
    for (title, pick) in [
        (
            "active matches",
            (|d: &DeviceAnalysis| d.screening.active.as_slice())
                as fn(&DeviceAnalysis) -> &[DeviceHit],
        ),
        ("historical matches (context, not restrictions)", |d| {
            d.screening.historical.as_slice()
        }),
        ("possible matches (confirm by hand)", |d| {
            d.screening.possible.as_slice()
        }),
    ] {
        let hits = grouped(a, pick);
        if hits.is_empty() {
            let _ = writeln!(out, "  {title}: none");
            continue;
        }
        let _ = writeln!(out, "  {title}:");
        for (summary, devices) in hits {
            let _ = writeln!(out, "    {summary}");
            let _ = writeln!(out, "      in: {}", devices.join(", "));
        }
    }
}
