//! `strata assemble`: stack manifests and evidence → CycloneDX BOMs.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::assemble::{self, AssembleOptions, OutputFormat};
use strata::diag::{Error, ExitStatus, Result};
use strata::fsutil;
use strata::sigstore::keys;
use strata::sigstore::sign::{self, Signer};

use crate::args::{self, FleetOpt, Format, Formats};
use crate::output;

/// Assemble device stack manifests and their evidence into CycloneDX 1.5
/// attestations.
///
/// Evidence files and directories are hashed (SHA-256, in parallel,
/// streaming); vendor SBOMs and hardware evidence are parsed and recorded.
/// The output is deterministic: the same inputs give byte-identical BOMs,
/// with a serial number derived from the content and no timestamp unless
/// `--timestamp` is given.
///
/// A STACK may be a directory: every `*.yaml` in it is assembled. `-`
/// reads one stack manifest from standard input (within the 64 MiB limit of
/// a file); its evidence paths are relative to the fleet, given with --fleet
/// or found from the current directory.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata assemble examples/stacks/pixel-9-pro.yaml
  strata assemble examples/stacks/pixel-9-pro.yaml -o pixel.cdx.json
  strata assemble examples/stacks --out-dir attestations
  strata assemble stacks/laptop.yaml --format xml --timestamp 2026-11-25T00:00:00Z
  strata assemble stacks/laptop.yaml --fleet ../shared-fleet -o laptop.cdx.json
  yq '.layers.os.version = \"16\"' stacks/laptop.yaml | strata assemble - -o laptop.cdx.json
  strata assemble examples/stacks --out-dir attestations \\
      --sign examples/keys/demo-signing-key.pem",
    mut_arg("fleet", |a| a.help("The fleet: a directory holding vendors.yaml, or any directory below one; found by walking up from each stack when omitted")))]
pub struct AssembleArgs {
    /// Stack manifests (YAML), directories of them, or `-` for one on
    /// standard input.
    #[arg(required = true, value_name = "STACK")]
    stacks: Vec<PathBuf>,
    /// Write the BOM here instead of stdout (one stack only).
    #[arg(short, long, value_name = "OUT", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Write each BOM to DIR/<device-id>/bom.cdx.json (or .xml).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Output encoding: a CycloneDX BOM as JSON or XML.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Json, value_parser = Formats::new(&[Format::Json, Format::Xml]))]
    format: Format,
    /// Record a timestamp in metadata (RFC 3339; `now` for the current time).
    /// Without it the BOM has none and is reproducible.
    #[arg(long, value_name = "TIME")]
    timestamp: Option<String>,
    #[command(flatten)]
    fleet: FleetOpt,
    /// Deprecated spelling of --fleet.
    #[arg(long, value_name = "DIR", hide = true, conflicts_with = "fleet")]
    root: Option<PathBuf>,
    /// Also sign each BOM with this ECDSA P-256 key (as `strata sign --key`),
    /// writing bom.sigstore.json next to bom.cdx.json. JSON only; needs
    /// --out-dir or -o.
    #[arg(long, value_name = "KEY.pem")]
    sign: Option<PathBuf>,
}

/// Expand directories into their `*.yaml` files, sorted.
pub fn expand_stacks(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "no *.yaml stack manifests in {}",
                    p.display()
                )));
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn timestamp(arg: Option<&str>, clock: strata::clock::Time) -> Result<Option<String>> {
    match arg {
        None => Ok(None),
        Some("now") => Ok(Some(clock.to_string())),
        Some(t) => strata::clock::Time::parse(t)
            .map(|_| Some(t.to_string()))
            .map_err(|e| Error::Usage(format!("--timestamp `{t}` is not RFC 3339: {e}"))),
    }
}

/// Run `strata assemble`.
pub fn run(args: AssembleArgs) -> Result<ExitStatus> {
    if args.stacks.len() > 1 && args.stacks.iter().any(|s| fsutil::is_stdin(s)) {
        return Err(Error::Usage(
            "`-` (standard input) is assembled on its own: give it as the only STACK".into(),
        ));
    }
    let stacks = expand_stacks(&args.stacks)?;
    if stacks.len() > 1 && args.out_dir.is_none() {
        return Err(Error::Usage("several stacks need --out-dir DIR".into()));
    }
    let format = match args.format {
        Format::Xml => OutputFormat::Xml,
        _ => OutputFormat::Json,
    };
    let fleet = args::or_deprecated(
        args.fleet.fleet.clone(),
        args.root.clone(),
        "--root",
        "--fleet",
    );
    let root = match fleet {
        Some(dir) => Some(strata::fleet::Fleet::discover(&dir)?.root),
        None => None,
    };
    let signer = match &args.sign {
        None => None,
        Some(_) if matches!(format, OutputFormat::Xml) => {
            return Err(Error::Usage(
                "--sign signs JSON BOMs; drop --format xml".into(),
            ));
        }
        Some(_) if args.out_dir.is_none() && args.output.is_none() => {
            return Err(Error::Usage("--sign needs --out-dir DIR or -o OUT".into()));
        }
        Some(key) => Some(Signer::Key(keys::load_signing_key(key)?)),
    };
    let clock = crate::args::wall_clock();
    let timestamp = timestamp(args.timestamp.as_deref(), clock)?;
    let progress = crate::progress::TerminalProgress::if_terminal();
    let opts = AssembleOptions {
        root: root.as_deref(),
        timestamp: timestamp.as_deref(),
        now: clock.timestamp(),
        progress: progress
            .as_ref()
            .map(|p| p as &dyn strata::hashing::Progress),
    };
    // Assemble everything first so that nothing is written when any stack fails.
    let mut done = Vec::new();
    for s in &stacks {
        let a = assemble::assemble(s, &opts)?;
        output::report_diagnostics(&a.warnings);
        let bytes = assemble::render(&a.bom, format)?;
        done.push((a.device_id, bytes));
    }
    let ext = match format {
        OutputFormat::Json => "json",
        OutputFormat::Xml => "xml",
    };
    for (id, bytes) in done {
        let written = match (&args.out_dir, &args.output) {
            (Some(dir), _) => {
                let path = dir.join(&id).join(format!("bom.cdx.{ext}"));
                fsutil::write_atomic(&path, &bytes)?;
                output::status(&format!("assembled {id} -> {}", path.display()));
                Some(path)
            }
            (None, Some(out)) => {
                fsutil::write_atomic(out, &bytes)?;
                Some(out.clone())
            }
            (None, None) => {
                output::stdout(&bytes).map_err(|e| Error::io(Path::new("<stdout>"), e))?;
                None
            }
        };
        if let (Some(signer), Some(bom)) = (&signer, written) {
            let signed = sign::sign_bytes(&bom, &bytes, signer)?;
            let out = sign::default_output(&bom);
            fsutil::write_atomic(&out, &signed.bundle_json)?;
            output::status(&format!("signed {id} -> {}", out.display()));
        }
    }
    Ok(ExitStatus::Success)
}
