//! The import graph of `src/`: data flows one way, so no module circle, and nothing imports
//! `run` (the top of the house: it only dispatches).
//!
//! Every `crate::...` and `super::...` path in a file (in `use` lines and in code, `{...}`
//! groups expanded) is an edge from the file's module to the deepest module the path names.
//! Circles are looked for among siblings at every level: the top-level modules
//! (`lint`, `stack`, `settings`, ...), then the children of each directory module
//! (`lint::checks`, `lint::prometheus`, ...), a child standing for everything below it. A
//! directory's own `mod.rs` is its façade: it may use its children and they may use its
//! items. Test code (`#[cfg(test)]` modules) is left out: tests may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type ModPath = Vec<String>;

/// The module path of a file under `src/` (`lint/rules/mod.rs` → `lint::rules`).
fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> =
        rel.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    parts
}

/// The text without comments, and without `#[cfg(test)]` inline modules; the names of
/// `#[cfg(test)] mod name;` file modules are returned so their files can be left out.
fn code_of(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = match line.find("//") {
            // `//` inside a string literal ("http://...") is rare in paths; cut anyway:
            // what follows cannot hold a module path that matters more than a string.
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    let mut test_files = Vec::new();
    let marker = "#[cfg(test)]";
    let mut from = 0;
    while let Some(i) = out[from..].find(marker).map(|i| i + from) {
        let rest = out[i + marker.len()..].trim_start();
        let Some(after_mod) = rest.strip_prefix("mod ") else {
            from = i + marker.len();
            continue;
        };
        let name: String =
            after_mod.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let after_name = after_mod[name.len()..].trim_start();
        if after_name.starts_with(';') {
            test_files.push(name);
            from = i + marker.len();
            continue;
        }
        // An inline module: cut to its closing brace.
        let open = out[i..].find('{').map(|o| o + i);
        let Some(open) = open else { break };
        let mut depth = 0usize;
        let mut end = out.len();
        for (j, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(i..end, "");
        from = i;
    }
    (out, test_files)
}

fn ident_len(s: &str) -> usize {
    s.char_indices().find(|(_, c)| !(c.is_alphanumeric() || *c == '_')).map_or(s.len(), |(i, _)| i)
}

/// Paths that start at `s` (just after `crate::` or `super::`): `a::b`, `a::{b, c::{d}}`.
fn paths_at(s: &str) -> Vec<Vec<String>> {
    let mut segs = Vec::new();
    let mut rest = s;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            // Split the group at its top-level commas.
            let mut depth = 0usize;
            let mut items = Vec::new();
            let mut start = 0;
            let mut end = group.len();
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = i;
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            items.push(&group[start..end]);
            let mut out = vec![segs.clone()];
            for it in items {
                let it = it.trim();
                for p in paths_at(it) {
                    let mut full = segs.clone();
                    full.extend(p.into_iter().filter(|x| x != "self"));
                    out.push(full);
                }
            }
            return out;
        }
        let n = ident_len(rest);
        if n == 0 {
            break;
        }
        segs.push(rest[..n].to_string());
        rest = &rest[n..];
        match rest.strip_prefix("::") {
            Some(r) => rest = r,
            None => break,
        }
    }
    vec![segs]
}

/// Edges between modules: each file's module → every module its paths name.
fn edges(files: &BTreeMap<ModPath, String>) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mods: BTreeSet<&ModPath> = files.keys().collect();
    let resolve = |p: &[String]| -> Option<ModPath> {
        (1..=p.len()).rev().map(|k| p[..k].to_vec()).find(|m| mods.contains(m))
    };
    let mut out: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (m, text) in files {
        let targets = out.entry(m.clone()).or_default();
        // `super` of a file module is its parent; of a directory's `mod.rs`, the
        // directory's parent too (the file *is* the directory module).
        let parent: ModPath = m[..m.len().saturating_sub(1)].to_vec();
        for (kw, base) in [("crate::", Vec::new()), ("super::", parent)] {
            let mut from = 0;
            while let Some(i) = text[from..].find(kw).map(|i| i + from) {
                from = i + kw.len();
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                    continue;
                }
                let mut start = base.clone();
                let mut rest = &text[i + kw.len()..];
                while let Some(r) = rest.strip_prefix("super::") {
                    start.pop();
                    rest = r;
                }
                for p in paths_at(rest) {
                    let mut full = start.clone();
                    for seg in p {
                        if seg == "super" {
                            full.pop();
                        } else {
                            full.push(seg);
                        }
                    }
                    if let Some(t) = resolve(&full)
                        && &t != m
                    {
                        targets.insert(t);
                    }
                }
            }
        }
    }
    out
}

