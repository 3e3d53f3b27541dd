//! "Did you mean ...?" for names users type (config keys, services, components): the
//! closest known name when it is close enough to be a likely typo. Below every other module,
//! so the linter, the stack and the commands share one copy.

/// The closest known name, if it is close enough to be a likely typo.
pub fn did_you_mean<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let mut best: Option<(&str, usize)> = None;
    for k in known {
        let d = levenshtein(name, k);
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((k, d));
        }
    }
    let (k, d) = best?;
    let limit = (name.chars().count().max(k.chars().count()) / 3).max(1);
    (d <= limit && d > 0).then_some(k)
}

/// The edit distance between two names (insertions, deletions, substitutions).
pub fn distance(a: &str, b: &str) -> usize {
    levenshtein(a, b)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_services_and_components_are_found() {
        assert_eq!(did_you_mean("alertmanger", &["alertmanager", "grafana"]), Some("alertmanager"));
        assert_eq!(did_you_mean("promethus", &["prometheus", "configs"]), Some("prometheus"));
        assert_eq!(did_you_mean("zzz", &["prometheus"]), None);
    }
}
