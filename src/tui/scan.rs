//! Scanning at the count screen. A folder the scanner fills is watched: a scan is read once its
//! file has stopped growing, in batches (one `ScanSheets` entry each, committed before the
//! progress line counts it), and a refused batch stops the watch for the scrutineers. Sheets
//! with a doubtful mark wait for a clerk (判定): one at a time, the row's picture, the machine's
//! reading and ink; the clerk keys what the paper says, recorded with who ruled.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::GrayImage;
use ratatui::layout::Rect;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;

use crate::domain::action::Action;
use crate::i18n::{Lang, Text};
use crate::paper::scan::Frame;
use crate::paper::stack::{self, Tally};
use crate::paper::{PaperSpec, Sheet};
use crate::text;
use crate::tui::app::{App, Flash, Modal, Purpose};
use crate::tui::entry::Entry;
use crate::tui::input::TextInput;
use crate::tui::keys::Cmd;

/// How long one look at the folder may spend reading, so that keys are still answered.
const BUDGET: Duration = Duration::from_millis(400);
/// Between two looks at the folder: a file is read when its size held still across one.
const LOOK_EVERY: Duration = Duration::from_millis(300);

/// A file as last seen: its size and when it was last written.
type Seen = (u64, Option<std::time::SystemTime>);

pub struct Watch {
    pub ballot: String,
    pub dir: PathBuf,
    /// Files not read yet, as seen at the last look.
    seen: HashMap<PathBuf, Seen>,
    /// Files read (recorded, read before or refused), as they were then: a file written again
    /// under the same name is read again.
    done: HashSet<(PathBuf, Seen)>,
    /// What this watch has read so far.
    pub tally: Tally,
    /// Why the watch stopped (a refused batch, the folder gone); shown until it starts again.
    pub stopped: Option<Text>,
    /// How long one sheet took to read, to size the next batch.
    per_sheet: Duration,
    last_look: Option<Instant>,
}

/// A scan is read only when it was last written this long ago and looked the same at the
/// look before: a scanner pausing in the middle of a file must not have half a page read.
const SETTLED: Duration = Duration::from_millis(1500);

impl Watch {
    pub fn new(ballot: &str, dir: PathBuf) -> Self {
        Watch {
            ballot: ballot.to_string(),
            dir,
            seen: HashMap::new(),
            done: HashSet::new(),
            tally: Tally::default(),
            stopped: None,
            per_sheet: Duration::from_millis(50),
            last_look: None,
        }
    }

    /// Scans that have settled (the same size and time at two looks, written a while ago), in
    /// scan order, each with how it was seen.
    fn ready(&mut self) -> Result<Vec<(PathBuf, Seen)>, Text> {
        if !self.dir.is_dir() {
            return Err(text!(
                format!("找不到文件夹 {}", self.dir.display()),
                format!("the folder {} is not there", self.dir.display())
            ));
        }
        let mut refused = Vec::new();
        let files = stack::files_in(std::slice::from_ref(&self.dir), &mut refused)?;
        // What is no file to read (a link, a device, a file far too large) is said once, and
        // again only if it changes.
        for (name, why) in refused {
            let path = PathBuf::from(&name);
            let now: Seen = std::fs::symlink_metadata(&path)
                .map(|m| (m.len(), m.modified().ok()))
                .unwrap_or((0, None));
            if self.done.insert((path, now)) {
                self.tally.refused += 1;
                self.tally.refusals.push((name, why));
            }
        }
        let mut ready = Vec::new();
        let mut seen = HashMap::new();
        for f in files {
            let Ok(meta) = std::fs::metadata(&f) else {
                continue;
            };
            let now: Seen = (meta.len(), meta.modified().ok());
            if self.done.contains(&(f.clone(), now)) {
                continue;
            }
            let settled = now
                .1
                .and_then(|t| t.elapsed().ok())
                .is_none_or(|age| age >= SETTLED);
            if settled && self.seen.get(&f) == Some(&now) {
                ready.push((f.clone(), now));
            }
            seen.insert(f, now);
        }
        self.seen = seen;
        Ok(ready)
    }

