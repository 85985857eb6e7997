//! `strata hash PATH...`: hash evidence files and directories the way
//! `strata assemble` and OpenSSF model-signing do.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;
use strata::diag::{Error, ExitStatus, Result};
use strata::hashing::{self, HashOptions, Kind, Mode, StderrProgress};

use crate::output;

/// Output format of `strata hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HashFormat {
    /// `sha256:HEX  PATH` lines, like sha256sum.
    Text,
    /// One JSON object per path with every resource.
    Json,
}

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
  strata hash --shard-size 1073741824 big-model/     # model-signing sha256-sharded mode")]
pub struct HashArgs {
    /// Files or directories to hash.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HashFormat::Text)]
    format: HashFormat,
    /// Also print every file (text) or include them (JSON).
    #[arg(long)]
    list: bool,
    /// Follow symbolic links instead of refusing them.
    #[arg(long)]
    allow_symlinks: bool,
    /// Leave out a path relative to the directory (component prefix match);
    /// repeatable.
    #[arg(long, value_name = "PATH")]
    ignore: Vec<String>,
    /// Do not ignore `.git`, `.gitattributes`, `.github` and `.gitignore`.
    #[arg(long)]
    no_ignore_git: bool,
    /// Cut files into shards of this many bytes (model-signing's
    /// `sha256-sharded-N` serialization).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    shard_size: Option<u64>,
}

/// Run `strata hash`.
pub fn run(args: HashArgs) -> Result<ExitStatus> {
    let opts = HashOptions {
        allow_symlinks: args.allow_symlinks,
        root: None,
        ignore: args.ignore.clone(),
        ignore_git_paths: !args.no_ignore_git,
        mode: args.shard_size.map(Mode::Shards).unwrap_or(Mode::Files),
        only: None,
    };
    let mut text = String::new();
    let mut docs = Vec::new();
    for path in &args.paths {
        let label = path.display().to_string();
        let bar = StderrProgress::if_terminal(&label);
        let m = hashing::hash_tree_with_progress(
            path,
            &opts,
            bar.as_ref().map(|b| b as &dyn hashing::Progress),
        )?;
        match args.format {
            HashFormat::Text => {
                text.push_str(&format!("sha256:{}  {label}\n", m.hex_digest()));
                if args.list && (m.kind == Kind::Directory || args.shard_size.is_some()) {
                    for e in &m.entries {
                        text.push_str(&format!("  sha256:{}  {}\n", hex::encode(e.digest), e.name));
                    }
                }
            }
            HashFormat::Json => {
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
    if args.format == HashFormat::Json {
        let doc = json!({"backend": hashing::sha_backend(), "results": docs});
        text = strata::diag::to_json_pretty(&doc)? + "\n";
    }
    output::stdout(text.as_bytes()).map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))?;
    Ok(ExitStatus::Success)
}
