//! The crash suite (DESIGN.md §7): the real console keyed through a pseudo-terminal and killed
//! with SIGKILL at random moments. After each kill every paper acknowledged on screen is in the
//! database exactly once, nothing is there that was never keyed (at most the one paper whose
//! Enter was already sent), `PRAGMA integrity_check` is ok, and `huiwu verify` passes.
//!
//! `CRASH_KILLS=N` sets the number of kills (default 300; the long run of every suite,
//! `HUIWU_LONG=1 cargo test --release`, makes 2,000), on two meetings at once, half each.
//! `CRASH_SEED=S` replays a run: a failure names its meeting's seed, which replays as the first.
//!
//! The negative control runs the same harness against `run --fault-ack-first`, which says a
//! paper was recorded before committing it: the harness must catch the loss.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::meeting::{Meeting, huiwu, text};
use common::pty::{Console, key};

/// The session: a ballot of four candidates, with a roster big enough that the box never holds
/// more papers than deputies, however many the run keys (up to ten a kill).
fn session(kills: usize) -> String {
    let roster: String = (1..=kills * 10 + 100)
        .map(|i| {
            format!(
                "  {{ id = \"Q{i:05}\", name = \"代表{i:05}\", group = \"{}片代表小组\" }},\n",
                ["东", "西", "南"][i % 3]
            )
        })
        .collect();
    format!(
        r#"
[session]
body = "青溪镇人民代表大会"
level = "town"
title = "青溪镇第十九届人民代表大会第五次会议"
term = 19
session = 5
date = "2026-12-10"
venue = "镇政府三楼会议室"
chair = "陈国平"
quorum = "two-thirds"

[roster]
deputies = [
{roster}]

[[agenda]]
id = "vote"
kind = "ballot"
title = "2027年度民生实事项目票决"
minutes = 30

[agenda.ballot]
places = 2
candidates = [
  {{ id = "P1", name = "农村道路提档" }},
  {{ id = "P2", name = "老年助餐点" }},
  {{ id = "P3", name = "河道清淤" }},
  {{ id = "P4", name = "学校周边交通" }},
]
"#
    )
}

/// xorshift: enough randomness for kill points, and replayable from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn set_up(kills: usize) -> Meeting {
    let m = Meeting::with_session(&session(kills));
    let script = m.dir.path().join("setup.jsonl");
    std::fs::write(
        &script,
        "{\"action\":\"mark_unmarked\",\"status\":\"present\"}\n{\"action\":\"start_item\",\"item\":\"vote\"}\n",
    )
    .unwrap();
    let out = huiwu(
        &[
            "apply".as_ref(),
            "--db".as_ref(),
            m.db.as_os_str(),
            "--session".as_ref(),
            m.session.as_os_str(),
            script.as_os_str(),
        ],
        m.dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    m
}

