//! `strata attest`: a CycloneDX 1.6 declarations document (CDXA) per
//! device, beside its attestation.

use std::path::{Path, PathBuf};

use clap::Args;
use strata::attest::{self, AttestOptions};
use strata::clock::Time;
use strata::diag::{Error, ExitStatus, Result};
use strata::fsutil;
use strata::gate::GateOptions;
use strata::sigstore::keys;
use strata::sigstore::sign::{self, Signer};

use crate::args::{FleetOpt, NowArg};
use crate::output;

/// Write each device's verdicts as CycloneDX 1.6 attestations (CDXA):
/// declarations.cdx.json beside its bom.cdx.json.
///
/// The document carries the policy as a standard (one requirement per
/// enabled rule, review criterion and restricted list, and the WP248 DPIA
/// screening) and the declarations: the device and its layers as targets,
/// linked into the BOM by BOM-Link with the BOM's serial number, version and
/// SHA-256; claims about layers, evidence, concentration, lists, the
/// screening, the signature and the reviews; the evidence behind them;
/// strata and the reviewers as assessors; attestations mapping every
/// requirement to its claims with the conformance `strata gate` decides
/// (1 pass, 0 otherwise; an exception is the mitigation); and an
/// affirmation whose signatories are the reviewers whose approvals of the
/// current digest count.
///
/// The output is deterministic for a given --now. Sign it with --sign or
/// `strata sign` (any mode); `strata verify` and `strata validate` read it
/// as they read a BOM. Exit status: 0 written (whatever the gate decided:
/// run `strata gate` to fail CI), 2 bad input.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata attest --fleet examples
  strata attest pixel-9-pro --fleet examples --now 2026-12-01 -o -
  strata attest --fleet examples --sign examples/keys/demo-signing-key.pem
  strata attest --fleet examples --out-dir target/attestations --now 2026-12-01
  strata sign attestations/pixel-9-pro/declarations.cdx.json --keyless
  strata validate attestations/pixel-9-pro/declarations.cdx.json",
    mut_arg("now", |a| a.help("The evaluation time: recorded in the documents, and the day exceptions and reviews are judged on (YYYY-MM-DD or RFC 3339); now by default")))]
pub struct AttestArgs {
    /// Devices of the approved-device list (all when none is named).
    #[arg(value_name = "DEVICE")]
    devices: Vec<String>,
    #[command(flatten)]
    fleet: FleetOpt,
    /// The policy; FLEET/policy.yaml by default.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The approved-device list; FLEET/approved-devices.yaml by default.
    #[arg(long = "devices", value_name = "FILE")]
    devices_file: Option<PathBuf>,
    /// Write DIR/<device-id>/declarations.cdx.json instead of beside each
    /// BOM (put the BOM there too: the document is bound to it).
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    out_dir: Option<PathBuf>,
    /// Write the one device's document to OUT (`-` for stdout).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Also sign each document with this ECDSA P-256 key (as `strata sign
    /// --key`), writing declarations.sigstore.json beside it.
    #[arg(long, value_name = "KEY.pem")]
    sign: Option<PathBuf>,
    #[command(flatten)]
    now: NowArg,
}

/// Run `strata attest`.
pub fn run(args: AttestArgs) -> Result<ExitStatus> {
    let fleet = args.fleet.discover()?;
    let stdout = args.output.as_deref() == Some(Path::new("-"));
    let signer = match &args.sign {
        None => None,
        Some(_) if stdout => {
            return Err(Error::Usage(
                "--sign writes a bundle beside the document; give -o FILE, not -o -".into(),
            ));
        }
        Some(key) => Some(Signer::Key(keys::load_signing_key(key)?)),
    };
    let at = Time::from_timestamp(args.now.timestamp());
    let attested = attest::attest(
        &fleet.root,
        &AttestOptions {
            gate: GateOptions {
                policy: args.policy.clone(),
                devices: args.devices_file.clone(),
                today: at.date(),
                now: at.timestamp(),
                as_of: at,
            },
            at,
            only: args.devices.clone(),
        },
    )?;
    if args.output.is_some() && attested.declarations.len() != 1 {
        return Err(Error::Usage(format!(
            "-o writes one document and {} devices were attested; name one DEVICE",
            attested.declarations.len()
        )));
    }
    // Render everything first so that nothing is written when one fails.
    let mut done = Vec::new();
    for d in &attested.declarations {
        done.push((d, attest::render(&d.document)?));
    }
    for (d, bytes) in done {
        let path = match (&args.out_dir, &args.output) {
            (Some(dir), _) => dir.join(&d.device).join(strata::layout::DECLARATIONS_FILE),
            (None, Some(out)) if stdout => {
                let _ = out;
                output::stdout(&bytes).map_err(|e| Error::io(Path::new("<stdout>"), e))?;
                continue;
            }
            (None, Some(out)) => out.clone(),
            (None, None) => d.path.clone(),
        };
        fsutil::write_atomic(&path, &bytes)?;
        let (met, total) = conformance(&d.document);
        output::status(&format!(
            "attested {} -> {} ({met} of {total} requirements met)",
            d.device,
            path.display()
        ));
        if let Some(signer) = &signer {
            let signed = sign::sign_bytes(&path, &bytes, signer)?;
            let out = sign::default_output(&path);
            fsutil::write_atomic(&out, &signed.bundle_json)?;
            output::status(&format!("signed {} -> {}", d.device, out.display()));
        }
    }
    Ok(ExitStatus::Success)
}

/// Requirements strata's own attestation finds met, and all it maps.
fn conformance(doc: &strata::cdxa::Document) -> (usize, usize) {
    let map = doc
        .declarations
        .as_ref()
        .and_then(|d| d.attestations.first())
        .map(|a| a.map.as_slice())
        .unwrap_or_default();
    (
        map.iter().filter(|m| m.conformance.score >= 1.0).count(),
        map.len(),
    )
}
