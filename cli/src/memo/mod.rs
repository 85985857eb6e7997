//! `memo`: DPIA and procurement memos rendered from the evidence with
//! minijinja templates.
//!
//! The templates live in `templates/` and are embedded in the binary; a
//! directory given with `template_dir` overrides them file by file. Every
//! interpolated value is escaped for the template's medium by
//! [`crate::escape`]: `.md` templates with [`crate::escape::markdown`] (no
//! heading, link, tag or table cell can start inside a value; `cell` is
//! kept as a no-op alias for templates that name it), `.html` ones with
//! [`markup::html`] ([`crate::escape::html`]: tags and quotes as entities,
//! control and bidi characters made visible; then backtick pairs as
//! `<code>`, dates kept on one line; the base template isolates cells, list
//! items and headings with `unicode-bidi: isolate`). Figures are printed in
//! one format per quantity ([`figures`]); charts use one colour per vendor
//! group for the whole document ([`chart`]). Values a template marks
//! `safe` (the built chart) are written as they are. The
//! context ([`context::DeviceContext`] plus shared keys) is documented in
//! `templates/CONTEXT.md`; errors in a template are reported with its name
//! and line.

pub mod assurance;
pub mod chart;
pub mod cited;
pub mod context;
pub mod figures;
pub mod finalcheck;
pub mod markup;
pub mod procurement;
pub mod riskmap;

use finalcheck::missing_sections;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};
use serde_json::{Value, json};

use crate::clock::{Date, Time, Timestamp};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::fleet::Fleet;
use crate::model::{self, Answers, FileKind, Stack};
use crate::report;

/// Which memo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoKind {
    /// GDPR Art. 35 DPIA draft for one device.
    Dpia,
    /// Procurement memo for one device.
    Procurement,
    /// Procurement memo summarising every device of the fleet.
    Fleet,
}

impl MemoKind {
    fn stem(self) -> &'static str {
        match self {
            MemoKind::Dpia => "dpia",
            MemoKind::Procurement => "procurement",
            MemoKind::Fleet => "fleet",
        }
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoFormat {
    /// GitHub-flavoured Markdown.
    Markdown,
    /// Self-contained, print-ready HTML.
    Html,
}

impl MemoFormat {
    fn ext(self) -> &'static str {
        match self {
            MemoFormat::Markdown => "md",
            MemoFormat::Html => "html",
        }
    }
}

/// Options for [`render`] and [`context`].
#[derive(Debug, Clone)]
pub struct MemoOptions {
    /// Which memo.
    pub kind: MemoKind,
    /// Markdown or HTML.
    pub format: MemoFormat,
    /// Directory whose files override the built-in templates by name.
    pub template_dir: Option<PathBuf>,
    /// The answers files. A device memo takes at most one (for its
    /// device). The fleet memo takes one per device (each naming its
    /// `device`; it applies to that device only) and at most one without a
    /// `device` for the fleet memo's own document control, options,
    /// residual-risk acceptance and sign-off.
    pub answers: Vec<PathBuf>,
    /// Refuse to render while a required section is unanswered.
    pub final_: bool,
    /// The memo's date (also judges policy exceptions).
    pub date: Date,
    /// The instant signatures are verified at.
    pub now: Timestamp,
    /// Weigh devices by the devices the policy's inventories see in use.
    pub observed: bool,
    /// The time inventory records are judged stale against.
    pub as_of: Time,
    /// Bindings of earlier final memos to cite in the evidence register.
    pub cite: Vec<PathBuf>,
}

/// The built-in templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    ("macros.md", include_str!("../../../templates/macros.md")),
    (
        "macros.html",
        include_str!("../../../templates/macros.html"),
    ),
    ("dpia.md", include_str!("../../../templates/dpia.md")),
    ("dpia.html", include_str!("../../../templates/dpia.html")),
    (
        "procurement.md",
        include_str!("../../../templates/procurement.md"),
    ),
    (
        "procurement.html",
        include_str!("../../../templates/procurement.html"),
    ),
    ("fleet.md", include_str!("../../../templates/fleet.md")),
    ("fleet.html", include_str!("../../../templates/fleet.html")),
];

/// Largest answers file hashed into a final memo's sidecar.
const ANSWERS_LIMIT: u64 = 16 << 20;

/// The result of rendering: the text, or what is missing for `--final`.
#[derive(Debug, Clone)]
pub enum Rendered {
    /// The memo (a draft).
    Text(String),
    /// A final memo and its document version; write [`binding`] beside it.
    Final {
        /// The memo.
        text: String,
        /// The document's version from the answers.
        version: String,
    },
    /// `--final` refused: the unanswered required sections.
    Incomplete(Vec<Diagnostic>),
}