/// Papers counted in the database (serials of live papers), checked for integrity.
fn papers_in_db(m: &Meeting) -> BTreeSet<String> {
    let c = m.ro();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut st = c
        .prepare("SELECT serial FROM papers WHERE ballot = 'vote' AND struck IS NULL")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The serial a flash line acknowledges, e.g. `✓ #12 选票 main-0003 …` or `… 录入选票 main-0003:…`.
fn acked_serial(screen: &str, serial: &str) -> bool {
    screen
        .lines()
        .any(|l| l.contains('✓') && l.contains(serial))
}

struct Outcome {
    /// Acknowledged on screen but missing from the database.
    lost: Vec<String>,
    kills: usize,
}

/// Key papers and kill the console at random moments, `kills` times.
fn torture(m: &Meeting, kills: usize, seed: u64, extra: &[&str]) -> Outcome {
    let mut rng = Rng(seed | 1);
    let mut acked: BTreeSet<String> = BTreeSet::new();
    let mut lost = Vec::new();
    let mut first = true;
    for round in 0..kills {
        let mut c: Console = m.console(extra);
        if first {
            // Reach the count screen once; the console remembers it across restarts.
            c.expect("议程");
            c.send(key::DOWN);
            c.send(key::UP);
            c.press(key::ENTER, "选票录入与实时计票");
            first = false;
        } else {
            c.expect("选票录入与实时计票");
        }
        // Keying steps; the kill lands after a random number of them.
        let steps = 1 + rng.below(9) as usize;
        let mut in_flight: Option<String> = None;
        for step in 0..steps {
            // Serials run on from every paper the console has taken (committed or acknowledged).
            let known: BTreeSet<String> = papers_in_db(m).union(&acked).cloned().collect();
            let n = known.len() + usize::from(in_flight.is_some());
            let serial = format!("main-{:04}", n + 1);
            let marks: String = (0..4)
                .map(|_| match rng.below(3) {
                    0 => 'o',
                    1 => 'x',
                    _ => ' ',
                })
                .collect();
            c.send_now(&marks);
            if step + 1 == steps && rng.below(3) == 0 {
                break; // killed while a paper is half keyed
            }
            c.send_now(key::ENTER);
            in_flight = Some(serial.clone());
            if step + 1 == steps && rng.below(2) == 0 {
                break; // killed right after Enter, before the acknowledgment is read
            }
            let screen = c
                .wait_until(
                    &format!("acknowledgment of {serial}"),
                    Duration::from_secs(15),
                    |s| acked_serial(s, &serial),
                )
                .unwrap_or_else(|e| panic!("seed {seed} round {round}: {e}"));
            let _ = screen;
            acked.insert(serial);
            in_flight = None;
        }
        // A random extra moment: the console may be drawing, committing or idle.
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        c.kill9();
        let present = papers_in_db(m);
        for s in &acked {
            if !present.contains(s) {
                lost.push(s.clone());
            }
        }
        if !lost.is_empty() {
            return Outcome {
                lost,
                kills: round + 1,
            };
        }
        let unknown: Vec<&String> = present
            .iter()
            .filter(|s| !acked.contains(*s) && in_flight.as_ref() != Some(*s))
            .collect();
        assert!(
            unknown.is_empty(),
            "seed {seed} round {round}: papers never keyed: {unknown:?}"
        );
        // The paper in flight counts from now on if it was committed.
        if let Some(s) = in_flight
            && present.contains(&s)
        {
            acked.insert(s);
        }
        if round % 50 == 49 {
            let out = m.verify(&[]);
            assert!(
                out.status.success(),
                "seed {seed} round {round}: {}",
                text(&out)
            );
        }
    }
    let out = m.verify(&[]);
    assert!(out.status.success(), "seed {seed}: {}", text(&out));
    Outcome { lost, kills }
}

fn seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
}

#[test]
fn nothing_acknowledged_is_lost_across_sigkills() {
    let kills: usize = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if std::env::var("HUIWU_LONG").is_ok_and(|v| v == "1") {
            2000
        } else {
            300
        });
    let seed = seed();
    eprintln!("crash suite: {kills} kills, CRASH_SEED={seed}");
    // Two meetings tortured side by side, half the kills each: the harness mostly waits for the
    // console, so the second one costs little wall time. Each has its own seed, both from one.
    let halves = [kills.div_ceil(2), kills / 2];
    let outs: Vec<(u64, usize, Outcome)> = std::thread::scope(|s| {
        let runs: Vec<_> = halves
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, &n)| {
                let seed = seed.wrapping_add(i as u64 * 0x9E37_79B9_7F4A_7C15);
                s.spawn(move || {
                    let m = set_up(n);
                    (seed, n, torture(&m, n, seed, &[]))
                })
            })
            .collect();
        runs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (seed, n, out) in outs {
        assert!(
            out.lost.is_empty(),
            "seed {seed}: acknowledged papers lost: {:?}",
            out.lost
        );
        assert_eq!(out.kills, n);
    }
}

#[test]
fn negative_control_ack_before_commit_is_caught() {
    let seed = seed();
    let m = set_up(60);
    // Within a few dozen kills the harness must see an acknowledged paper go missing.
    let out = torture(&m, 60, seed, &["--fault-ack-first"]);
    assert!(
        !out.lost.is_empty(),
        "seed {seed}: the harness did not detect acknowledgments made before the commit"
    );
}