    /// Scans in the folder not read yet.
    pub fn pending(&self) -> usize {
        self.seen.len()
    }

    pub fn running(&self) -> bool {
        self.stopped.is_none()
    }
}

/// The sheet on the clerk's desk in the 判定 queue.
pub struct Ruling {
    pub ballot: String,
    pub serial: String,
    /// The machine's reading where it was sure; the doubtful rows empty until keyed.
    pub entry: Entry,
    pub paper: (PaperSpec, Sheet),
    /// The clerk was told that leaving drops the rows keyed: the next leaving key does.
    pub drop_armed: bool,
}

/// Which waiting sheet the desk takes, in scan order.
enum Pick {
    First,
    After(String),
    Before(String),
}

/// The scan behind the picture, decoded once per sheet (by its kept image's path), and the
/// picture last drawn.
#[derive(Default)]
pub struct Pictures {
    pub picker: Option<Picker>,
    scan: Option<(String, Result<Located, Text>)>,
    shown: Option<(PictureKey, Result<Protocol, Text>)>,
}

type PictureKey = (String, usize, u16, u16);
/// A kept scan decoded, and where the sheet lies in it.
type Located = (GrayImage, Frame);

impl Pictures {
    /// Row `row` of the sheet kept at `path`, fitted to `area`. Made again only when the
    /// sheet, the row or the area changes.
    pub fn picture(
        &mut self,
        path: &Path,
        sheet: &Sheet,
        row: usize,
        area: Rect,
    ) -> Result<&Protocol, &Text> {
        // The kept image's path names the ballot, the serial and the hash: one sheet's own key.
        let name = path.display().to_string();
        let key = (name.clone(), row, area.width, area.height);
        if self.shown.as_ref().is_none_or(|(k, _)| *k != key) {
            if self.scan.as_ref().is_none_or(|(s, _)| *s != name) {
                let read = std::fs::read(path)
                    .map_err(|e| {
                        text!(
                            format!("{}:{e}", path.display()),
                            format!("{}: {e}", path.display())
                        )
                    })
                    .and_then(|b| crate::paper::intake::grey(&b))
                    .and_then(|g| crate::paper::scan::locate(&g).map(|(f, _)| (g, f)));
                self.scan = Some((name, read));
            }
            let picker = self.picker.get_or_insert_with(Picker::halfblocks).clone();
            let made = match &self.scan {
                Some((_, Ok((img, frame)))) => {
                    let fs = picker.font_size();
                    let (w, h) = (
                        u32::from(area.width) * u32::from(fs.width.max(1)),
                        u32::from(area.height) * u32::from(fs.height.max(1)),
                    );
                    crate::paper::crop::row_picture(
                        img,
                        frame,
                        sheet,
                        row,
                        w as f32 / h.max(1) as f32,
                        w.min(1600),
                    )
                    .ok_or_else(|| text!("没有这一栏".to_string(), "no such row".to_string()))
                    .and_then(|pic| {
                        picker
                            .new_protocol(
                                image::DynamicImage::ImageLuma8(pic),
                                area.into(),
                                ratatui_image::Resize::Fit(None),
                            )
                            .map_err(|e| {
                                text!(
                                    format!("图像无法显示:{e}"),
                                    format!("cannot show the image: {e}")
                                )
                            })
                    })
                }
                Some((_, Err(t))) => Err(t.clone()),
                None => Err(text!(String::new(), String::new())),
            };
            self.shown = Some((key, made));
        }
        match &self.shown {
            Some((_, Ok(p))) => Ok(p),
            Some((_, Err(t))) => Err(t),
            None => unreachable!("set just above"),
        }
    }
}

