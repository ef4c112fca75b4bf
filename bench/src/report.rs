//! The generation benchmark's table and its verdict on the targets of issue 6.

use std::time::Duration;

use crate::measure::{Outcome, Stages};
use crate::specs::Kind;

/// Everything measured for one spec.
pub struct Row {
    pub name: String,
    pub kind: Kind,
    pub bytes: usize,
    pub operations: Option<usize>,
    pub bare_parse: Option<Duration>,
    /// Peak memory of a process that only parses the spec into openapiv3.
    pub bare_parse_memory: Option<u64>,
    pub stages: Stages,
    pub outcome: Outcome,
    /// Median wall time and peak memory of the release binary, when it generates.
    pub process: Option<(Duration, u64)>,
    /// cargo-progenitor's median wall time, or why there is none.
    pub progenitor: Option<Result<Duration, String>>,
}

impl Row {
    fn generated(&self) -> bool {
        matches!(self.outcome, Outcome::Generated { .. })
    }
}

fn ms(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2}")
    } else if ms < 100.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

fn size(bytes: u64) -> String {
    let kib = bytes as f64 / 1024.0;
    if kib < 1024.0 {
        format!("{kib:.1} KiB")
    } else {
        format!("{:.1} MiB", kib / 1024.0)
    }
}

/// Prints the table in Markdown, so that it can go into README.md as it is.
pub fn print_table(rows: &[Row], with_progenitor: bool) {
    let mut header = String::from(
        "| spec | size | ops | bare parse ms | load ms | model ms | emit ms | format ms | write ms \
         | process ms | peak mem | mem / size | bare parse mem |",
    );
    if with_progenitor {
        header.push_str(" progenitor ms | speed-up |");
    }
    header.push_str(" result |");
    println!("{header}");
    let columns = header.matches('|').count() - 1;
    println!("|{}", "---|".repeat(columns));
    for row in rows {
        let dash = || "-".to_owned();
        let stage = |d: Duration, reached: bool| if reached { ms(d) } else { dash() };
        let failed_at = match &row.outcome {
            Outcome::Failed { stage, .. } => Some(*stage),
            Outcome::Generated { .. } => None,
        };
        let reached = |name: &str| {
            let order = ["load", "model", "emit", "format", "write"];
            let index = order.iter().position(|s| *s == name).unwrap_or(0);
            match failed_at {
                None => true,
                Some(failed) => order.iter().position(|s| *s == failed).unwrap_or(5) >= index,
            }
        };
        let mut cells = vec![
            row.name.clone(),
            size(row.bytes as u64),
            row.operations.map_or_else(dash, |n| n.to_string()),
            row.bare_parse.map_or_else(|| "fails".into(), ms),
            stage(row.stages.load, reached("load")),
            stage(row.stages.model, reached("model")),
            stage(row.stages.emit, reached("emit")),
            stage(row.stages.format, reached("format")),
            stage(row.stages.write, reached("write")),
        ];
        match row.process {
            Some((wall, peak)) => {
                cells.push(ms(wall));
                cells.push(size(peak));
                cells.push(format!("{:.1}x", peak as f64 / row.bytes as f64));
            }
            None => cells.extend([dash(), dash(), dash()]),
        }
        cells.push(row.bare_parse_memory.map_or_else(|| "fails".into(), size));
        if with_progenitor {
            match (&row.progenitor, row.process) {
                (Some(Ok(theirs)), Some((ours, _))) => {
                    cells.push(ms(*theirs));
                    cells.push(format!("{:.1}x", theirs.as_secs_f64() / ours.as_secs_f64()));
                }
                (Some(Ok(theirs)), None) => cells.extend([ms(*theirs), dash()]),
                (Some(Err(_)), _) => cells.extend(["fails".into(), dash()]),
                (None, _) => cells.extend([dash(), dash()]),
            }
        }
        cells.push(match &row.outcome {
            Outcome::Generated { files } => format!("{files} files"),
            Outcome::Failed { stage, error } => {
                format!(
                    "fails at {stage}: {}",
                    shorten(error, 70).replace('|', "\\|")
                )
            }
        });
        println!("| {} |", cells.join(" | "));
    }
}

