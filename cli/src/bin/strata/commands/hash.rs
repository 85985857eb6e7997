//! `strata hash PATH...`: hash evidence files and directories the way
//! `strata assemble` and OpenSSF model-signing do.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use strata::diag::{ExitStatus, Result};
use strata::hashing::{self, HashOptions, Kind, Mode};

use crate::args::{Format, Formats, HashingArgs};
use crate::output;

/// `human` (`sha256:HEX  PATH` lines, like sha256sum; `text` before) or
/// `json` (one object per path with every resource).
const FORMATS: Formats =
    Formats::new(&[Format::Human, Format::Json]).with_deprecated(&[("text", Format::Human)]);

/// Hash evidence files and directories.
///
/// A file hashes to its SHA-256. A directory hashes to the SHA-256 of the
/// concatenated digests of its files sorted by path components, which is the
/// subject digest OpenSSF model-signing puts in its signatures. Files are
/// streamed (constant memory) and hashed in parallel on all cores; a
/// progress bar appears on stderr when it is a terminal.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  strata hash examples/evidence/pixel-9-pro/gemini-nano
  strata hash --list --format json model/
  strata hash model/ --ignore-paths checkpoints --no-ignore-git-paths
  strata hash --shard-size 1073741824 big-model/     # model-signing sha256-sharded mode")]
pub struct HashArgs {
    /// Files or directories to hash.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format: `sha256:HEX  PATH` lines like sha256sum, or JSON.
    #[arg(long, value_name = "FORMAT", default_value_t = Format::Human, value_parser = FORMATS)]
    format: Format,
    /// Also print every file (human) or include them (JSON).
    #[arg(long)]
    list: bool,
    #[command(flatten)]
    hashing: HashingArgs,
    /// Cut files into shards of this many bytes (model-signing's
    /// `sha256-sharded-N` serialization).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    shard_size: Option<u64>,
}

/// Run `strata hash`.
pub fn run(args: HashArgs) -> Result<ExitStatus> {
    let hashing = args.hashing.resolve();
    let opts = HashOptions {
        allow_symlinks: hashing.allow_symlinks,
        root: None,
        ignore: hashing.ignore_paths,
        ignore_git_paths: hashing.ignore_git_paths,
        mode: args.shard_size.map(Mode::Shards).unwrap_or(Mode::Files),
        only: None,
    };
    let mut text = String::new();
    let mut docs = Vec::new();
    let bar = crate::progress::TerminalProgress::if_terminal();
    for path in &args.paths {
        let label = path.display().to_string();
        let m = hashing::hash_tree_with_progress(
            path,
            &opts,
            bar.as_ref().map(|b| b as &dyn hashing::Progress),
        )?;
        match args.format {
            Format::Human => {
                text.push_str(&format!("sha256:{}  {label}\n", m.hex_digest()));
                if args.list && (m.kind == Kind::Directory || args.shard_size.is_some()) {
                    for e in &m.entries {
                        text.push_str(&format!("  sha256:{}  {}\n", hex::encode(e.digest), e.name));
                    }
                }
            }
            _ => {
                // JSON
                let mut doc = json!({
                    "path": label,
                    "kind": if m.kind == Kind::File { "file" } else { "directory" },
                    "sha256": m.hex_digest(),
                    "size": m.total_size(),
                    "files": m.entries.len(),
                });
                if args.list {
                    doc["resources"] = m
                        .entries
                        .iter()
                        .map(|e| json!({"name": e.name, "size": e.size, "sha256": hex::encode(e.digest)}))
                        .collect();
                }
                docs.push(doc);
            }
        }
    }
    if args.format == Format::Json {
        let doc = json!({"backend": hashing::sha_backend(), "results": docs});
        text = strata::outputs::to_json(&doc)?;
    }
    output::emit(args.format, text.as_bytes())?;
    Ok(ExitStatus::Success)
}