/// The picker for this terminal, from what it says of itself without being asked: the graphics
/// its name promises (kitty; iTerm2 and WezTerm; foot, mlterm and contour draw sixels) and the
/// font's size from the window's pixels. `HUIWU_GRAPHICS=halfblocks|sixel|kitty|iterm2` decides
/// instead. The terminal is never queried on stdin: a terminal (or a detached tmux) that does
/// not answer would leave the query reading the clerk's keys.
pub fn ask_terminal() -> Picker {
    use ratatui_image::picker::ProtocolType;
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    let (term, program) = (env("TERM"), env("TERM_PROGRAM"));
    let chosen = match env("HUIWU_GRAPHICS").as_str() {
        "halfblocks" => Some(ProtocolType::Halfblocks),
        "sixel" => Some(ProtocolType::Sixel),
        "kitty" => Some(ProtocolType::Kitty),
        "iterm2" => Some(ProtocolType::Iterm2),
        _ => None,
    };
    let guessed = if !env("KITTY_WINDOW_ID").is_empty() || term == "xterm-kitty" {
        ProtocolType::Kitty
    } else if program == "iTerm.app" || program == "WezTerm" {
        ProtocolType::Iterm2
    } else if ["foot", "mlterm", "contour"]
        .iter()
        .any(|t| term.starts_with(t))
    {
        ProtocolType::Sixel
    } else {
        ProtocolType::Halfblocks
    };
    let protocol = chosen.unwrap_or(guessed);
    let font = ratatui::crossterm::terminal::window_size()
        .ok()
        .filter(|w| w.width > 0 && w.height > 0 && w.columns > 0 && w.rows > 0)
        .map(|w| ratatui_image::FontSize::new(w.width / w.columns, w.height / w.rows));
    // Chosen by name with no pixel size from the window: a common cell size, 10×20.
    let font = font.or_else(|| chosen.map(|_| ratatui_image::FontSize::new(10, 20)));
    match font {
        // Pictures in pixels need the cell's size; without it only half-blocks fit the cells.
        Some(fs) if protocol != ProtocolType::Halfblocks => {
            #[allow(deprecated)] // the way to give the size without querying stdin
            let mut p = Picker::from_fontsize(fs);
            p.set_protocol_type(protocol);
            p
        }
        _ => Picker::halfblocks(),
    }
}

impl App {
    /// The folder watch's look, from the event loop: read what the scanner has finished saving.
    pub fn scan_tick(&mut self) -> bool {
        let Some(w) = self.watch.as_mut() else {
            return false;
        };
        if !w.running() || w.last_look.is_some_and(|t| t.elapsed() < LOOK_EVERY) {
            return false;
        }
        w.last_look = Some(Instant::now());
        if self
            .engine
            .state()
            .ballots
            .get(&w.ballot)
            .is_none_or(|b| b.locked())
        {
            w.stopped = Some(text!(
                "结果已宣布并锁定,不再读入扫描件".to_string(),
                "the result is announced and locked; no more scans are read".to_string()
            ));
            self.save_memory();
            return true;
        }
        let ready = match w.ready() {
            Ok(r) => r,
            Err(t) => {
                w.stopped = Some(t);
                return true;
            }
        };
        if ready.is_empty() {
            return false;
        }
        let n = (BUDGET.as_millis() / w.per_sheet.as_millis().max(1)).clamp(1, 50) as usize;
        let batch: Vec<(PathBuf, Seen)> = ready.into_iter().take(n).collect();
        let ballot = w.ballot.clone();
        let mut tally = Tally::default();
        let files: Vec<PathBuf> = batch.iter().map(|(f, _)| f.clone()).collect();
        let images = stack::load(&files, &mut tally);
        let started = Instant::now();
        let result = stack::record(&mut self.engine, &ballot, &images);
        let Some(w) = self.watch.as_mut() else {
            return true;
        };
        w.per_sheet = started.elapsed() / images.len().max(1) as u32;
        match result {
            Ok(t) => {
                tally.add(t);
                w.tally.add(tally);
                for (f, seen) in batch {
                    w.seen.remove(&f);
                    w.done.insert((f, seen));
                }
            }
            Err(t) => {
                // Nothing of the batch was recorded: its files are read again once restarted.
                w.tally.add(tally);
                self.flash_err(t.get(self.lang).to_string());
                if let Some(w) = self.watch.as_mut() {
                    w.stopped = Some(t);
                }
            }
        }
        self.count.sync(self.engine.state());
        self.save_memory();
        true
    }

