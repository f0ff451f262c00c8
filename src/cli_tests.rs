//! The command line's own tests: durations and speeds as the parsers read them, `live` and
//! `serve` command lines as clap takes them, and every flag's help naming its default.

use super::*;

#[test]
fn durations_speeds_and_the_live_command_line() {
    assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
    assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
    assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
    assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
    assert!(parse_duration("5 parsecs").is_err());
    assert!(parse_duration("0").is_err());
    assert_eq!(parse_speed("4x"), Ok(4.0));
    assert!(parse_speed("-1").is_err());
    let cli = Cli::try_parse_from([
        "jvmem",
        "live",
        "-",
        "--pid",
        "42",
        "--interval",
        "1s",
        "--follow",
        "a",
        "--follow",
        "b",
        "--gc-log",
        "gc.log",
        "--record",
        "s.jvmem",
        "--limit",
        "1Gi",
    ])
    .expect("parses");
    let Some(Command::Live(args)) = cli.command else {
        panic!("{cli:?}")
    };
    assert_eq!(args.stdin.as_deref(), Some("-"));
    assert_eq!(args.pid, Some(42));
    assert_eq!(args.sources.follow.len(), 2);
    assert_eq!(args.limit.map(|l| l.bytes), Some(1 << 30));
    assert!(Cli::try_parse_from(["jvmem", "live", "nmt.log"]).is_err());
    // The top level is `live` too.
    let cli = Cli::try_parse_from(["jvmem", "--pid", "4242"]).expect("parses");
    assert!(cli.command.is_none());
    assert_eq!(cli.live.pid, Some(4242));
    assert!(Cli::try_parse_from(["jvmem", "--limit", "0"]).is_err());
}

#[test]
fn serve_needs_a_source_and_checks_labels() {
    let cli = Cli::try_parse_from([
        "jvmem", "serve", "--follow", "nmt.log", "--label", "pod=a-1", "--label", "ns=prod",
    ])
    .expect("parses");
    let Some(Command::Serve(args)) = cli.command else {
        panic!("{cli:?}")
    };
    assert_eq!(args.listen.to_string(), "127.0.0.1:9404");
    assert!(args.listen.ip().is_loopback());
    assert_eq!(args.label[0], ("pod".to_string(), "a-1".to_string()));
    assert!(Cli::try_parse_from(["jvmem", "serve"]).is_err());
    assert!(parse_label("pid=1").is_err());
    assert!(parse_label("1x=1").is_err());
    assert!(parse_label("__name__=x").is_err());
    assert!(parse_label("novalue").is_err());
    assert_eq!(parse_label("a=b=c"), Ok(("a".into(), "b=c".into())));
}

/// Every flag that takes a value says its default: clap shows a declared default
/// (`[default: 1]`); a flag without one says `Default:` in its own words. Sizes and
/// durations name their units.
#[test]
fn every_flag_help_names_its_default_and_units() {
    use clap::CommandFactory;
    let root = Cli::command();
    let mut checked = 0;
    for command in std::iter::once(&root).chain(root.get_subcommands()) {
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_positional() || ["help", "version"].contains(&id) {
                continue;
            }
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(
                !help.is_empty(),
                "{} --{id} has no help",
                command.get_name()
            );
            let takes_value = arg.get_action().takes_values();
            if takes_value && arg.get_default_values().is_empty() {
                assert!(
                    help.contains("Default:") || help.contains("repeatable"),
                    "{} --{id}: {help}",
                    command.get_name()
                );
            }
            match arg
                .get_value_names()
                .and_then(|n| n.first())
                .map(|n| n.as_str())
            {
                Some("SIZE") => {
                    assert!(help.contains("Gi") && help.contains("bytes"), "{help}")
                }
                Some("DURATION") => {
                    assert!(help.contains("ms") && help.contains("5s"), "{help}")
                }
                Some("N") => assert!(help.contains("0.01 to 1000"), "{help}"),
                _ => {}
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}