fn empty_answers() -> Answers {
    Answers {
        version: 1,
        ..Answers::default()
    }
}

/// The answers of a memo: the document's own, and each device's.
#[derive(Debug, Default)]
struct AnswerSet {
    /// For the document (a device memo: its device's answers).
    common: Answers,
    /// Per device id.
    devices: BTreeMap<String, Answers>,
    /// Where each device's answers came from, to locate their errors.
    device_files: BTreeMap<String, model::Loaded<()>>,
    /// Where the document's own answers came from, to locate what
    /// `--final` finds missing.
    common_file: Option<model::Loaded<()>>,
}

/// The file and source positions of a loaded answers file, without its value.
fn located(l: &model::Loaded<Answers>) -> model::Loaded<()> {
    model::Loaded {
        value: (),
        raw: l.raw.clone(),
        spans: l.spans.clone(),
        path: l.path.clone(),
    }
}

/// Give each diagnostic the file and position of its answers pointer in
/// `file` (unchanged when there is no file).
fn locate(file: Option<&model::Loaded<()>>, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    match file {
        Some(f) => diags
            .into_iter()
            .map(|d| {
                let ptr = d.pointer.clone().unwrap_or_default();
                f.diag_at(d, &ptr)
            })
            .collect(),
        None => diags,
    }
}

impl AnswerSet {
    fn for_device(&self, id: &str) -> Answers {
        self.devices.get(id).cloned().unwrap_or_else(empty_answers)
    }
}

fn load_answers(paths: &[PathBuf], device: Option<&str>, known: &[&str]) -> Result<AnswerSet> {
    let mut set = AnswerSet {
        common: empty_answers(),
        devices: BTreeMap::new(),
        device_files: BTreeMap::new(),
        common_file: None,
    };
    let mut common_from: Option<&Path> = None;
    for path in paths {
        let loaded = model::load::<Answers>(path, FileKind::Answers)?;
        let named = loaded.value.device.clone();
        if let Some(want) = device {
            if let Some(got) = named.as_deref().filter(|got| *got != want) {
                return Err(Error::invalid(
                    loaded.diag_at(
                        Diagnostic::error(
                            Code::AnswersDeviceMismatch,
                            format!("the answers are for `{got}`, not `{want}`"),
                        )
                        .help("pass the answers file of this device"),
                        "/device",
                    ),
                ));
            }
            set.devices.insert(want.to_string(), loaded.value.clone());
            set.device_files.insert(want.to_string(), located(&loaded));
            set.common_file = Some(located(&loaded));
            set.common = loaded.value;
            continue;
        }
        match named {
            Some(id) => {
                if !known.contains(&id.as_str()) {
                    let mut d = Diagnostic::error(
                        Code::UnknownDevice,
                        format!("the answers are for `{id}`, which is not in the fleet"),
                    );
                    d = match model::suggest(&id, known) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!("devices: {}", known.join(", "))),
                    };
                    return Err(Error::invalid(loaded.diag_at(d, "/device")));
                }
                if set.devices.contains_key(&id) {
                    return Err(Error::invalid(
                        loaded.diag_at(
                            Diagnostic::error(
                                Code::AnswersDeviceMismatch,
                                format!("a second answers file for `{id}`"),
                            )
                            .help("pass one answers file per device"),
                            "/device",
                        ),
                    ));
                }
                set.device_files.insert(id.clone(), located(&loaded));
                set.devices.insert(id, loaded.value);
            }
            None => {
                let v = &loaded.value;
                let per_device = [
                    ("/risks", !v.risks.is_empty()),
                    ("/extra-risks", !v.extra_risks.is_empty()),
                    ("/measures", !v.measures.is_empty()),
                    ("/conditions", !v.conditions.is_empty()),
                ];
                if let Some((ptr, _)) = per_device.iter().find(|(_, set)| *set) {
                    return Err(Error::invalid(
                        loaded.diag_at(
                            Diagnostic::error(
                                Code::AnswersDeviceMismatch,
                                format!(
                                    "`{}` is a device's answer, but this answers file names no `device`",
                                    ptr.trim_start_matches('/')
                                ),
                            )
                            .help("add `device: ID` so the answers apply to that device only; the fleet memo's own file holds document, options, residual-acceptance and sign-off"),
                            ptr,
                        ),
                    ));
                }
                if let Some(first) = common_from {
                    return Err(Error::invalid(
                        loaded.diag_at(
                            Diagnostic::error(
                                Code::AnswersDeviceMismatch,
                                format!(
                                    "a second answers file without `device` (the first is {})",
                                    first.display()
                                ),
                            )
                            .help("the fleet memo takes one answers file of its own and one per device"),
                            "",
                        ),
                    ));
                }
                common_from = Some(path);
                set.common_file = Some(located(&loaded));
                set.common = loaded.value;
            }
        }
    }
    Ok(set)
}