    /// Whether the folder watch has scans left to read (the loop then looks again sooner).
    pub fn scanning(&self) -> bool {
        self.watch
            .as_ref()
            .is_some_and(|w| w.running() && w.pending() > 0)
    }

    /// Ctrl-S (start or stop the watch) and Ctrl-R (open the 判定 queue) on the count screen.
    pub fn scan_dispatch(&mut self, cmd: Cmd, ballot: &str) {
        let lang = self.lang;
        match cmd {
            Cmd::ScanFolder => {
                if let Some(w) = self.watch.as_ref().filter(|w| w.running()) {
                    let here = w.ballot == ballot;
                    let text = match lang {
                        Lang::Zh => format!(
                            "已停止监视 {}:本次读入 {} 张,均已记录;文件夹中尚有 {} 张未读",
                            w.dir.display(),
                            w.tally.read,
                            w.pending()
                        ),
                        Lang::En => format!(
                            "stopped watching {}: {} sheets read, all recorded; {} in the folder not read",
                            w.dir.display(),
                            w.tally.read,
                            w.pending()
                        ),
                    };
                    self.watch = None;
                    self.save_memory();
                    self.flash = Some(Flash { text, ok: true });
                    // Ctrl-S at another ballot's count: that watch stops, this one is offered.
                    if here {
                        return;
                    }
                }
                if self
                    .engine
                    .state()
                    .ballots
                    .get(ballot)
                    .is_some_and(|b| b.locked())
                {
                    self.flash_err(
                        lang.t(
                            "结果已宣布并锁定,不能再读入扫描件",
                            "the result is announced and locked: no scans can be read",
                        )
                        .to_string(),
                    );
                    return;
                }
                let initial = self
                    .watch
                    .as_ref()
                    .map(|w| w.dir.display().to_string())
                    .or_else(|| self.last_scan_dir.clone())
                    .unwrap_or_default();
                self.modal = Some(Modal::Input {
                    title: lang
                        .t(
                            "扫描:扫描仪存放扫描件的文件夹(读入其中已有的和陆续存入的选票)",
                            "Scan: the folder the scanner saves to (what is there and what arrives is read)",
                        )
                        .to_string(),
                    input: TextInput::with(&initial),
                    purpose: Purpose::ScanFolder {
                        ballot: ballot.to_string(),
                    },
                });
            }
            Cmd::Adjudicate => {
                let waiting = self
                    .engine
                    .state()
                    .ballots
                    .get(ballot)
                    .map_or(0, |b| b.waiting_sheets().count());
                if waiting == 0 {
                    self.flash_err(
                        lang.t(
                            "没有待判定的扫描件",
                            "no scanned sheet is waiting for a ruling",
                        )
                        .to_string(),
                    );
                    return;
                }
                // Asked each time (the last name offered): a new shift names itself.
                let last = self.adjudicator.clone().unwrap_or_default();
                let title = match (lang, last.is_empty()) {
                    (Lang::Zh, true) => "判定人:本次票决的监票人或计票人姓名(记入每一次判定)",
                    (Lang::Zh, false) => {
                        "判定人:本次票决的监票人或计票人姓名(记入每一次判定;Enter 沿用)"
                    }
                    (Lang::En, true) => {
                        "Who rules: a scrutineer or clerk of this ballot (recorded with each ruling)"
                    }
                    (Lang::En, false) => {
                        "Who rules: a scrutineer or clerk of this ballot (recorded with each ruling; Enter keeps it)"
                    }
                };
                self.modal = Some(Modal::Input {
                    title: title.to_string(),
                    input: TextInput::with(&last),
                    purpose: Purpose::Adjudicator {
                        ballot: ballot.to_string(),
                    },
                });
            }
            _ => {}
        }
    }

