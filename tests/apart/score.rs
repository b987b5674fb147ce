//! Scoring the reader's letters against the truth: per choice right / wrong / to a clerk,
//! per sheet held or not read; tables by layout × class, × distortion, × resolution.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::plan::Kind;
use super::{Class, Distortion, Layout};

/// The truth of one row.
#[derive(Clone, Copy, Debug)]
pub struct Truth {
    pub letter: char,
    pub clerk_only: bool,
    pub class: Class,
    /// A pencil mark the black-and-white mode wiped off the image: the row is blank there.
    pub erased: bool,
}

/// One sheet as generated and as read.
pub struct SheetResult {
    pub layout: Layout,
    pub dpi: u32,
    pub distortion: Distortion,
    pub kind: Kind,
    pub index: usize,
    pub seed: u64,
    pub params: String,
    pub truth: Vec<Truth>,
    /// The reader's letters, or why it did not read the sheet.
    pub read: Result<String, String>,
    /// Per row, why the reader sent it to a clerk (its note), when it did.
    pub reasons: Vec<Option<String>>,
    /// CPU seconds of the reader's thread: decoding the file, and all of it (decode + read).
    pub decode_secs: f64,
    pub secs: f64,
}

impl SheetResult {
    pub fn name(&self) -> String {
        format!(
            "{}-{}-{}dpi-{:03}",
            self.layout.name(),
            self.distortion.name(),
            self.dpi,
            self.index
        )
    }

    /// Per row: `Some(true)` right, `Some(false)` wrong, `None` to a clerk.
    pub fn verdicts(&self) -> Vec<Option<bool>> {
        let Ok(read) = &self.read else {
            return Vec::new();
        };
        let letters: Vec<char> = read.chars().collect();
        self.truth
            .iter()
            .enumerate()
            .map(|(i, t)| match letters.get(i) {
                Some('?') => None,
                Some(&c) => Some(!t.clerk_only && c == t.letter),
                None => Some(false),
            })
            .collect()
    }

    pub fn csv_header() -> &'static str {
        "sheet,layout,dpi,distortion,kind,seed,params,truth,clerk_only,erased,classes,read\n"
    }

    pub fn csv(&self) -> String {
        let truth: String = self.truth.iter().map(|t| t.letter).collect();
        let only: String = self
            .truth
            .iter()
            .map(|t| if t.clerk_only { '1' } else { '0' })
            .collect();
        let erased: String = self
            .truth
            .iter()
            .map(|t| if t.erased { '1' } else { '0' })
            .collect();
        let classes: Vec<&str> = self.truth.iter().map(|t| t.class.name()).collect();
        let read = match &self.read {
            Ok(r) => r.clone(),
            Err(e) => format!("ERR {}", e.replace([',', '\n'], " ")),
        };
        format!(
            "{},{},{},{},{},{},{},{truth},{only},{erased},{},{read}\n",
            self.name(),
            self.layout.name(),
            self.dpi,
            self.distortion.name(),
            self.kind.name(),
            self.seed,
            self.params,
            classes.join(";")
        )
    }
}

#[derive(Default, Clone)]
pub struct Tally {
    pub choices: usize,
    pub wrong: usize,
    pub clerk: usize,
    pub sheets: usize,
    pub held: usize,
    pub unread: usize,
    pub secs: f64,
    pub decode_secs: f64,
}

impl Tally {
    fn row(&self, name: &str) -> String {
        let pc = |a: usize, b: usize| {
            if b == 0 {
                "-".to_string()
            } else {
                format!("{:.1}", 100.0 * a as f64 / b as f64)
            }
        };
        let rate = if self.secs > 0.0 {
            format!("{:.1}", self.sheets as f64 / self.secs)
        } else {
            "-".into()
        };
        format!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {rate} |\n",
            self.choices,
            self.wrong,
            pc(self.wrong, self.choices),
            pc(self.clerk, self.choices),
            self.sheets,
            pc(self.held, self.sheets),
            self.unread,
        )
    }
}

/// One wrong reading.
pub struct Wrong {
    pub sheet: String,
    pub class: Class,
    pub row: usize,
    pub truth: char,
    pub clerk_only: bool,
    pub read: char,
}

#[derive(Default)]
pub struct Report {
    pub by_class: BTreeMap<(Layout, Class), Tally>,
    pub by_distortion: BTreeMap<(Layout, Distortion), Tally>,
    pub by_dpi: BTreeMap<(Layout, u32), Tally>,
    pub by_kind: BTreeMap<(Layout, Kind), Tally>,
    pub ordinary: BTreeMap<Layout, Tally>,
    pub hard: BTreeMap<Layout, Tally>,
    pub total: Tally,
    pub wrongs: Vec<Wrong>,
    pub unread: Vec<(String, String)>,
    /// Rows sent to a clerk, by layout, class and the reader's reason.
    pub reasons: BTreeMap<(Layout, Class, String), usize>,
}