/// Add the workings (`--explain` lines: weights and their renormalisation,
/// every share, H, H_min, VCI, N_eff, the fleet's pooled shares) to the
/// analysis the memo reports, from a second run of the same analysis with
/// workings on; a figure that differs between the two runs is a defect.
fn with_workings(
    fleet: &Fleet,
    analysis: &mut crate::analyze::FleetAnalysis,
    observed: Option<&crate::analyze::observed::Observed>,
) -> Result<()> {
    let explained = crate::analyze::analyze(
        fleet,
        &crate::analyze::AnalyzeOptions {
            explain: true,
            observed: observed.cloned(),
            ..Default::default()
        },
    )?;
    let mismatch = || {
        Error::internal(
            "the memo's workings do not match its figures",
            "the analysis with workings gave other figures",
        )
    };
    if explained.devices.len() != analysis.devices.len() {
        return Err(mismatch());
    }
    for (d, e) in analysis.devices.iter_mut().zip(explained.devices) {
        let mut c = e.concentration;
        let lines = std::mem::take(&mut c.explain);
        if d.id != e.id || c != d.concentration {
            return Err(mismatch());
        }
        d.concentration.explain = lines;
    }
    let mut f = explained.fleet;
    let lines = std::mem::take(&mut f.explain);
    if f != analysis.fleet {
        return Err(mismatch());
    }
    analysis.fleet.explain = lines;
    Ok(())
}

/// Build the template context: one device, or the whole fleet for
/// [`MemoKind::Fleet`]. Also returns the per-device contexts for `--final`.
fn build(
    root: &Path,
    device: Option<&str>,
    opts: &MemoOptions,
) -> Result<(Value, Vec<context::DeviceContext>, AnswerSet)> {
    let fleet = Fleet::open(root)?;
    let mut r = report::report_with(
        &fleet.root,
        opts.date,
        opts.now,
        &report::ReportOptions {
            observed: opts.observed,
            as_of: opts.as_of,
        },
    )?;
    with_workings(&fleet, &mut r.analysis, r.observed.as_ref())?;
    let known: Vec<&str> = r.analysis.devices.iter().map(|d| d.id.as_str()).collect();
    let answers = load_answers(&opts.answers, device, &known)?;
    // One colour per vendor group for the whole document, as in the report.
    let colours = report::GroupColours::for_fleet(&r.analysis);
    let cited = cited::load(&opts.cite)?;
    let shared = context::Shared {
        analysis: &r.analysis,
        calendar: r.calendar.as_ref(),
        today: opts.date,
        colours: &colours,
        vendors: Some(&fleet.vendors.value),
        expected_lists: &r.expected_lists,
        cited: &cited,
    };
    let mut contexts = Vec::new();
    for (d, status) in r.analysis.devices.iter().zip(&r.devices) {
        if device.is_some_and(|want| want != d.id) {
            continue;
        }
        let stack: Stack = model::load::<Stack>(&fleet.root.join(&d.stack), FileKind::Stack)?.value;
        let device_answers = answers.for_device(&d.id);
        let ctx = context::device_context(stack, d, status, &device_answers, &shared);
        // Measures that treat a risk the register lacks, or a residual
        // score above the inherent one: the answers are wrong, not
        // incomplete.
        let wrong = crate::decision::risks::check(&ctx.risks, &device_answers);
        if !wrong.is_empty() {
            return Err(Error::Invalid(locate(
                answers.device_files.get(&d.id),
                wrong,
            )));
        }
        contexts.push(ctx);
    }
    if let Some(want) = device
        && contexts.is_empty()
    {
        let mut d = Diagnostic::error(
            Code::UnknownDevice,
            format!("no device `{want}` in the fleet"),
        );
        d = match model::suggest(want, &known) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("devices: {}", known.join(", "))),
        };
        return Err(Error::invalid(d));
    }
    let common = context::common(
        &r.analysis,
        &answers.common,
        &opts.date.to_string(),
        opts.final_,
    );
    let mut value = match contexts.as_slice() {
        [one] if opts.kind != MemoKind::Fleet => context::to_value(one, &common)?,
        many => {
            let mut v = common.clone();
            v["devices"] = Value::Array(
                many.iter()
                    .map(|c| context::to_value(c, &json!({})))
                    .collect::<Result<Vec<_>>>()?,
            );
            v["gate"] = serde_json::to_value(&r.gate)
                .map_err(|e| Error::internal("cannot serialise the gate report", e))?;
            // Only when the policy names inventories, so other fleets'
            // contexts stay as they were.
            if let Some(seen) = &r.seen_not_approved {
                v["seen_not_approved"] = seen_context(seen)?;
            }
            v["fleet_chart_svg"] = Value::String(chart::fleet_chart(&r.analysis.fleet, &colours));
            v["legend"] = serde_json::to_value(chart::legend(
                &colours,
                colours.groups().iter().map(|(id, _)| id.as_str()),
            ))
            .map_err(|e| Error::internal("cannot serialise the legend", e))?;
            v
        }
    };
    value["sign_off"] = serde_json::to_value(finalcheck::sign_off(opts.kind, &answers.common))
        .map_err(|e| Error::internal("cannot serialise the sign-off", e))?;
    Ok((value, contexts, answers))
}

