//! The folders of `src/` form layers that only point down: read from the code's own
//! `crate::` paths, no two folders import each other, even through others, and
//! `src/domain/` imports nothing of the crate; and no file of `src/` outgrows one concern.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
pub(crate) fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The top-level module a file of `src/` belongs to: its folder, or its own name.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("a file under src");
    let first = relative.components().next().expect("a path component");
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_string()
}

/// The top-level modules a source text names through `crate::`, comments left out:
/// `crate::a::…`, and every first name inside `crate::{a::…, b, …}`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `ketnap_crate::`, not this crate
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = matching_brace(group);
            for item in split_top_level(&group[..end]) {
                if let Some(name) = leading_ident(item.trim()) {
                    names.insert(name);
                }
            }
        } else if let Some(name) = leading_ident(rest) {
            names.insert(name);
        }
    }
    names.retain(|n| n != "self" && n != "super");
    names
}

fn leading_ident(text: &str) -> Option<String> {
    let ident: String = text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!ident.is_empty()).then_some(ident)
}

/// Where the brace group that `text` opens inside of ends.
fn matching_brace(text: &str) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Which top-level module imports which, from the files under `src`.
fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in sources(src) {
        let from = module_of(src, &file);
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let edges = graph.entry(from.clone()).or_default();
        edges.extend(crate_paths(&text).into_iter().filter(|to| *to != from));
    }
    graph
}

/// A cycle through `start`, if there is one: the modules in order.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![start.to_string()]];
    while let Some(path) = stack.pop() {
        let last = path.last().expect("a path is never empty");
        for next in graph.get(last).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.to_string());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_folder_of_src_imports_itself_through_others() {
    let graph = import_graph(&src());
    assert!(graph.len() > 10, "the graph was not read: {graph:?}");
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_through(&graph, m))
        .map(|c| c.join(" → "))
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles between the folders of src/:\n{}",
        cycles.join("\n")
    );
}

/// `src/domain/` is a crate of its own, so the compiler refuses any import of the server;
/// its manifest must keep it so: no crate of the workspace, and the storage mapping (the
/// only database-aware part) optional.
#[test]
fn the_domain_imports_nothing_of_the_crate() {
    let manifest = std::fs::read_to_string(src().join("domain/Cargo.toml")).expect("src/domain/Cargo.toml");
    let mut section = "";
    let mut dependencies = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
        } else if section == "[dependencies]" && !line.is_empty() && !line.starts_with('#') {
            let (name, spec) = line.split_once('=').expect("name = spec");
            let name = name.trim().trim_end_matches(".workspace");
            dependencies.push((name, spec.contains("optional = true")));
        }
    }
    let names: Vec<&str> = dependencies.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        ["chrono", "unicode-normalization", "sea-orm", "serde"],
        "the domain's dependencies"
    );
    for (name, optional) in dependencies {
        assert_eq!(
            optional,
            matches!(name, "sea-orm" | "serde"),
            "{name}: only the storage mapping is optional"
        );
    }
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    assert!(
        lib.contains("use ketnap_domain as domain;") && !lib.contains("mod domain;"),
        "the server uses the domain crate rather than compiling src/domain/ as a module"
    );
}

#[test]
fn the_reader_sees_imports_in_every_form() {
    let text = "use crate::a::b;\nuse crate::{c::d, e, f::{g, h}};\n// crate::commented\nlet x = crate::i::j();\nuse my_crate::k;";
    let names: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(names, ["a", "c", "e", "f", "i"]);
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        cycle_through(&graph, "a").map(|c| c.join(" ")),
        Some("a b c a".to_string())
    );
    graph.get_mut("c").expect("c").clear();
    assert_eq!(cycle_through(&graph, "a"), None);
}

/// The most lines a file of `src/` may hold: past it, a file holds more than one concern.
const MAX_LINES: usize = 600;

#[test]
fn no_file_of_src_is_over_six_hundred_lines() {
    let src = src();
    let long: Vec<String> = sources(&src)
        .into_iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(&file)
                .expect("read a source file")
                .lines()
                .count();
            (lines > MAX_LINES)
                .then(|| format!("{} ({lines} lines)", file.strip_prefix(&src).unwrap_or(&file).display()))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

/// Where functions do I/O for a feature (not the pure domain, the API types, the demo data
/// or the server's top).
fn is_service_file(relative: &Path) -> bool {
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let skip_folder = matches!(first.as_deref(), Some("domain" | "graphql" | "api" | "seed"));
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let skip_file = matches!(
        name.as_str(),
        "graphql.rs" | "mutations.rs" | "query.rs" | "objects.rs" | "papers.rs" | "main.rs" | "cli.rs"
    );
    !skip_folder && !skip_file
}

/// Every async function of a service file carries a tracing span (`#[tracing::instrument]`),
/// so a slow or failing request shows which use case it spent its time in.
#[test]
fn every_service_function_that_does_io_is_traced() {
    let src = src();
    let mut bare = Vec::new();
    for file in sources(&src) {
        let relative = file.strip_prefix(&src).unwrap_or(&file).to_path_buf();
        if !is_service_file(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with("#[cfg(test)]") {
                break;
            }
            let item = line
                .trim_start_matches("pub ")
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub(super) ");
            if !item.starts_with("async fn ") || line.starts_with(' ') {
                continue;
            }
            let attributes = lines[..i]
                .iter()
                .rev()
                .take_while(|l| l.starts_with("#[") || l.starts_with("///"));
            if !attributes.clone().any(|l| l.contains("instrument")) {
                bare.push(format!("{}:{}: {line}", relative.display(), i + 1));
            }
        }
    }
    assert!(bare.is_empty(), "async functions without a span:\n{}", bare.join("\n"));
}