impl Report {
    pub fn add(&mut self, s: &SheetResult) {
        let verdicts = s.verdicts();
        let read: Vec<char> = s.read.as_deref().unwrap_or("").chars().collect();
        if let Err(e) = &s.read {
            self.unread.push((s.name(), e.clone()));
        }
        let held_sheet = verdicts.iter().any(Option::is_none);
        // Sheet-level tallies: every table that groups whole sheets.
        let unread = s.read.is_err();
        let bump = |t: &mut Tally, held: bool| {
            t.sheets += 1;
            t.secs += s.secs;
            t.decode_secs += s.decode_secs;
            t.held += usize::from(held);
            t.unread += usize::from(unread);
        };
        bump(
            self.by_distortion
                .entry((s.layout, s.distortion))
                .or_default(),
            held_sheet,
        );
        bump(
            self.by_dpi.entry((s.layout, s.dpi)).or_default(),
            held_sheet,
        );
        bump(
            self.by_kind.entry((s.layout, s.kind)).or_default(),
            held_sheet,
        );
        bump(&mut self.total, held_sheet);
        // Class-level tallies: a sheet counts once for each class on it, held if a row of
        // that class went to a clerk.
        let mut seen: BTreeMap<Class, bool> = BTreeMap::new();
        let mut groups: Vec<(bool, bool)> = vec![(false, false); 2];
        for (i, t) in s.truth.iter().enumerate() {
            let held = verdicts.get(i).is_some_and(Option::is_none);
            *seen.entry(t.class).or_default() |= held;
            let g = &mut groups[usize::from(!t.class.ordinary())];
            *g = (true, g.1 | held);
        }
        for (class, held) in seen {
            bump(self.by_class.entry((s.layout, class)).or_default(), held);
        }
        for (g, (present, held)) in groups.into_iter().enumerate() {
            if !present {
                continue;
            }
            let map = if g == 0 {
                &mut self.ordinary
            } else {
                &mut self.hard
            };
            bump(map.entry(s.layout).or_default(), held);
        }
        for (i, v) in verdicts.iter().enumerate() {
            let t = s.truth[i];
            let bump = |x: &mut Tally| {
                x.choices += 1;
                x.wrong += usize::from(*v == Some(false));
                x.clerk += usize::from(v.is_none());
            };
            bump(self.by_class.get_mut(&(s.layout, t.class)).unwrap());
            bump(
                self.by_distortion
                    .get_mut(&(s.layout, s.distortion))
                    .unwrap(),
            );
            bump(self.by_dpi.get_mut(&(s.layout, s.dpi)).unwrap());
            bump(self.by_kind.get_mut(&(s.layout, s.kind)).unwrap());
            let g = if t.class.ordinary() {
                &mut self.ordinary
            } else {
                &mut self.hard
            };
            bump(g.get_mut(&s.layout).unwrap());
            bump(&mut self.total);
            if v.is_none() {
                let why = s.reasons.get(i).cloned().flatten();
                *self
                    .reasons
                    .entry((s.layout, t.class, why.unwrap_or_else(|| "-".into())))
                    .or_default() += 1;
            }
            if *v == Some(false) {
                self.wrongs.push(Wrong {
                    sheet: s.name(),
                    class: t.class,
                    row: i + 1,
                    truth: t.letter,
                    clerk_only: t.clerk_only,
                    read: read.get(i).copied().unwrap_or('-'),
                });
            }
        }
    }

    /// The tables in Markdown, and the first wrong readings.
    pub fn render(&self, wrongs: usize) -> String {
        let head = |what: &str| {
            format!(
                "| {what} | choices | wrong | wrong % | to a clerk % | sheets | sheets held % | not read | sheets/s |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n"
            )
        };
        let mut out = String::new();
        let lay = |l: Layout| l.name();
        out += "\nBy layout × class (sheets: those with a row of the class; held: a row of it went to a clerk)\n\n";
        out += &head("layout / class");
        for ((l, c), t) in &self.by_class {
            out += &t.row(&format!("{} / {}", lay(*l), c.name()));
        }
        out += "\nOrdinary pen (circle, cross, check, filled, marker, blank) and hard classes\n\n";
        out += &head("layout / subset");
        for (l, t) in &self.ordinary {
            out += &t.row(&format!("{} / ordinary", lay(*l)));
        }
        for (l, t) in &self.hard {
            out += &t.row(&format!("{} / hard", lay(*l)));
        }
        out += "\nBy layout × distortion\n\n";
        out += &head("layout / distortion");
        for ((l, d), t) in &self.by_distortion {
            out += &t.row(&format!("{} / {}", lay(*l), d.name()));
        }
        out += "\nBy layout × resolution\n\n";
        out += &head("layout / dpi");
        for ((l, d), t) in &self.by_dpi {
            out += &t.row(&format!("{} / {d}", lay(*l)));
        }
        out += "\nBy layout × whole paper\n\n";
        out += &head("layout / paper");
        for ((l, k), t) in &self.by_kind {
            out += &t.row(&format!("{} / {}", lay(*l), k.name()));
        }
        out += "\nRows to a clerk by the reader's reason\n\n| layout / class | reason | rows |\n|---|---|--:|\n";
        for ((l, c, why), n) in &self.reasons {
            let _ = writeln!(out, "| {} / {} | {why} | {n} |", lay(*l), c.name());
        }
        out += "\nAll\n\n";
        out += &head("all");
        out += &self.total.row("all");
        let t = &self.total;
        if t.sheets > 0 {
            let _ = writeln!(
                out,
                "\nreader CPU per sheet (one thread): {:.1} ms decoding the file, {:.1} ms locating and reading",
                1e3 * t.decode_secs / t.sheets as f64,
                1e3 * (t.secs - t.decode_secs) / t.sheets as f64
            );
        }
        let _ = writeln!(
            out,
            "\n{} wrong readings, {} sheets not read",
            self.wrongs.len(),
            self.unread.len()
        );
        for w in self.wrongs.iter().take(wrongs) {
            let _ = writeln!(
                out,
                "  WRONG {} row {} {}: truth {}{} read {}",
                w.sheet,
                w.row,
                w.class.name(),
                w.truth,
                if w.clerk_only { " (clerk only)" } else { "" },
                w.read
            );
        }
        for (s, why) in self.unread.iter().take(wrongs) {
            let _ = writeln!(out, "  NOT READ {s}: {why}");
        }
        out
    }
}