/// A circle among the children of `dir` (each child standing for its subtree), as the
/// list of children around it.
fn circle_under(
    dir: &[String],
    edges: &BTreeMap<ModPath, BTreeSet<ModPath>>,
) -> Option<Vec<String>> {
    let child = |m: &ModPath| -> Option<String> {
        (m.len() > dir.len() && m[..dir.len()] == *dir).then(|| m[dir.len()].clone())
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, ts) in edges {
        let Some(a) = child(m) else { continue };
        for t in ts {
            if let Some(b) = child(t)
                && b != a
            {
                graph.entry(a.clone()).or_default().insert(b);
            }
        }
    }
    // Depth-first search; a node on the current path reached again closes a circle.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for next in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, graph, done, path) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, &graph, &mut done, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

/// Every circle, one per directory module that has one, and every module that uses `run`.
fn problems(files: &BTreeMap<ModPath, String>) -> Vec<String> {
    let edges = edges(files);
    let mut dirs: BTreeSet<ModPath> = BTreeSet::new();
    for m in files.keys() {
        for k in 0..m.len() {
            dirs.insert(m[..k].to_vec());
        }
    }
    let mut out = Vec::new();
    for d in &dirs {
        if let Some(c) = circle_under(d, &edges) {
            let at = if d.is_empty() { "crate".to_string() } else { d.join("::") };
            out.push(format!("circle under {at}: {}", c.join(" -> ")));
        }
    }
    for (m, ts) in &edges {
        if ts.iter().any(|t| t.first().is_some_and(|f| f == "run"))
            && m.first().is_none_or(|f| f != "run")
        {
            out.push(format!("{} imports run", m.join("::")));
        }
    }
    out
}

/// The crate's source files by module, test code left out.
fn crate_sources(src: &Path) -> BTreeMap<ModPath, String> {
    let mut raw: BTreeMap<ModPath, String> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read src") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(src).expect("under src");
                raw.insert(module_of(rel), std::fs::read_to_string(&p).expect("read"));
            }
        }
    }
    let mut test_mods: BTreeSet<ModPath> = BTreeSet::new();
    let mut files = BTreeMap::new();
    for (m, text) in &raw {
        let (code, tests) = code_of(text);
        for t in tests {
            let mut tm = m.clone();
            tm.push(t);
            test_mods.insert(tm);
        }
        files.insert(m.clone(), code);
    }
    files.retain(|m, _| !test_mods.iter().any(|t| m.starts_with(t)));
    files
}

#[test]
fn no_module_circles_and_nothing_imports_run() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = crate_sources(&src);
    assert!(files.len() > 100, "read only {} files of src/", files.len());
    let found = problems(&files);
    assert!(found.is_empty(), "the import graph must flow one way:\n{}", found.join("\n"));
}

#[test]
fn the_graph_check_finds_circles_and_run_imports() {
    let m = |s: &str| -> ModPath {
        s.split("::").filter(|x| !x.is_empty()).map(String::from).collect()
    };
    let files: BTreeMap<ModPath, String> = [
        (m(""), "pub mod a; pub mod b; pub mod run;".to_string()),
        (m("a"), "use crate::b::{x, y::{self, Z}};\n// crate::run in a comment\n".to_string()),
        (m("b"), "fn f() { crate::a::g(); }".to_string()),
        (m("b::y"), "".to_string()),
        (m("run"), "use crate::a;".to_string()),
        (m("c"), "#[cfg(test)]\nmod tests { use crate::run::x; }\n".to_string()),
        (m("d"), "pub mod e; pub mod f;".to_string()),
        (m("d::e"), "use super::f::X;".to_string()),
        (m("d::f"), "use super::{e, super::a};".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k, code_of(&v).0))
    .collect();
    let found = problems(&files);
    assert_eq!(
        found,
        vec![
            "circle under crate: a -> b -> a".to_string(),
            "circle under d: e -> f -> e".to_string(),
        ],
        "{found:#?}"
    );
    let mut with_run = files.clone();
    with_run.insert(m("b::y"), "use crate::run::main;".into());
    assert!(problems(&with_run).contains(&"b::y imports run".to_string()));
}
