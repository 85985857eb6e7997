//! Hostile input: every evidence parser, fed deterministic mutations of the
//! real samples (bit flips, truncations, splices, length-byte edits), must
//! return a report or a malformed-input error, never panic. This runs on
//! stable in the ordinary test suite; the coverage-guided fuzz targets are
//! in `fuzz/` (cargo-fuzz, nightly).

use std::path::{Path, PathBuf};

use crate::common;
use strata::evidence::{self, Options};

fn samples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hw");
    let mut out = Vec::new();
    for e in walk(&root) {
        let name = e.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("LICENSE") && !name.ends_with(".md") && name != "index.json" {
            out.push(e);
        }
    }
    out.sort();
    out
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(d).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v
}

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(data: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut d = data.to_vec();
    if d.is_empty() {
        return d;
    }
    for _ in 0..=rng.below(3) {
        let n = d.len().max(1);
        match rng.below(6) {
            0 => {
                let i = rng.below(n);
                d[i] ^= 1 << rng.below(8);
            }
            1 => d.truncate(rng.below(n)),
            2 => {
                let i = rng.below(n);
                d[i] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff][rng.below(7)];
            }
            3 => {
                let (a, b) = (rng.below(n), rng.below(n));
                let (a, b) = (a.min(b), a.max(b));
                let chunk = d[a..b].to_vec();
                let at = rng.below(d.len());
                d.splice(at..at, chunk);
            }
            4 => {
                let (a, b) = (rng.below(n), rng.below(n));
                let (a, b) = (a.min(b), a.max(b));
                d.drain(a..b);
            }
            _ => {
                let i = rng.below(n);
                d.insert(i, rng.next() as u8);
            }
        }
        if d.is_empty() {
            break;
        }
    }
    d
}

#[test]
fn mutated_samples_never_panic() {
    let files = samples();
    assert!(files.len() > 40, "{}", files.len());
    let opts = Options {
        at: Some(common::midnight("2025-01-01")),
        ..Options::default()
    };
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut runs = 0usize;
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let kind = evidence::detect(&data);
        for _ in 0..60 {
            let m = mutate(&data, &mut rng);
            let _ = evidence::detect(&m);
            if let Some(k) = kind {
                let _ = evidence::inspect_bytes(&m, k, &opts);
            }
            runs += 1;
        }
        // Every kind on the unmutated file too (wrong-kind input).
        for k in evidence::INSPECTABLE {
            let _ = evidence::inspect_bytes(&data, *k, &opts);
        }
    }
    assert!(runs > 2000);
}
