//! The command line the benchmark programs share: flags, the usage text, and how errors
//! end a run.

use std::error::Error;
use std::process::ExitCode;

/// The error the programs return from their body.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// One flag a program accepts, described once for the usage text and the error that
/// lists the accepted flags.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub name: &'static str,
    /// What follows the flag (`N`, `URL`, …); empty for a flag without a value.
    pub value: &'static str,
    pub help: &'static str,
}

/// Whether `arg` asks for the usage text.
pub fn is_help(arg: &str) -> bool {
    matches!(arg, "-h" | "--help")
}

/// The usage text: the program's summary, then one line per flag.
pub fn usage(program: &str, summary: &str, flags: &[Flag]) -> String {
    let help = Flag {
        name: "-h, --help",
        value: "",
        help: "print this text and exit",
    };
    let spelled = |flag: &Flag| {
        format!("{} {}", flag.name, flag.value)
            .trim_end()
            .to_owned()
    };
    let width = flags
        .iter()
        .chain([&help])
        .map(|flag| spelled(flag).chars().count());
    let width = width.max().unwrap_or(0);

    let mut text = format!("{summary}\n\nusage: {program} [FLAGS]\n\nflags:\n");
    for flag in flags.iter().chain([&help]) {
        text.push_str(&format!("  {:width$}  {}\n", spelled(flag), flag.help));
    }
    text
}

/// The error for an argument no flag matches, naming the flags that would.
pub fn unknown_flag(arg: &str, flags: &[Flag]) -> String {
    let names: Vec<&str> = flags.iter().map(|flag| flag.name).collect();
    format!(
        "unknown argument {arg}; the flags are {} and --help",
        names.join(", ")
    )
}

/// The argument after `flag`, which needs one.
///
/// # Errors
///
/// When the arguments end after `flag`.
pub fn value_of(flag: &str, args: &mut impl Iterator<Item = String>) -> Result<String, String> {
    args.next().ok_or_else(|| format!("{flag} needs a value"))
}

/// The exit code of a run: on failure, `error: …` with every cause goes to stderr first.
pub fn exit_code(outcome: Result<(), BoxError>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", describe(error.as_ref()));
            ExitCode::FAILURE
        }
    }
}

/// `error` and its causes on one line, each cause after a colon.
///
/// A wrapper such as "database unavailable" says little without its cause. Causes whose
/// text the line already holds are left out: many errors print their source themselves.
pub fn describe(error: &(dyn Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        let text = error.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = error.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: [Flag; 2] = [
        Flag {
            name: "--rounds",
            value: "N",
            help: "rounds to run",
        },
        Flag {
            name: "--quick",
            value: "",
            help: "fewer, shorter rounds",
        },
    ];

    #[derive(Debug)]
    struct Wrapper(std::io::Error);

    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("database unavailable")
        }
    }

    impl Error for Wrapper {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn usage_lists_every_flag_and_help() {
        let text = usage("bench", "Measures things.", &FLAGS);
        assert!(text.starts_with("Measures things.\n\nusage: bench [FLAGS]\n"));
        assert!(text.contains("  --rounds N  rounds to run\n"));
        assert!(text.contains("  --quick     fewer, shorter rounds\n"));
        assert!(text.contains("  -h, --help  print this text and exit\n"));
    }

    #[test]
    fn unknown_flag_names_the_accepted_ones() {
        assert_eq!(
            unknown_flag("--nope", &FLAGS),
            "unknown argument --nope; the flags are --rounds, --quick and --help"
        );
    }

    #[test]
    fn describe_adds_causes_once() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(describe(&Wrapper(refused)), "database unavailable: refused");

        let repeated: BoxError = "refused".into();
        assert_eq!(describe(repeated.as_ref()), "refused");
    }
}