    pub fn submit_scan(&mut self, purpose: &Purpose, text: &str) -> bool {
        let lang = self.lang;
        match purpose {
            Purpose::ScanFolder { ballot } => {
                let dir = PathBuf::from(text.trim());
                if text.trim().is_empty() || !dir.is_dir() {
                    self.flash_err(match lang {
                        Lang::Zh => format!("找不到文件夹:{}", text.trim()),
                        Lang::En => format!("no such folder: {}", text.trim()),
                    });
                    return false;
                }
                let b = self.engine.state().ballots.get(ballot);
                if b.is_none_or(|b| b.returned_declared.is_none()) {
                    let k = self.key(Cmd::Returned);
                    self.flash_err(match lang {
                        Lang::Zh => format!("请先登记收回票数({k}):扫描的选票要与收回票数核对"),
                        Lang::En => format!(
                            "enter the papers returned first ({k}): the sheets scanned are held against it"
                        ),
                    });
                    return false;
                }
                let fp = self.engine.genesis().fingerprint.clone();
                if let Err(t) = crate::paper::paper_of(self.engine.state(), ballot, &fp) {
                    self.flash_err(t.get(lang).to_string());
                    return false;
                }
                self.last_scan_dir = Some(dir.display().to_string());
                self.flash = Some(Flash {
                    text: match lang {
                        Lang::Zh => format!(
                            "开始监视 {}:扫描仪存入的选票将逐批读入;再按 {} 停止",
                            dir.display(),
                            self.key(Cmd::ScanFolder)
                        ),
                        Lang::En => format!(
                            "watching {}: scans are read in batches as they arrive; {} stops",
                            dir.display(),
                            self.key(Cmd::ScanFolder)
                        ),
                    },
                    ok: true,
                });
                self.watch = Some(Watch::new(ballot, dir));
                self.save_memory();
                true
            }
            Purpose::Adjudicator { ballot } => {
                let name = text.trim();
                if name.is_empty() {
                    self.flash_err(
                        lang.t("判定须写明判定人", "a ruling names who made it")
                            .to_string(),
                    );
                    return false;
                }
                // The ballot's staff (F4), when recorded, are the ones who may rule.
                let staff: Vec<String> = self
                    .engine
                    .state()
                    .ballots
                    .get(ballot)
                    .map(|b| b.scrutineers.iter().chain(&b.clerks).cloned().collect())
                    .unwrap_or_default();
                if !staff.is_empty() && !staff.iter().any(|s| s == name) {
                    self.flash_err(match lang {
                        Lang::Zh => format!(
                            "{name} 不是本次票决的监票人或计票人({});如有变动请先按 {} 更正",
                            staff.join("、"),
                            self.key(Cmd::Staff)
                        ),
                        Lang::En => format!(
                            "{name} is not a scrutineer or clerk of this ballot ({}); correct the staff with {} first",
                            staff.join(", "),
                            self.key(Cmd::Staff)
                        ),
                    });
                    return false;
                }
                self.adjudicator = Some(name.to_string());
                self.open_ruling(ballot, Pick::First);
                true
            }
            Purpose::Overrule {
                ballot,
                serial,
                marks,
            } => {
                if text.trim().is_empty() {
                    self.flash_err(
                        lang.t("改判须写明理由", "overruling a sure row needs a reason")
                            .to_string(),
                    );
                    return false;
                }
                self.rule(
                    ballot.clone(),
                    serial.clone(),
                    marks.clone(),
                    Some(text.trim().to_string()),
                );
                true
            }
            _ => false,
        }
    }

