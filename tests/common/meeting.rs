//! A small meeting to run the console on: a session file in a temporary directory, its
//! database next to it, and read-only looks into that database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use tempfile::TempDir;

use super::pty::Console;

/// Nine deputies in three groups, quorum two-thirds (six present), three agenda items.
pub const SESSION: &str = r#"
[session]
body = "青溪镇人民代表大会"
level = "town"
title = "青溪镇第十九届人民代表大会第四次会议"
term = 19
session = 4
date = "2026-07-15"
start = "09:00"
venue = "镇政府三楼会议室"
chair = "陈国平"
quorum = "two-thirds"

[roster]
deputies = [
  { id = "Q01", name = "吴海燕", group = "东片代表小组", seat = "1排1号" },
  { id = "Q02", name = "孙志强", group = "东片代表小组", seat = "1排2号" },
  { id = "Q03", name = "何美兰", group = "东片代表小组", seat = "1排3号" },
  { id = "Q04", name = "李建国", group = "西片代表小组", seat = "2排1号" },
  { id = "Q05", name = "王秀英", group = "西片代表小组", seat = "2排2号" },
  { id = "Q06", name = "张德明", group = "西片代表小组", seat = "2排3号" },
  { id = "Q07", name = "刘桂芳", group = "南片代表小组", seat = "3排1号" },
  { id = "Q08", name = "陈永福", group = "南片代表小组", seat = "3排2号" },
  { id = "Q09", name = "赵丽娟", group = "南片代表小组", seat = "3排3号" },
]

[[agenda]]
id = "open"
kind = "procedural"
title = "宣布开会"
minutes = 5

[[agenda]]
id = "report"
kind = "report"
title = "镇人民政府工作报告"
presenter = "周立新"
post = "镇长"
minutes = 40

[[agenda]]
id = "close"
kind = "procedural"
title = "宣布闭会"
minutes = 5
"#;

/// The roster of [`SESSION`] in file (and roll-call screen) order: (id, name).
pub const DEPUTIES: [(&str, &str); 9] = [
    ("Q01", "吴海燕"),
    ("Q02", "孙志强"),
    ("Q03", "何美兰"),
    ("Q04", "李建国"),
    ("Q05", "王秀英"),
    ("Q06", "张德明"),
    ("Q07", "刘桂芳"),
    ("Q08", "陈永福"),
    ("Q09", "赵丽娟"),
];

/// The console's usual size in these tests.
pub const COLS: u16 = 100;
pub const ROWS: u16 = 30;

pub struct Meeting {
    pub dir: TempDir,
    pub session: PathBuf,
    pub db: PathBuf,
}

impl Meeting {
    pub fn new() -> Meeting {
        Self::with_session(SESSION)
    }

    pub fn with_session(text: &str) -> Meeting {
        let dir = tempfile::tempdir().expect("temporary directory");
        let session = dir.path().join("青溪镇四次会议.toml");
        std::fs::write(&session, text).expect("write the session file");
        let db = dir.path().join("meeting.db");
        Meeting { dir, session, db }
    }

    /// `huiwu [extra…] run SESSION --db DB` in a 100×30 terminal.
    pub fn console(&self, extra: &[&str]) -> Console {
        self.console_sized(extra, COLS, ROWS)
    }

    pub fn console_sized(&self, extra: &[&str], cols: u16, rows: u16) -> Console {
        let mut args: Vec<&std::ffi::OsStr> = extra.iter().map(|s| s.as_ref()).collect();
        args.push("run".as_ref());
        args.push(self.session.as_os_str());
        args.push("--db".as_ref());
        args.push(self.db.as_os_str());
        Console::spawn(&args, self.dir.path(), cols, rows)
    }

    /// `huiwu [extra…] verify --db DB`.
    pub fn verify(&self, extra: &[&str]) -> Output {
        let mut args: Vec<&std::ffi::OsStr> = extra.iter().map(|s| s.as_ref()).collect();
        args.push("verify".as_ref());
        args.push("--db".as_ref());
        args.push(self.db.as_os_str());
        huiwu(&args, self.dir.path())
    }

    /// The database, opened read-only (as a projector or export would).
    pub fn ro(&self) -> Connection {
        Connection::open_with_flags(&self.db, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the database read-only")
    }

    /// `attendance` table: deputy → status.
    pub fn attendance(&self) -> BTreeMap<String, String> {
        let c = self.ro();
        let mut st = c
            .prepare("SELECT deputy, status FROM attendance ORDER BY deputy")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// `agenda` row of `item`: (status, started, ended).
    pub fn agenda_row(&self, item: &str) -> Option<(String, Option<String>, Option<String>)> {
        self.ro()
            .query_row(
                "SELECT status, started, ended FROM agenda WHERE item = ?1",
                [item],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .unwrap()
    }

    /// Every event after the session definition: (seq, payload as JSON).
    pub fn events(&self) -> Vec<(i64, serde_json::Value)> {
        let c = self.ro();
        let mut st = c
            .prepare("SELECT seq, payload FROM events WHERE seq > 1 ORDER BY seq")
            .unwrap();
        st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .map(|r| {
                let (seq, p) = r.unwrap();
                (seq, serde_json::from_str(&p).expect("payload is JSON"))
            })
            .collect()
    }

    /// Hash of the last event (the chain head).
    pub fn head(&self) -> (i64, String) {
        self.ro()
            .query_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }
}

/// Run the `huiwu` binary to completion (no terminal).
pub fn huiwu<S: AsRef<std::ffi::OsStr>>(args: &[S], cwd: &Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run huiwu")
}

/// stdout and stderr of a finished command, for assertions and failure messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `huiwu ARGS` in `cwd` must succeed; its output.
#[track_caller]
pub fn ok(args: &[&str], cwd: &Path) -> String {
    let out = huiwu(args, cwd);
    assert!(out.status.success(), "huiwu {args:?}:\n{}", text(&out));
    text(&out)
}

/// `huiwu ARGS` in `cwd` must be refused (exit code 2); its output.
#[track_caller]
pub fn refused(args: &[&str], cwd: &Path) -> String {
    let out = huiwu(args, cwd);
    assert_eq!(
        out.status.code(),
        Some(2),
        "huiwu {args:?}:\n{}",
        text(&out)
    );
    text(&out)
}
