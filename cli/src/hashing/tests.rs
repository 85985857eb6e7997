use std::fs;

use super::*;

const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

fn sha(bytes: &[u8]) -> [u8; 32] {
    engine::digest_of(bytes)
}

#[test]
fn file_digest_is_plain_sha256() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a"), b"abc").unwrap();
    fs::write(dir.path().join("e"), b"").unwrap();
    let m = hash_tree(&dir.path().join("a"), &HashOptions::default()).unwrap();
    assert_eq!(m.kind, Kind::File);
    assert_eq!(m.hex_digest(), ABC);
    assert_eq!(m.total_size(), 3);
    let m = hash_tree(&dir.path().join("e"), &HashOptions::default()).unwrap();
    assert_eq!(m.hex_digest(), EMPTY);
}

#[test]
fn large_file_streams_across_buffer_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let data: Vec<u8> = (0..(BUFFER_SIZE * 3 + 17))
        .map(|i| (i % 251) as u8)
        .collect();
    fs::write(dir.path().join("big"), &data).unwrap();
    let m = hash_tree(&dir.path().join("big"), &HashOptions::default()).unwrap();
    assert_eq!(m.digest, sha(&data));
}

#[test]
fn directory_orders_by_path_components() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("tokenizer")).unwrap();
    fs::write(dir.path().join("tokenizer.json"), b"{}").unwrap();
    fs::write(dir.path().join("tokenizer/vocab.txt"), b"a b").unwrap();
    fs::write(dir.path().join("a.bin"), b"abc").unwrap();
    let m = hash_tree(dir.path(), &HashOptions::default()).unwrap();
    let names: Vec<_> = m.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a.bin", "tokenizer/vocab.txt", "tokenizer.json"]);
    let mut concat = Vec::new();
    concat.extend_from_slice(&sha(b"abc"));
    concat.extend_from_slice(&sha(b"a b"));
    concat.extend_from_slice(&sha(b"{}"));
    assert_eq!(m.digest, sha(&concat));
}

#[test]
fn ignore_paths_match_whole_components() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("a/b")).unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("a/b/x"), b"1").unwrap();
    fs::write(dir.path().join("a/bc"), b"2").unwrap();
    fs::write(dir.path().join(".git/HEAD"), b"3").unwrap();
    fs::write(dir.path().join(".gitattributes"), b"4").unwrap();
    // Nested git names are data, as in model-signing.
    fs::create_dir_all(dir.path().join("a/.git")).unwrap();
    fs::write(dir.path().join("a/.git/x"), b"5").unwrap();
    let opts = HashOptions {
        ignore: vec!["a/b".into()],
        ..HashOptions::default()
    };
    let m = hash_tree(dir.path(), &opts).unwrap();
    let names: Vec<_> = m.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a/.git/x", "a/bc"]);
    let opts = HashOptions {
        ignore_git_paths: false,
        ..HashOptions::default()
    };
    let m = hash_tree(dir.path(), &opts).unwrap();
    assert_eq!(m.entries.len(), 5);
}

#[test]
fn shards_are_named_and_empty_files_dropped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("w"), b"0123456789").unwrap();
    fs::write(dir.path().join("empty"), b"").unwrap();
    let opts = HashOptions {
        mode: Mode::Shards(4),
        ..HashOptions::default()
    };
    let m = hash_tree(dir.path(), &opts).unwrap();
    let names: Vec<_> = m.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["w:0:4", "w:4:8", "w:8:10"]);
    assert_eq!(m.entries[1].digest, sha(b"4567"));
    let files = hash_tree(dir.path(), &HashOptions::default()).unwrap();
    assert_eq!(files.entries.len(), 2, "files mode lists empty files");
    assert_eq!(files.entries[0].name, "empty");
}

#[cfg(unix)]
#[test]
fn symlinks_are_refused_unless_allowed_and_confined() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret"), b"s").unwrap();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real"), b"r").unwrap();
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("inside-link")).unwrap();
    let err = hash_tree(dir.path(), &HashOptions::default()).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, "symlink-refused");

    let allow = HashOptions {
        allow_symlinks: true,
        root: Some(dir.path().to_path_buf()),
        ..HashOptions::default()
    };
    let m = hash_tree(dir.path(), &allow).unwrap();
    assert_eq!(m.entries.len(), 2);

    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("escape")).unwrap();
    let err = hash_tree(dir.path(), &allow).unwrap_err();
    assert_eq!(err.diagnostics()[0].code, "path-outside-root");
}

#[test]
fn missing_path_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = hash_tree(&dir.path().join("nope"), &HashOptions::default()).unwrap_err();
    assert!(matches!(err, crate::diag::Error::Io { .. }));
}

#[test]
fn component_order() {
    use std::cmp::Ordering::*;
    assert_eq!(component_cmp("tokenizer/vocab.txt", "tokenizer.json"), Less);
    assert_eq!(component_cmp("a/b", "a/b"), Equal);
    assert_eq!(component_cmp("a-b", "a/b"), Greater);
}