    /// Put a waiting sheet on the desk, chosen in scan order; leave the desk when none waits.
    fn open_ruling(&mut self, ballot: &str, pick: Pick) {
        let lang = self.lang;
        let st = self.engine.state();
        let Some(b) = st.ballots.get(ballot) else {
            return;
        };
        let at = |serial: &str| b.sheets.iter().position(|r| r.sheet.serial == serial);
        let waiting: Vec<(usize, &crate::domain::ballots::SheetRecord)> = b
            .sheets
            .iter()
            .enumerate()
            .filter(|(_, r)| r.waiting())
            .collect();
        let chosen = match &pick {
            Pick::First => waiting.first(),
            Pick::After(s) => {
                let i = at(s).unwrap_or(0);
                waiting.iter().find(|(j, _)| *j > i).or(waiting.first())
            }
            Pick::Before(s) => {
                let i = at(s).unwrap_or(0);
                waiting
                    .iter()
                    .rev()
                    .find(|(j, _)| *j < i)
                    .or(waiting.last())
            }
        };
        let Some((_, rec)) = chosen else {
            self.ruling = None;
            return;
        };
        let fp = self.engine.genesis().fingerprint.clone();
        let paper = match crate::paper::paper_of(st, ballot, &fp) {
            Ok(p) => p,
            Err(t) => {
                self.flash_err(t.get(lang).to_string());
                self.ruling = None;
                return;
            }
        };
        let mut entry = Entry::new(b.candidates.len());
        for (i, c) in rec.sheet.read.chars().enumerate() {
            if let Some(m) = entry.marks.get_mut(i) {
                *m = (c != '?').then_some(c);
            }
        }
        entry.cursor = entry.marks.iter().position(Option::is_none).unwrap_or(0);
        let serial = rec.sheet.serial.clone();
        if self.pictures.borrow().picker.is_none() && self.terminal_graphics {
            self.pictures.borrow_mut().picker = Some(ask_terminal());
        }
        self.ruling = Some(Ruling {
            ballot: ballot.to_string(),
            serial,
            entry,
            paper,
            drop_armed: false,
        });
    }

    /// Rows (1-based) where `marks` differ from what the machine read for sure on `serial`.
    fn sure_rows_changed(&self, ballot: &str, serial: &str, marks: &str) -> Vec<usize> {
        let Some(rec) = self
            .engine
            .state()
            .ballots
            .get(ballot)
            .and_then(|b| b.sheets.iter().find(|s| s.sheet.serial == serial))
        else {
            return Vec::new();
        };
        rec.sheet
            .read
            .chars()
            .zip(marks.chars())
            .enumerate()
            .filter(|(_, (r, m))| *r != '?' && r != m)
            .map(|(k, _)| k + 1)
            .collect()
    }

    /// Record the ruling, then bring the next waiting sheet.
    fn rule(&mut self, ballot: String, serial: String, marks: String, overrule: Option<String>) {
        let by = self.adjudicator.clone().unwrap_or_default();
        let action = Action::RuleSheet {
            ballot,
            serial,
            marks,
            by,
            overrule,
        };
        if self.execute(action) {
            self.next_sheet_on_desk();
        }
    }

    /// After a ruling: the next waiting sheet in scan order, or the desk closes saying so.
    pub fn next_sheet_on_desk(&mut self) {
        let Some(r) = self.ruling.as_ref() else {
            return;
        };
        let (ballot, serial) = (r.ballot.clone(), r.serial.clone());
        self.open_ruling(&ballot, Pick::After(serial));
        if self.ruling.is_none() {
            self.flash = Some(Flash {
                text: self
                    .lang
                    .t("✓ 扫描件均已判定", "✓ every scanned sheet is ruled")
                    .to_string(),
                ok: true,
            });
        }
    }

    /// The desk is for the ballot on the count screen: another ballot's screen leaves it aside
    /// (kept, not acting) until the clerk comes back.
    pub fn ruling_here(&self) -> bool {
        self.screen == crate::tui::keys::Screen::Ballot
            && self
                .ruling
                .as_ref()
                .is_some_and(|r| self.current_ballot().is_some_and(|b| b.id == r.ballot))
    }

