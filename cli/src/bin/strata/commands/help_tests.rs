//! Tests of every (sub)command's help: a snapshot of each long help (so
//! help changes are reviewed, as cargo-deny does), examples that fit the
//! width clap renders at, and examples that parse with current spellings.

use clap::{CommandFactory, parser::ValueSource};

use super::Cli;

/// The width clap renders help at (`max_term_width`).
const WIDTH: usize = 100;

/// Every command below `strata` (and `strata` itself) with its path, e.g.
/// `["strata", "model", "verify"]`, skipping clap's `help`.
fn commands() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, clap::Command)>) {
        out.push((path.clone(), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            walk(sub, p, out);
        }
    }
    let mut cli = Cli::command().term_width(WIDTH);
    cli.build();
    let mut out = Vec::new();
    walk(&cli, vec!["strata".to_string()], &mut out);
    out
}

fn long_help(cmd: &clap::Command) -> String {
    cmd.clone().term_width(WIDTH).render_long_help().to_string()
}

#[test]
fn every_long_help_is_snapshotted() {
    let all = commands();
    assert!(all.len() > 20, "{}", all.len());
    for (path, cmd) in &all {
        insta::assert_snapshot!(format!("help-{}", path.join("-")), long_help(cmd));
    }
}

/// The lines of a command's examples (its after_long_help).
fn example_lines(cmd: &clap::Command) -> Vec<String> {
    cmd.get_after_long_help()
        .map(|h| h.to_string().lines().map(str::to_string).collect())
        .unwrap_or_default()
}

#[test]
fn examples_fit_the_help_width_and_are_not_wrapped() {
    let mut bad = Vec::new();
    for (path, cmd) in commands() {
        let help = long_help(&cmd);
        let rendered: Vec<&str> = help.lines().collect();
        for line in example_lines(&cmd) {
            let width = line.chars().count();
            if width > WIDTH {
                bad.push(format!("`{}`, {width} columns: {line}", path.join(" ")));
            } else if !rendered.contains(&line.trim_end()) {
                bad.push(format!("`{}`, wrapped: {line}", path.join(" ")));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "examples wider than the {WIDTH} columns clap renders help at:\n{}",
        bad.join("\n")
    );
}

/// Split a command line the way a POSIX shell would for the simple cases
/// the examples use: words, '…' and "…" (with \" and \\) quoting.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        _ => word.push(q),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The `strata ...` invocations in a command's examples: continuation lines
/// joined, comments, pipes, `&&`, redirections and environment assignments
/// cut.
fn invocations(cmd: &clap::Command) -> Vec<Vec<String>> {
    let mut joined = Vec::new();
    let mut cur = String::new();
    for line in example_lines(cmd) {
        let line = line.trim();
        match line.strip_suffix('\\') {
            Some(head) => cur.push_str(head),
            None => {
                cur.push_str(line);
                joined.push(std::mem::take(&mut cur));
            }
        }
    }
    let mut out = Vec::new();
    for line in joined {
        let line = match line.find(" #") {
            Some(i) => &line[..i],
            None => line.as_str(),
        };
        for segment in line.split("&&").flat_map(|s| s.split('|')) {
            let mut words = shell_words(segment);
            if let Some(i) = words
                .iter()
                .position(|w| w.starts_with('>') || w.starts_with('<') || w.starts_with("2>"))
            {
                words.truncate(i);
            }
            let start = words.iter().position(|w| !w.contains('='));
            let words = start.map(|i| words.split_off(i)).unwrap_or_default();
            if words.first().map(String::as_str) == Some("strata") {
                out.push(words);
            }
        }
    }
    out
}

/// The leaf subcommand's matches of a parsed command line.
fn leaf(m: &clap::ArgMatches) -> &clap::ArgMatches {
    match m.subcommand() {
        Some((_, sub)) => leaf(sub),
        None => m,
    }
}

fn leaf_command<'a>(cmd: &'a clap::Command, argv: &[String]) -> &'a clap::Command {
    match argv
        .iter()
        .find_map(|w| cmd.get_subcommands().find(|s| s.get_name() == w))
    {
        Some(sub) => leaf_command(sub, argv),
        None => cmd,
    }
}

#[test]
fn examples_parse_and_use_no_deprecated_spelling() {
    let mut cli = Cli::command();
    cli.build();
    let mut seen = 0;
    for (path, cmd) in commands() {
        for argv in invocations(&cmd) {
            seen += 1;
            let m = cli.clone().try_get_matches_from(&argv).unwrap_or_else(|e| {
                panic!("`{}` example does not parse: {argv:?}\n{e}", path.join(" "))
            });
            let leaf_cmd = leaf_command(&cli, &argv[1..]);
            for arg in leaf_cmd.get_arguments().filter(|a| a.is_hide_set()) {
                let id = arg.get_id().as_str();
                assert_ne!(
                    leaf(&m).value_source(id),
                    Some(ValueSource::CommandLine),
                    "`{}` example uses the deprecated --{id}: {argv:?}",
                    path.join(" ")
                );
            }
            for w in argv.windows(2) {
                assert!(
                    !(w[0] == "--format" && ["table", "text"].contains(&w[1].as_str())),
                    "`{}` example uses a deprecated format: {argv:?}",
                    path.join(" ")
                );
            }
        }
    }
    assert!(seen > 60, "only {seen} examples found");
}

#[test]
fn shell_words_split_like_a_shell() {
    assert_eq!(
        shell_words(r#"strata a 'x y' "q \"r\"" z"#),
        ["strata", "a", "x y", "q \"r\"", "z"]
    );
}