/// The "seen but not approved" section for the fleet memo: the data, and
/// the section as the report renders it (`intro`, `tables` with `label`,
/// `headers`, `right` and `rows`, `restricted` with `label` and `lines`).
fn seen_context(seen: &crate::inventory::SeenNotApproved) -> Result<Value> {
    let sec = report::seen::section(seen);
    let mut v = serde_json::to_value(seen)
        .map_err(|e| Error::internal("cannot serialise the inventories", e))?;
    v["title"] = json!(report::seen::TITLE);
    v["intro"] = json!(sec.intro);
    v["tables"] = Value::Array(
        sec.tables
            .iter()
            .map(|(label, t)| {
                json!({"label": label, "headers": t.headers, "right": t.right, "rows": t.rows})
            })
            .collect(),
    );
    v["restricted_lines"] = json!({"label": sec.restricted.0, "lines": sec.restricted.1});
    Ok(v)
}

/// The context a template would receive, as JSON.
pub fn context(root: &Path, device: Option<&str>, opts: &MemoOptions) -> Result<Value> {
    Ok(build(root, device, opts)?.0)
}

fn template_error(e: &minijinja::Error, dir: Option<&Path>) -> Error {
    let name = e.name().unwrap_or("template");
    let file = match dir {
        Some(d) if d.join(name).is_file() => d.join(name),
        _ => PathBuf::from(format!("templates/{name} (built in)")),
    };
    let mut d = Diagnostic::error(
        Code::TemplateError,
        e.detail()
            .map(str::to_string)
            .unwrap_or_else(|| e.kind().to_string()),
    )
    .in_file(&file)
    .help(format!("template `{name}`: {}", e.kind()));
    if let Some(line) = e.line() {
        d = d.at(Some(crate::diag::Position { line, column: 1 }));
    }
    Error::invalid(d)
}

/// An environment with the built-in templates, overridden from `dir`.
pub fn environment(dir: Option<&Path>) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    // One escaping layer per medium, for every interpolated value: a vendor
    // named `<script>`, `[x](javascript:...)`, "\n# Heading" or with a bidi
    // override stays visible text wherever the memo is rendered.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".md") {
            minijinja::AutoEscape::Custom("markdown".into())
        } else if name.ends_with(".html") {
            minijinja::AutoEscape::Custom("html".into())
        } else {
            minijinja::default_auto_escape_callback(name)
        }
    });
    env.set_formatter(|out, state, value| {
        let medium = match state.auto_escape() {
            minijinja::AutoEscape::Custom(n) if !value.is_safe() => n,
            _ => return minijinja::escape_formatter(out, state, value),
        };
        let text = value.to_string();
        let escaped = match medium.as_ref() {
            "markdown" => crate::escape::markdown(&text),
            _ => markup::html(&text),
        };
        out.write_str(&escaped).map_err(minijinja::Error::from)
    });
    // Formerly the Markdown cell escaper; every value is escaped now.
    env.add_filter("cell", |v: minijinja::Value| v);
    // An optional fact is yes, no or not declared; an undeclared one is
    // never printed as "no".
    env.add_filter("declared", |v: &minijinja::Value| {
        if v.is_undefined() || v.is_none() {
            "not declared"
        } else if v.is_true() {
            "yes"
        } else {
            "no"
        }
    });
    env.add_filter("count", |n: u64, noun: String| {
        crate::table::count(n, &noun)
    });
    // Escaping only, no markup: for the title, the running footer (inside
    // CSS) and attributes, where `<code>` or a span cannot go.
    env.add_filter(
        "plain",
        |state: &minijinja::State<'_, '_>, v: minijinja::Value| {
            let text = v.to_string();
            minijinja::Value::from_safe_string(match state.auto_escape() {
                minijinja::AutoEscape::Custom(m) if m == "markdown" => {
                    crate::escape::markdown(&text)
                }
                _ => markup::plain(&text),
            })
        },
    );
    // One number format per quantity (figures.rs).
    env.add_filter("percent", |v: minijinja::Value| {
        number(&v, figures::percent)
    });
    env.add_filter("hhi", |v: minijinja::Value| number(&v, figures::hhi));
    env.add_filter("index", |v: minijinja::Value| number(&v, figures::index));
    env.add_filter("scale", |n: u8| {
        crate::decision::risks::SCALE
            .get(usize::from(n).saturating_sub(1))
            .copied()
            .unwrap_or("?")
    });
    for (name, builtin) in TEMPLATES {
        // A template present in the directory is read through the guarded
        // open (a FIFO or device there is an error, never a hang); an absent
        // one falls back to the built-in.
        let present = |p: &std::path::PathBuf| std::fs::symlink_metadata(p).is_ok();
        let source = match dir.map(|d| d.join(name)).filter(present) {
            Some(p) => crate::fsutil::read_text(&p)?,
            None => builtin.to_string(),
        };
        env.add_template_owned(name.to_string(), source)
            .map_err(|e| template_error(&e, dir))?;
    }
    Ok(env)
}

