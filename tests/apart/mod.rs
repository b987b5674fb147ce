//! An independent corpus of marked ballot papers for the scan reader (docs/apart-corpus.md).
//!
//! Written apart from the crate's own generator: the blank papers come from the printed PDF
//! (rasterized by poppler), the boxes are found by looking at the pixels, the marks are pen
//! strokes drawn with jitter, and the scanner's distortions are done here. Nothing of the
//! crate's layout, raster or synth code is used.
#![allow(dead_code)]

pub mod blank;
pub mod distort;
pub mod pen;
pub mod plan;
pub mod rng;
pub mod score;

/// The three papers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    Columns,
    OneBox,
    Evaluation,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::Columns, Layout::OneBox, Layout::Evaluation];

    pub fn name(self) -> &'static str {
        match self {
            Layout::Columns => "columns",
            Layout::OneBox => "one_box",
            Layout::Evaluation => "evaluation",
        }
    }

    /// Boxes per row.
    pub fn choices(self) -> usize {
        match self {
            Layout::Columns => 3,
            Layout::OneBox => 1,
            Layout::Evaluation => 4,
        }
    }

    /// The letter of each column, left to right (one box: the letters its shapes give).
    pub fn letters(self) -> &'static [char] {
        match self {
            Layout::Columns | Layout::OneBox => &['Y', 'N', 'A'],
            Layout::Evaluation => &['S', 'B', 'U', 'A'],
        }
    }

    /// The words the table's heading prints over the boxes, left to right.
    pub fn heading(self) -> &'static [&'static str] {
        match self {
            Layout::Columns => &["赞成", "不赞成", "弃权"],
            Layout::OneBox => &["○", "×"],
            Layout::Evaluation => &["满意", "基本满意", "不满意", "弃权"],
        }
    }

    /// What the paper tells the voter counts (spaces and quotation marks taken out): the
    /// truth of the marks below follows these words.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Layout::Columns => &[
                "在框内画○或√",
                "不作标记的，视为弃权",
                "对同一项目在两栏以上作标记的，该项目按弃权计",
            ],
            Layout::OneBox => &["赞成的画○，不赞成的画×，弃权的不画"],
            Layout::Evaluation => &[
                "在框内画○或√",
                "不作标记的，视为弃权",
                "对同一项在两栏以上作标记的，该项按弃权计",
            ],
        }
    }

    /// The session file (in `sessions/`, one box made from the 票决's) and the ballot.
    pub fn session(self) -> (&'static str, &'static str) {
        match self {
            Layout::Columns => ("hexi-ballot.toml", "ballot"),
            Layout::OneBox => ("hexi-one-box.toml", "ballot"),
            Layout::Evaluation => ("jiangzhou-midyear.toml", "projects-rating"),
        }
    }
}

/// What a voter did in one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Circle,
    Cross,
    Check,
    Filled,
    Marker,
    Pencil,
    Tiny,
    Edge,
    CrossedOut,
    TwoMarks,
    Stray,
    Blank,
}

impl Class {
    pub const ALL: [Class; 12] = [
        Class::Circle,
        Class::Cross,
        Class::Check,
        Class::Filled,
        Class::Marker,
        Class::Pencil,
        Class::Tiny,
        Class::Edge,
        Class::CrossedOut,
        Class::TwoMarks,
        Class::Stray,
        Class::Blank,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::Circle => "circle",
            Class::Cross => "cross",
            Class::Check => "check",
            Class::Filled => "filled",
            Class::Marker => "marker",
            Class::Pencil => "pencil",
            Class::Tiny => "tiny",
            Class::Edge => "edge",
            Class::CrossedOut => "crossed_out",
            Class::TwoMarks => "two_marks",
            Class::Stray => "stray",
            Class::Blank => "blank",
        }
    }

    /// A mark made with an ordinary pen as the paper asks (or no mark).
    pub fn ordinary(self) -> bool {
        matches!(
            self,
            Class::Circle
                | Class::Cross
                | Class::Check
                | Class::Filled
                | Class::Marker
                | Class::Blank
        )
    }

    /// The classes a paper of `layout` gets (one box has no second box for two marks).
    pub fn of(layout: Layout) -> Vec<Class> {
        Class::ALL
            .into_iter()
            .filter(|c| layout != Layout::OneBox || *c != Class::TwoMarks)
            .collect()
    }
}

/// What the scanner did to a sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Distortion {
    Clean,
    Rotated,
    Scaled,
    Blur,
    Noise,
    Jpeg,
    UpsideDown,
    Threshold,
    Combo,
}

impl Distortion {
    pub const ALL: [Distortion; 9] = [
        Distortion::Clean,
        Distortion::Rotated,
        Distortion::Scaled,
        Distortion::Blur,
        Distortion::Noise,
        Distortion::Jpeg,
        Distortion::UpsideDown,
        Distortion::Threshold,
        Distortion::Combo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Distortion::Clean => "clean",
            Distortion::Rotated => "rotated",
            Distortion::Scaled => "scaled",
            Distortion::Blur => "blur",
            Distortion::Noise => "noise",
            Distortion::Jpeg => "jpeg",
            Distortion::UpsideDown => "upside_down",
            Distortion::Threshold => "threshold",
            Distortion::Combo => "combo",
        }
    }
}

/// The resolutions the papers are rasterized at.
pub const DPIS: [u32; 3] = [150, 200, 300];
