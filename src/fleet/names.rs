//! Short names for the JVMs of a fleet, as the tables show them. A JVM's key holds every label
//! that tells it apart (`instance="10.0.3.7:9404",job="jvmem",namespace="prod",pid="1",
//! pod="bot-gateway-7d9f8c6b5-x2k4q"`): too long for a column. The name is its `pod` (else its
//! `instance`, else the whole key), with the namespace in front when the fleet spans several,
//! and, for JVMs that would still share a name (a restarted JVM under the same pod has another
//! `pid`), the labels that differ among them.

use std::collections::{BTreeMap, BTreeSet};

/// A key's labels, in order: the inverse of `k="v"` joined by commas (values are taken up to
/// a `"` followed by a comma or the end, so a value holding `",` is cut there, never lost).
pub fn parse_key(key: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = key;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim_start_matches(',').to_string();
        let after = &rest[eq + 2..];
        let end = after
            .match_indices('"')
            .map(|(i, _)| i)
            .find(|&i| after[i + 1..].is_empty() || after[i + 1..].starts_with(','))
            .unwrap_or(after.len());
        out.push((name, after[..end].to_string()));
        rest = after.get(end + 1..).unwrap_or("");
    }
    out
}

/// One short name per key, in the same order (see the module doc). Names are unique when the
/// keys are.
pub fn short_names(keys: &[&str]) -> Vec<String> {
    let labels: Vec<BTreeMap<String, String>> = keys
        .iter()
        .map(|k| parse_key(k).into_iter().collect())
        .collect();
    let all_have = |name: &str| !labels.is_empty() && labels.iter().all(|l| l.contains_key(name));
    let base = if all_have("pod") {
        Some("pod")
    } else if all_have("instance") {
        Some("instance")
    } else {
        None
    };
    let namespaces: BTreeSet<Option<&String>> = labels.iter().map(|l| l.get("namespace")).collect();
    let mut names: Vec<String> = labels
        .iter()
        .zip(keys)
        .map(|(l, key)| match base.and_then(|b| l.get(b)) {
            Some(v) if base == Some("pod") && namespaces.len() > 1 => match l.get("namespace") {
                Some(ns) => format!("{ns}/{v}"),
                None => v.clone(),
            },
            Some(v) => v.clone(),
            None => key.to_string(),
        })
        .collect();
    // Names shared by several JVMs: add what differs among them.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        groups.entry(n.clone()).or_default().push(i);
    }
    for (name, members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        let differing: BTreeSet<&String> = members
            .iter()
            .flat_map(|&i| labels[i].keys())
            .filter(|k| {
                let values: BTreeSet<Option<&String>> =
                    members.iter().map(|&i| labels[i].get(*k)).collect();
                values.len() > 1
            })
            .collect();
        for &i in &members {
            let extra: Vec<String> = differing
                .iter()
                .filter_map(|k| Some(format!("{k}={}", labels[i].get(*k)?)))
                .collect();
            if !extra.is_empty() {
                names[i] = format!("{name} {}", extra.join(","));
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_back_into_their_labels() {
        assert_eq!(
            parse_key(r#"namespace="prod",pod="a-1""#),
            vec![
                ("namespace".to_string(), "prod".to_string()),
                ("pod".to_string(), "a-1".to_string())
            ]
        );
        // A comma or quote inside a value stays in it.
        assert_eq!(
            parse_key(r#"a="x,y",b="say "hi"""#),
            vec![
                ("a".to_string(), "x,y".to_string()),
                ("b".to_string(), r#"say "hi""#.to_string())
            ]
        );
        assert!(parse_key("").is_empty());
        assert!(parse_key("garbage").is_empty());
    }

    #[test]
    fn pods_name_jvms_with_namespaces_and_differences_only_when_needed() {
        let one_ns = [
            r#"instance="10.0.0.1:9404",namespace="prod",pid="1",pod="gw-7d9f-x2k4q""#,
            r#"instance="10.0.0.2:9404",namespace="prod",pid="1",pod="gw-7d9f-p8r2m""#,
        ];
        assert_eq!(short_names(&one_ns), ["gw-7d9f-x2k4q", "gw-7d9f-p8r2m"]);
        let two_ns = [
            r#"namespace="prod",pod="gw-1""#,
            r#"namespace="staging",pod="gw-1""#,
        ];
        assert_eq!(short_names(&two_ns), ["prod/gw-1", "staging/gw-1"]);
        // The same pod, restarted: its JVMs differ by pid.
        let restarted = [r#"pid="1",pod="gw-1""#, r#"pid="7",pod="gw-1""#];
        assert_eq!(short_names(&restarted), ["gw-1 pid=1", "gw-1 pid=7"]);
        // No pod: the instance; neither: the whole key.
        assert_eq!(
            short_names(&[r#"instance="h:1",job="j""#]),
            [String::from("h:1")]
        );
        assert_eq!(short_names(&[r#"job="j""#]), [String::from(r#"job="j""#)]);
        assert!(short_names(&[]).is_empty());
    }
}
