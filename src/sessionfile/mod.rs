//! Session files (TOML) and roster CSVs, loaded into a checked [`SessionDef`].
//! Every refusal names file, line, column and the field at fault.

pub mod locate;
pub mod roster;
mod validate;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::session::{AgendaItemDef, Deputy, SessionDef, SessionMeta, SupervisionDef};
use crate::i18n::{Lang, Text};
use crate::text;

use locate::{Locator, Seg};

/// A refusal of a session or roster file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: Text,
}

impl FileError {
    pub fn at(file: &Path, line: usize, column: usize, field: Option<&str>, message: Text) -> Self {
        FileError {
            file: file.to_path_buf(),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
            field: field.map(str::to_string),
            message,
        }
    }

    pub fn whole(file: &Path, message: Text) -> Self {
        FileError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: None,
            message,
        }
    }

    /// `file:line:col: field `x`: message` — the shape editors and people both read.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = self.file.display().to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s.push_str(": ");
        if let Some(f) = &self.field {
            s.push_str(&format!("{} `{f}`: ", lang.t("字段", "field")));
        }
        s.push_str(self.message.get(lang));
        s
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for FileError {}

/// The file as written; the roster may still be a CSV path.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    session: SessionMeta,
    roster: RawRoster,
    #[serde(default)]
    agenda: Vec<AgendaItemDef>,
    #[serde(default)]
    supervision: Vec<SupervisionDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoster {
    /// CSV path relative to the session file.
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    deputies: Vec<Deputy>,
}

/// A loaded session file with what `check` reports besides errors.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub def: SessionDef,
    pub path: PathBuf,
    /// Things a secretary should look at that do not stop the meeting (e.g. group balance).
    pub warnings: Vec<Text>,
}

/// Read, parse and check a session file (and its roster CSV).
/// Check a definition that did not come from a file (an amendment in a script) by the rules a
/// session file must meet; the refusal names the field.
pub fn check_definition(def: &SessionDef) -> Result<(), crate::i18n::Text> {
    let mut d = def.clone();
    match validate::check(&mut d) {
        Ok(_) if d == *def => Ok(()),
        Ok(_) => Err(crate::text!(
            "会议定义不完整(例如问题未写代表小组):请从会议文件修订(huiwu amend)",
            "the definition is incomplete (e.g. a question without its group): amend from a session file (huiwu amend)"
        )),
        Err((path, t)) => {
            let p = locate::render_path(&path);
            Err(crate::text!(
                format!("{p}:{}", t.zh),
                format!("{p}: {}", t.en)
            ))
        }
    }
}

pub fn load(path: &Path) -> Result<Loaded, FileError> {
    let bytes = std::fs::read(path).map_err(|e| {
        FileError::whole(
            path,
            text!(
                format!("无法读取会议文件:{e}"),
                format!("cannot read the session file: {e}")
            ),
        )
    })?;
    let base_dir = path.parent().unwrap_or(Path::new("."));
    parse_session(path, &bytes, &|rel| {
        let p = base_dir.join(rel);
        std::fs::read(&p).map(|b| (p, b))
    })
}

/// Reads a roster named in a session file: its resolved path and bytes.
pub type ReadRoster<'a> = &'a dyn Fn(&str) -> std::io::Result<(PathBuf, Vec<u8>)>;