fn shorten(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

/// One target of issue 6, checked.
struct Verdict {
    target: String,
    measured: String,
    /// `None` when it could not be measured.
    met: Option<bool>,
}

/// Prints each target with its measured figure and whether it is met.
pub fn print_targets(rows: &[Row]) {
    let mut verdicts = Vec::new();
    let find = |name: &str| rows.iter().find(|r| r.name == name && r.generated());
    let process_ms = |row: &Row| row.process.map_or(f64::NAN, |(d, _)| d.as_secs_f64() * 1e3);

    for (name, limit_ms) in [
        ("spec/openapi.yaml", 20.0),
        ("github-api.json", 500.0),
        ("stripe.yaml", 1000.0),
    ] {
        let target = format!("{name}: whole process < {limit_ms} ms");
        match find(name) {
            Some(row) => verdicts.push(Verdict {
                target,
                measured: format!("{:.1} ms", process_ms(row)),
                met: Some(process_ms(row) < limit_ms),
            }),
            None => verdicts.push(Verdict {
                target,
                measured: "not measured: absent, left out, or does not generate yet".into(),
                met: None,
            }),
        }
    }

    for row in rows
        .iter()
        .filter(|r| r.kind == Kind::Corpus && r.generated())
    {
        let Some(parse) = row.bare_parse else {
            continue;
        };
        let limit = parse.as_secs_f64() * 1e3 * 3.0 + 20.0;
        verdicts.push(Verdict {
            target: format!(
                "{}: process < 3 x bare parse + 20 ms = {limit:.1} ms",
                row.name
            ),
            measured: format!("{:.1} ms", process_ms(row)),
            met: Some(process_ms(row) < limit),
        });
    }

    let synthetic = |n: usize| {
        let row = rows.iter().find(|r| r.kind == Kind::Synthetic(n));
        row.and_then(|r| r.process)
    };
    if let (Some((t1, m1)), Some((t10, m10))) = (synthetic(1_000), synthetic(10_000)) {
        let time_ratio = t10.as_secs_f64() / t1.as_secs_f64();
        let memory_ratio = m10 as f64 / m1 as f64;
        verdicts.push(Verdict {
            target: "10,000 ops / 1,000 ops, time <= 12x".into(),
            measured: format!("{time_ratio:.1}x"),
            met: Some(time_ratio <= 12.0),
        });
        verdicts.push(Verdict {
            target: "10,000 ops / 1,000 ops, peak memory <= 12x".into(),
            measured: format!("{memory_ratio:.1}x"),
            met: Some(memory_ratio <= 12.0),
        });
    }
    for row in rows.iter().filter(|r| r.generated()) {
        let (Kind::Synthetic(_), Some((_, peak))) = (row.kind, row.process) else {
            continue;
        };
        let ratio = peak as f64 / row.bytes as f64;
        let floor = row.bare_parse_memory.map_or_else(String::new, |bare| {
            format!(
                " (a bare parse alone: {:.1}x)",
                bare as f64 / row.bytes as f64
            )
        });
        verdicts.push(Verdict {
            target: format!("{}: peak memory < 10 x spec size", row.name),
            measured: format!("{ratio:.1}x{floor}"),
            met: Some(ratio < 10.0),
        });
    }

    for row in rows {
        if let (Some(Ok(theirs)), Some((ours, _))) = (&row.progenitor, row.process) {
            let speed_up = theirs.as_secs_f64() / ours.as_secs_f64();
            verdicts.push(Verdict {
                target: format!("{}: >= 5x faster than cargo-progenitor", row.name),
                measured: format!("{speed_up:.1}x"),
                met: Some(speed_up >= 5.0),
            });
        }
    }

    println!();
    println!("| target | measured | met |");
    println!("|---|---|---|");
    for verdict in verdicts {
        let met = match verdict.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "-",
        };
        println!("| {} | {} | {met} |", verdict.target, verdict.measured);
    }
}