    /// The sheet on the desk, if the clerk has keyed any of its doubtful rows (quitting drops it).
    pub fn ruling_keyed(&self) -> Option<String> {
        let r = self.ruling.as_ref()?;
        let b = self.engine.state().ballots.get(&r.ballot)?;
        let rec = b.sheets.iter().find(|s| s.sheet.serial == r.serial)?;
        let machine: Vec<Option<char>> = rec
            .sheet
            .read
            .chars()
            .map(|c| (c != '?').then_some(c))
            .collect();
        (machine != r.entry.marks).then(|| r.serial.clone())
    }

    /// Keys while a scanned sheet is on the desk. Returns false for what the general
    /// dispatcher does (screens, help, quit).
    pub fn ruling_dispatch(&mut self, cmd: Cmd) -> bool {
        let lang = self.lang;
        let keyed = self.ruling_keyed().is_some();
        let Some(r) = self.ruling.as_mut() else {
            return false;
        };
        // Leaving a sheet whose rows were keyed drops them: the key is pressed twice for that.
        let leaving = matches!(cmd, Cmd::PageDown | Cmd::PageUp | Cmd::LeaveRuling);
        if leaving && keyed && !r.drop_armed {
            r.drop_armed = true;
            let serial = r.serial.clone();
            self.flash_err(match lang {
                Lang::Zh => format!(
                    "扫描件 {serial} 已键入的判定尚未计入:按 Enter 计入;再按一次此键则放弃所键入的"
                ),
                Lang::En => format!(
                    "the rows keyed on sheet {serial} are not counted: Enter counts them; press the key again to drop them"
                ),
            });
            return true;
        }
        r.drop_armed = false;
        let n = r.entry.marks.len();
        match cmd {
            Cmd::Mark(c) => {
                let i = r.entry.cursor.min(n.saturating_sub(1));
                if let Some(m) = r.entry.marks.get_mut(i) {
                    *m = Some(c);
                }
                // On to the next row still undecided; with none left the cursor stays on the row
                // just keyed, so a stray key can only change what the clerk is looking at.
                r.entry.cursor = (i + 1..n)
                    .chain(0..i)
                    .find(|&j| r.entry.marks[j].is_none())
                    .unwrap_or(i);
            }
            Cmd::Up => r.entry.cursor = r.entry.cursor.saturating_sub(1),
            Cmd::Down => r.entry.cursor = (r.entry.cursor + 1).min(n.saturating_sub(1)),
            Cmd::Back => {
                if let Some(m) = r.entry.marks.get_mut(r.entry.cursor) {
                    *m = None;
                }
            }
            Cmd::PageDown | Cmd::PageUp => {
                let (ballot, serial) = (r.ballot.clone(), r.serial.clone());
                let pick = if cmd == Cmd::PageDown {
                    Pick::After(serial)
                } else {
                    Pick::Before(serial)
                };
                self.open_ruling(&ballot, pick);
            }
            Cmd::LeaveRuling => {
                self.ruling = None;
                self.flash = Some(Flash {
                    text: lang
                        .t(
                            "已离开判定;待判定的扫描件仍未计入",
                            "left the queue; the sheets waiting are still not counted",
                        )
                        .to_string(),
                    ok: true,
                });
            }
            Cmd::Record => {
                if let Some(i) = r.entry.marks.iter().position(Option::is_none) {
                    r.entry.cursor = i;
                    self.flash_err(match lang {
                        Lang::Zh => format!("第 {} 栏尚未判定:按选票上所画键入", i + 1),
                        Lang::En => {
                            format!("row {} is not decided yet: key what the paper shows", i + 1)
                        }
                    });
                    return true;
                }
                let by = self.adjudicator.clone().unwrap_or_default();
                let (ballot, serial, marks) =
                    (r.ballot.clone(), r.serial.clone(), r.entry.letters());
                let changed = self.sure_rows_changed(&ballot, &serial, &marks);
                if !changed.is_empty() {
                    // A row the machine read for sure is overruled only by a scrutineer, with
                    // the reason: asked here, refused for anyone else by the rules.
                    let rows = changed
                        .iter()
                        .map(|k| k.to_string())
                        .collect::<Vec<_>>()
                        .join(lang.t("、", ", "));
                    let scrutineer = self
                        .engine
                        .state()
                        .ballots
                        .get(&ballot)
                        .is_some_and(|b| b.is_staff(&by, true));
                    if !scrutineer {
                        self.flash_err(match lang {
                            Lang::Zh => format!(
                                "第 {rows} 栏机器已确定读出:计票人只判定标“?”的栏;如须改判,由监票人判定并写明理由(Backspace 清除后按原读键入可恢复)"
                            ),
                            Lang::En => format!(
                                "row(s) {rows} were read for sure: a clerk rules the ? rows only; a scrutineer may overrule, with a reason (key the machine's reading again to undo)"
                            ),
                        });
                        return true;
                    }
                    self.modal = Some(Modal::Input {
                        title: match lang {
                            Lang::Zh => format!(
                                "改判扫描件 {serial} 第 {rows} 栏(机器已确定读出):监票人 {by} 写明理由"
                            ),
                            Lang::En => format!(
                                "Overruling row(s) {rows} of sheet {serial} (read for sure): scrutineer {by}, the reason"
                            ),
                        },
                        input: TextInput::with(""),
                        purpose: Purpose::Overrule {
                            ballot,
                            serial,
                            marks,
                        },
                    });
                    return true;
                }
                self.rule(ballot, serial, marks, None);
            }
            Cmd::SetAside => {
                let (ballot, serial) = (r.ballot.clone(), r.serial.clone());
                let Some(twin) = self
                    .engine
                    .state()
                    .ballots
                    .get(&ballot)
                    .and_then(|b| b.sheets.iter().find(|s| s.sheet.serial == serial))
                    .and_then(|s| s.sheet.twin.clone())
                else {
                    self.flash_err(match lang {
                        Lang::Zh => format!(
                            "扫描件 {serial} 不是疑似重复送入的扫描件:只有这样的扫描件可以不计"
                        ),
                        Lang::En => format!(
                            "sheet {serial} is not held as a possible second feed: only such a sheet can be set aside"
                        ),
                    });
                    return true;
                };
                let by = self.adjudicator.clone().unwrap_or_default();
                let (title, lines, verb) = match lang {
                    Lang::Zh => (
                        "重复送入的扫描件不计".to_string(),
                        vec![
                            format!("扫描件 {serial} 的笔迹与已读入的 {twin} 完全吻合。"),
                            format!(
                                "判定为同一张选票重复送入:{serial} 不计票,其图像和本判定({by})记入记录。"
                            ),
                            "如是两张不同的选票,请取消后逐栏核对并按 Enter 计入。".to_string(),
                        ],
                        "不计",
                    ),
                    Lang::En => (
                        "Set aside a second feed".to_string(),
                        vec![
                            format!("Sheet {serial} matches {twin}, read before, stroke for stroke."),
                            format!(
                                "Ruled the same paper fed twice: {serial} is not counted; its image and this ruling ({by}) stay on record."
                            ),
                            "If they are two different papers, cancel, check each row and press Enter to count it.".to_string(),
                        ],
                        "set it aside",
                    ),
                };
                self.ask(
                    title,
                    lines,
                    verb,
                    crate::tui::confirm::Then::execute(Action::SetAsideSheet {
                        ballot,
                        serial,
                        by,
                    }),
                );
            }
            Cmd::NextScreen | Cmd::PrevScreen | Cmd::GoTo(_) | Cmd::Help | Cmd::Quit => {
                return false;
            }
            _ => self.flash_err(
                lang.t(
                    "正在判定扫描件:按 Esc 离开判定后再做其他操作",
                    "ruling a scanned sheet: press Esc to leave the queue first",
                )
                .to_string(),
            ),
        }
        true
    }
}
