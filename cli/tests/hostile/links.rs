//! Reading inside the fleet: every component of an evidence path, an
//! `artifact:`, a model directory, a `trust:` file and the Uptane
//! `root.json` found beside metadata is resolved without following
//! symbolic links, and a FIFO or device there is refused before it is
//! opened. Nothing outside the fleet is read, and no outside file name
//! reaches the output.

use std::os::unix::fs::symlink;
use std::path::Path;

use super::{Run, add_evidence, mkfifo};
use crate::common::{example_fleet, repo};

/// The name of a file only the outside directory holds: it must never
/// appear in strata's output.
const SECRET: &str = "outside-secret-weights.bin";

fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("model")).unwrap();
    std::fs::write(dir.path().join("model").join(SECRET), b"weights").unwrap();
    std::fs::write(dir.path().join("secret.bin"), b"secret").unwrap();
    dir
}

/// Assemble `stack`, asserting no outside name leaked.
fn assemble(fleet: &Path, stack: &str) -> Run {
    let r = super::assemble(fleet, stack);
    assert!(
        !r.stdout.contains(SECRET) && !r.stderr.contains(SECRET),
        "an outside file name leaked: {}",
        r.text()
    );
    r
}

#[test]
fn links_anywhere_below_the_fleet_are_refused() {
    let out = outside();
    // An evidence file behind an intermediate directory that links out.
    let fleet = example_fleet();
    let f = fleet.path();
    symlink(out.path(), f.join("evidence/out")).unwrap();
    add_evidence(
        f,
        "pixel-9-pro",
        "      - {kind: file, path: evidence/out/secret.bin}\n",
    );
    assemble(f, "pixel-9-pro").refused("symlink-refused");

    // A model-signing `artifact:` directory whose parent links out: the walk
    // never starts, so the outside names cannot leak into a warning.
    let fleet = example_fleet();
    let f = fleet.path();
    symlink(out.path(), f.join("evidence/out")).unwrap();
    let p = f.join("stacks/xiaomi-15s-pro-cn.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text.replacen(
        "        path: evidence/xiaomi-15s-pro-cn/mimo.model.sig\n",
        "        path: evidence/xiaomi-15s-pro-cn/mimo.model.sig\n        artifact: evidence/out/model\n",
        1,
    );
    std::fs::write(&p, text).unwrap();
    assemble(f, "xiaomi-15s-pro-cn").refused("symlink-refused");

    // A `trust: {key: ...}` file that is a link (to a copy of the same key).
    let fleet = example_fleet();
    let f = fleet.path();
    let key = f.join("keys/demo-signing-key.pub");
    std::fs::copy(&key, out.path().join("key.pub")).unwrap();
    std::fs::remove_file(&key).unwrap();
    symlink(out.path().join("key.pub"), &key).unwrap();
    assemble(f, "xiaomi-15s-pro-cn").refused("symlink-refused");

    // The Uptane `root.json` beside targets metadata, linked out.
    let fleet = example_fleet();
    let f = fleet.path();
    let root = f.join("evidence/real/uptane/director/root.json");
    std::fs::copy(&root, out.path().join("root.json")).unwrap();
    std::fs::remove_file(&root).unwrap();
    symlink(out.path().join("root.json"), &root).unwrap();
    assemble(f, "xiaomi-su7").refused("symlink-refused");
    // ... and as a FIFO: refused, not a hang.
    std::fs::remove_file(&root).unwrap();
    mkfifo(&root);
    assemble(f, "xiaomi-su7").refused("not-a-file");
}

#[test]
fn fifos_and_devices_in_the_fleet_are_refused() {
    let fleet = example_fleet();
    let f = fleet.path();
    mkfifo(&f.join("evidence/pipe.bin"));
    symlink("/dev/zero", f.join("evidence/zero.bin")).unwrap();
    let stack = f.join("stacks/pixel-9-pro.yaml");
    let original = std::fs::read_to_string(&stack).unwrap();

    add_evidence(
        f,
        "pixel-9-pro",
        "      - {kind: file, path: evidence/pipe.bin}\n",
    );
    assemble(f, "pixel-9-pro").refused("not-a-file");
    std::fs::write(&stack, &original).unwrap();
    add_evidence(
        f,
        "pixel-9-pro",
        "      - {kind: file, path: evidence/zero.bin}\n",
    );
    assemble(f, "pixel-9-pro").refused("symlink-refused");
    // Allowed outside the fleet, a device is still no file.
    std::fs::write(&stack, &original).unwrap();
    add_evidence(
        f,
        "pixel-9-pro",
        "      - {kind: file, path: /dev/zero, allow-outside-root: true}\n",
    );
    assemble(f, "pixel-9-pro").refused("not-a-file");

    // Provenance whose `artifact:` is a FIFO.
    std::fs::write(&stack, &original).unwrap();
    let slsa = repo().join("cli/tests/fixtures/hw/slsa/bcr/MODULE.bazel.intoto.jsonl");
    std::fs::copy(slsa, f.join("evidence/prov.jsonl")).unwrap();
    add_evidence(
        f,
        "pixel-9-pro",
        "      - {kind: slsa-provenance, path: evidence/prov.jsonl, artifact: evidence/pipe.bin}\n",
    );
    assemble(f, "pixel-9-pro").refused("not-a-file");
}