/// Parse a session file from bytes; `read_roster` resolves a roster path relative to the file.
pub fn parse_session(
    path: &Path,
    bytes: &[u8],
    read_roster: ReadRoster<'_>,
) -> Result<Loaded, FileError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileError::whole(
            path,
            text!("会议文件是空的", "the session file is empty"),
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(FileError::at(
            path,
            1,
            1,
            None,
            text!(
                "会议文件是 UTF-16 编码(记事本的“Unicode”),请另存为 UTF-8",
                "the session file is UTF-16 (Notepad \"Unicode\"); save it as UTF-8"
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        FileError::at(
            path,
            line,
            1,
            None,
            text!(
                "会议文件必须是 UTF-8 编码(可能是用 GBK 保存的,请另存为 UTF-8)",
                "the session file must be UTF-8 (it may have been saved as GBK; save it as UTF-8)"
            ),
        )
    })?;
    let loc = Locator::new(text);
    let raw: RawFile = toml::from_str(text).map_err(|e| toml_error(path, text, &loc, &e))?;

    let mut roster_warnings = Vec::new();
    let deputies = match (&raw.roster.file, raw.roster.deputies.is_empty()) {
        (Some(_), false) => {
            return Err(error_at(
                path,
                &loc,
                &[locate::key("roster")],
                text!(
                    "花名册只能二选一:file = \"…csv\" 或 [[roster.deputies]]",
                    "give the roster either as file = \"….csv\" or as [[roster.deputies]], not both"
                ),
            ));
        }
        (None, true) => {
            return Err(error_at(
                path,
                &loc,
                &[locate::key("roster")],
                text!(
                    "花名册为空:请给出 file = \"花名册.csv\" 或 [[roster.deputies]]",
                    "the roster is empty: give file = \"roster.csv\" or [[roster.deputies]]"
                ),
            ));
        }
        (Some(rel), true) => {
            let (csv_path, csv) = read_roster(rel).map_err(|e| {
                error_at(
                    path,
                    &loc,
                    &[locate::key("roster"), locate::key("file")],
                    text!(
                        format!("无法读取花名册“{rel}”:{e}"),
                        format!("cannot read the roster \"{rel}\": {e}")
                    ),
                )
            })?;
            let r = roster::parse_roster(&csv_path, &csv)?;
            roster_warnings = r.warnings;
            r.deputies
        }
        (None, false) => raw.roster.deputies,
    };

    let mut def = SessionDef {
        session: raw.session,
        deputies,
        agenda: raw.agenda,
        supervision: raw.supervision,
    };
    let mut warnings = roster_warnings;
    warnings.extend(validate::check(&mut def).map_err(|(p, msg)| error_at(path, &loc, &p, msg))?);
    Ok(Loaded {
        def,
        path: path.to_path_buf(),
        warnings,
    })
}

fn error_at(path: &Path, loc: &Locator<'_>, at: &[Seg], msg: Text) -> FileError {
    let (line, col) = loc.find(at).unwrap_or((0, 0));
    let field = locate::render_path(at);
    FileError::at(path, line, col, (!field.is_empty()).then_some(&field), msg)
}

fn toml_error(path: &Path, text: &str, loc: &Locator<'_>, e: &toml::de::Error) -> FileError {
    let mut msg = e.message().trim().to_string();
    let (line, col, field) = match e.span() {
        Some(sp) => {
            let (l, c) = locate::line_col(text, sp.start);
            let mut p = loc.path_at(sp.start);
            if p.is_empty() {
                // The file does not parse: say at least which table the line is in.
                p = locate::header_path_before(text, sp.start);
            }
            if msg == "duplicate key" {
                let key = text.get(sp.clone()).unwrap_or("").trim().trim_matches('"');
                if !key.is_empty() {
                    msg = format!("duplicate key `{key}`");
                    p.push(locate::key(key));
                }
            }
            (l, c, locate::render_path(&p))
        }
        None => (0, 0, String::new()),
    };
    FileError::at(
        path,
        line,
        col,
        (!field.is_empty()).then_some(&field),
        text!(zh_toml_message(&msg), msg),
    )
}

/// The parser's common messages in Chinese; anything else keeps the English detail.
fn zh_toml_message(en: &str) -> String {
    let tick = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    if en.starts_with("missing field") {
        format!("缺少必填字段 `{}`", tick(en))
    } else if en.starts_with("unknown field") {
        let allowed = en.split("expected one of").nth(1).unwrap_or("").trim();
        format!("不认识的字段 `{}`(可用的字段:{allowed})", tick(en))
    } else if en.starts_with("unknown variant") {
        let allowed = en.split("expected one of").nth(1).unwrap_or("").trim();
        format!("取值 `{}` 无效(可选:{allowed})", tick(en))
    } else if en.starts_with("duplicate key") {
        format!("重复的字段 `{}`", tick(en))
    } else if en.starts_with("invalid type") {
        format!("类型不对:{en}")
    } else {
        format!("TOML 格式错误:{en}")
    }
}

#[cfg(test)]
mod tests;