/// A figure formatted by `f`; an absent one (an undefined VCI) is
/// "undefined", anything else an error naming the value.
fn number(
    v: &minijinja::Value,
    f: fn(f64) -> String,
) -> std::result::Result<String, minijinja::Error> {
    if v.is_undefined() || v.is_none() {
        return Ok("undefined".into());
    }
    f64::try_from(v.clone()).map(f).map_err(|_| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("not a number: {v}"),
        )
    })
}

/// Render a memo for `device` (ignored for the fleet memo).
pub fn render(root: &Path, device: Option<&str>, opts: &MemoOptions) -> Result<Rendered> {
    let (value, contexts, answers) = build(root, device, opts)?;
    if opts.final_ {
        let missing: Vec<Diagnostic> = if opts.kind == MemoKind::Fleet {
            missing_sections(opts.kind, &answers.common, None)
        } else {
            contexts
                .iter()
                .flat_map(|c| missing_sections(opts.kind, &answers.common, Some(c)))
                .collect()
        };
        if !missing.is_empty() {
            return Ok(Rendered::Incomplete(locate(
                answers.common_file.as_ref(),
                missing,
            )));
        }
    }
    let env = environment(opts.template_dir.as_deref())?;
    let name = format!("{}.{}", opts.kind.stem(), opts.format.ext());
    let template = env
        .get_template(&name)
        .map_err(|e| template_error(&e, opts.template_dir.as_deref()))?;
    let text = template
        .render(minijinja::value::Serde(&value))
        .map_err(|e| template_error(&e, opts.template_dir.as_deref()))?;
    if opts.final_ {
        let version = answers.common.document.version.clone().unwrap_or_default();
        return Ok(Rendered::Final { text, version });
    }
    Ok(Rendered::Text(text))
}

/// Where the sidecar of the final memo at `path` goes: `path` + `.binding.json`.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".binding.json");
    PathBuf::from(s)
}

/// The sidecar that binds a final memo to its inputs: the SHA-256 of the
/// rendered file and of each answers file, with what the memo is. Paths are
/// written as given, so the same inputs give the same bytes.
pub fn binding(
    opts: &MemoOptions,
    device: Option<&str>,
    rendered_name: &str,
    rendered: &[u8],
    version: Option<&str>,
) -> Result<String> {
    let answers = opts
        .answers
        .iter()
        .map(|p| {
            Ok(json!({
                "path": p.display().to_string(),
                "sha256": crate::digest::Digest::of_file(p, ANSWERS_LIMIT)?.to_string(),
            }))
        })
        .collect::<Result<Vec<Value>>>()?;
    let v = json!({
        "version": 1,
        "kind": opts.kind.stem(),
        "device": device,
        "document-version": version,
        "date": opts.date.to_string(),
        "tool": format!("strata {}", env!("CARGO_PKG_VERSION")),
        "rendered": {
            "path": rendered_name,
            "sha256": crate::digest::Digest::of(rendered).to_string(),
        },
        "answers": answers,
    });
    Ok(crate::diag::to_json_pretty(&v)? + "\n")
}
