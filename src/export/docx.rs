//! `huiwu export --format docx`: the minutes (会议记录) for Word and WPS. A4, 仿宋_GB2312 body, 方正小标宋简体 titles, 黑体 and 楷体_GB2312 headings; the
//! font table names the usual substitutes (仿宋, 宋体, 楷体) for PCs without the GB2312 fonts.
//! Each announced count's result sheet (公告) follows on a page of its own.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, PageNum, Paragraph, Run,
    RunFonts, Shading, ShdType, SpecialIndentType, Style, StyleType, Table, TableCell,
    TableLayoutType, TableRow, WidthType,
};

use super::minutes::{BallotSection, Minutes, NOTICE_LEVELS, Notice};
use super::table::Table as ModelTable;
use crate::i18n::Lang;

/// Body: 仿宋_GB2312 (fallback 仿宋 via the font table).
pub const BODY_FONT: &str = "仿宋_GB2312";
/// Titles: 方正小标宋简体 (fallback 宋体).
pub const TITLE_FONT: &str = "方正小标宋简体";
/// First-level headings.
pub const HEADING_FONT: &str = "黑体";
/// Second-level headings: 楷体_GB2312 (fallback 楷体).
pub const KAI_FONT: &str = "楷体_GB2312";
const LATIN_FONT: &str = "Times New Roman";

// A4 (twips: 1 mm = 56.7). Margins a little narrower than GB/T 9704's 37/35/28/26 mm: the
// minutes carry wide tables.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: i32 = 1701; // 30 mm
const MARGIN_BOTTOM: i32 = 1588; // 28 mm
const MARGIN_LEFT: i32 = 1474; // 26 mm
const MARGIN_RIGHT: i32 = 1247; // 22 mm
const TEXT_W: usize = (PAGE_W as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

// Sizes in half-points.
const TITLE_SIZE: usize = 44; // 二号
const NOTICE_SIZE: usize = 32; // 三号
const HEADING_SIZE: usize = 32; // 三号
const BODY_SIZE: usize = 28; // 四号
const TABLE_SIZE: usize = 21; // 五号
const SMALL_SIZE: usize = 18; // 小五

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
        .east_asia(east_asia)
}

fn exact(twips: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips)
}

fn styles(d: Docx) -> Docx {
    d.default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .fonts(fonts(TITLE_FONT))
                .size(TITLE_SIZE)
                .align(AlignmentType::Center)
                .line_spacing(exact(700).after(120)),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .based_on("Normal")
                .next("Normal")
                .fonts(fonts(HEADING_FONT))
                .size(HEADING_SIZE)
                .outline_lvl(0)
                .line_spacing(exact(560).before(240).after(60)),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .based_on("Normal")
                .next("Normal")
                .fonts(fonts(KAI_FONT))
                .size(BODY_SIZE)
                .bold()
                .outline_lvl(1)
                .line_spacing(exact(520).before(180)),
        )
        .add_style(
            Style::new("Heading3", StyleType::Paragraph)
                .name("heading 3")
                .based_on("Normal")
                .next("Normal")
                .fonts(fonts(HEADING_FONT))
                .size(BODY_SIZE)
                .outline_lvl(2)
                .line_spacing(exact(520).before(120)),
        )
}

/// The font table: the Chinese fonts with their usual substitutes as `w:altName`, GB2312
/// character set, so Word and WPS pick 仿宋/宋体/楷体 where the GB2312 fonts are missing.
fn font_table() -> Vec<u8> {
    let font = |name: &str, alt: Option<&str>, charset: &str, family: &str, pitch: &str| {
        let alt = alt.map_or(String::new(), |a| format!("<w:altName w:val=\"{a}\"/>"));
        format!(
            "<w:font w:name=\"{name}\">{alt}<w:charset w:val=\"{charset}\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        )
    };
    let list = [
        font(LATIN_FONT, None, "00", "roman", "variable"),
        font(BODY_FONT, Some("仿宋"), "86", "modern", "fixed"),
        font("仿宋", Some("FangSong"), "86", "modern", "fixed"),
        font("FangSong", Some("STFangsong"), "86", "modern", "fixed"),
        font(TITLE_FONT, Some("宋体"), "86", "script", "fixed"),
        font("宋体", Some("SimSun"), "86", "auto", "variable"),
        font(HEADING_FONT, Some("SimHei"), "86", "modern", "fixed"),
        font("SimHei", Some("STHeiti"), "86", "modern", "fixed"),
        font(KAI_FONT, Some("楷体"), "86", "modern", "fixed"),
        font("楷体", Some("KaiTi"), "86", "modern", "fixed"),
        font("KaiTi", Some("STKaiti"), "86", "modern", "fixed"),
        font("Consolas", None, "00", "modern", "fixed"),
    ];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">{}</w:fonts>",
        list.concat()
    )
    .into_bytes()
}

/// Chinese text in the document defaults: line breaking and font choice by zh-CN rules.
fn with_language(styles: Vec<u8>) -> Vec<u8> {
    let s = String::from_utf8_lossy(&styles).into_owned();
    let lang = "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\" />";
    // Last in the run properties, where the schema puts w:lang.
    match s.find("</w:rPr></w:rPrDefault>") {
        Some(at) => {
            let mut out = s[..at].to_string();
            out.push_str(lang);
            out.push_str(&s[at..]);
            out.into_bytes()
        }
        None => styles,
    }
}

fn run(text: &str) -> Run {
    let mut r = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text)).line_spacing(exact(520))
}

/// Indent the first line by two characters of `size` (half-points), as Chinese prose is.
/// (Twips, not `w:firstLineChars`: docx-rs does not write the latter.)
fn two_chars(p: Paragraph, size: usize) -> Paragraph {
    p.indent(
        None,
        Some(SpecialIndentType::FirstLine(size as i32 * 20)),
        None,
        None,
    )
}

/// A body paragraph indented two characters.
fn prose(text: &str) -> Paragraph {
    two_chars(para(text), BODY_SIZE)
}

fn labelled(label: &str, sep: &str, value: &str) -> Paragraph {
    Paragraph::new()
        .add_run(
            Run::new()
                .add_text(format!("{label}{sep}"))
                .fonts(fonts(HEADING_FONT)),
        )
        .add_run(run(value))
        .line_spacing(exact(520))
}

fn cell(text: &str, width: usize, header: bool, right: bool) -> TableCell {
    let mut r = run(text).size(TABLE_SIZE);
    if header {
        r = r.fonts(fonts(HEADING_FONT));
    }
    let p = Paragraph::new()
        .add_run(r)
        .line_spacing(exact(300))
        .align(if header {
            AlignmentType::Center
        } else if right {
            AlignmentType::Right
        } else {
            AlignmentType::Left
        });
    let mut c = TableCell::new()
        .add_paragraph(p)
        .width(width, WidthType::Dxa);
    if header {
        c = c.shading(Shading::new().shd_type(ShdType::Clear).fill("E8E8E8"));
    }
    c
}

/// Column widths in twips summing to `total`: every column gets what its longest cell needs
/// at table size (one display column of 10.5 pt is 105 twips, plus the cell's padding); if
/// that is too much, the long text columns give way and wrap, numbers never do.
fn grid(t: &ModelTable, total: usize) -> Vec<usize> {
    const UNIT: usize = TABLE_SIZE * 10 / 2; // twips per half-width character
    const PAD: usize = 260;
    // Figures are set in Times New Roman, whose "%" and digits run wider than half a CJK
    // character: a numeric column gets a third more, so "100.0%" never breaks in its cell.
    let need: Vec<usize> = t
        .widths(2, 400)
        .iter()
        .enumerate()
        .map(|(c, w)| {
            if t.numeric(c) {
                w * UNIT * 4 / 3 + PAD
            } else {
                w * UNIT + PAD
            }
        })
        .collect();
    let sum: usize = need.iter().sum();
    let mut g: Vec<usize> = if sum <= total {
        need.iter().map(|n| n * total / sum).collect()
    } else {
        // Short columns keep their width; long ones share the rest.
        let short = |n: usize| n <= 8 * UNIT * 4 / 3 + PAD;
        let fixed: usize = need.iter().filter(|n| short(**n)).sum();
        let long: usize = need.iter().filter(|n| !short(**n)).sum::<usize>().max(1);
        let room = total.saturating_sub(fixed);
        need.iter()
            .map(|&n| {
                if short(n) {
                    n
                } else {
                    (n * room / long).max(900)
                }
            })
            .collect()
    };
    let used: usize = g.iter().sum();
    if let Some(widest) = g.iter_mut().max() {
        *widest = (*widest + total).saturating_sub(used).max(600);
    }
    g
}

fn table(t: &ModelTable, total: usize) -> Table {
    let g = grid(t, total);
    let numeric: Vec<bool> = (0..t.header.len()).map(|c| t.numeric(c)).collect();
    let mut rows = vec![TableRow::new(
        t.header
            .iter()
            .zip(&g)
            .map(|(h, w)| cell(h, *w, true, false))
            .collect(),
    )];
    for r in &t.rows {
        rows.push(TableRow::new(
            r.iter()
                .zip(&g)
                .enumerate()
                .map(|(c, (x, w))| cell(&x.display(), *w, false, numeric[c]))
                .collect(),
        ));
    }
    Table::new(rows)
        .set_grid(g)
        .layout(TableLayoutType::Fixed)
        .width(total, WidthType::Dxa)
}

fn spacer() -> Paragraph {
    Paragraph::new().line_spacing(exact(200))
}

fn ballot(mut d: Docx, m: &Minutes, b: &BallotSection) -> Docx {
    let lang = m.lang;
    let sep = lang.t(":", ": ");
    let provisional = !b.announced && !b.not_started;
    let mut h = Paragraph::new()
        .style("Heading3")
        .add_run(Run::new().add_text(&b.label));
    if provisional {
        h = h.add_run(
            Run::new()
                .add_text(format!("【{}】", m.labels.provisional_mark))
                .color("C00000"),
        );
    }
    d = d.add_paragraph(h);
    let mut status = para(&b.status_line);
    if provisional {
        status = Paragraph::new()
            .add_run(run(&b.status_line).color("C00000").bold())
            .line_spacing(exact(520));
    }
    d = d.add_paragraph(status);
    for r in &b.reopened {
        d = d.add_paragraph(para(&format!(
            "{}{sep}{r}",
            lang.t("曾重新开启,理由", "Re-opened, reason")
        )));
    }
    if b.not_started {
        return d;
    }
    if let Some(r) = &b.results {
        d = d.add_table(table(r, TEXT_W)).add_paragraph(spacer());
    }
    let fig_w = TEXT_W * 3 / 5;
    d = d
        .add_table(table(&b.figures, fig_w))
        .add_paragraph(spacer());
    if !b.staff.is_empty() {
        let s: Vec<String> = b
            .staff
            .iter()
            .map(|(k, v)| format!("{k}{sep}{v}"))
            .collect();
        d = d.add_paragraph(para(&s.join(lang.t(";", "; "))));
    }
    if !b.announced && !b.sentences.is_empty() {
        d = d.add_paragraph(
            Paragraph::new()
                .add_run(run(&m.labels.draft).color("C00000"))
                .line_spacing(exact(520)),
        );
    }
    for s in &b.sentences {
        d = d.add_paragraph(prose(s));
    }
    d
}

fn notice(mut d: Docx, lang: Lang, n: &Notice) -> Docx {
    let sep = lang.t(":", ": ");
    // A ballot with many candidates has many sentences: smaller type keeps it on one page.
    let dense = n.density() > 0;
    let (size, line) = NOTICE_LEVELS[usize::from(n.density())];
    let (title, title_line) = if dense { (36, 560) } else { (TITLE_SIZE, 700) };
    d = d
        .add_paragraph(
            Paragraph::new()
                .page_break_before(true)
                .align(AlignmentType::Center)
                .add_run(
                    Run::new()
                        .add_text(&n.org)
                        .fonts(fonts(TITLE_FONT))
                        .size(NOTICE_SIZE),
                )
                .line_spacing(exact(600).after(120)),
        )
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(&n.heading).size(title))
                .line_spacing(exact(title_line).after(if dense { 240 } else { 480 })),
        );
    for s in &n.sentences {
        d = d.add_paragraph(two_chars(
            Paragraph::new()
                .add_run(run(s).size(size))
                .line_spacing(exact(line)),
            size,
        ));
    }
    if !n.staff.is_empty() {
        let staff: Vec<String> = n
            .staff
            .iter()
            .map(|(k, v)| format!("{k}{sep}{v}"))
            .collect();
        let lines = if dense {
            vec![staff.join("    ")]
        } else {
            staff
        };
        d = d.add_paragraph(Paragraph::new().line_spacing(exact(line / 2)));
        for l in lines {
            d = d.add_paragraph(
                Paragraph::new()
                    .add_run(run(&l).size(size))
                    .line_spacing(exact(line)),
            );
        }
    }
    d.add_paragraph(Paragraph::new().line_spacing(exact(line)))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(run(&n.date).size(size.max(28)))
                .line_spacing(exact(line.max(560))),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(run(&n.chain).size(SMALL_SIZE))
                .line_spacing(exact(300)),
        )
}

fn document(m: &Minutes) -> Docx {
    let lang = m.lang;
    let sep = lang.t(":", ": ");
    let footer = Footer::new()
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text("— ").size(BODY_SIZE))
                .add_page_num(PageNum::new())
                .add_run(Run::new().add_text(" —").size(BODY_SIZE)),
        )
        .add_paragraph(
            Paragraph::new().align(AlignmentType::Right).add_run(
                Run::new()
                    .add_text(&m.exported)
                    .size(SMALL_SIZE)
                    .color("808080"),
            ),
        );
    let mut d = styles(Docx::new())
        .page_size(PAGE_W, PAGE_H)
        .page_margin(docx_rs::PageMargin {
            top: MARGIN_TOP,
            bottom: MARGIN_BOTTOM,
            left: MARGIN_LEFT,
            right: MARGIN_RIGHT,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .footer(footer);

    // title block
    d = d
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(&m.org_title))
                .line_spacing(exact(700)),
        )
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(&m.doc_title))
                .line_spacing(exact(700).after(360)),
        );
    for (k, v) in &m.meta {
        d = d.add_paragraph(labelled(k, sep, v));
    }
    d = d.add_paragraph(
        Paragraph::new()
            .add_run(run(&m.as_of).size(TABLE_SIZE))
            .line_spacing(exact(400)),
    );
    if m.in_progress {
        d = d.add_paragraph(
            Paragraph::new()
                .add_run(
                    run(lang.t(
                        "会议尚未全部结束:本记录反映截至上述时间的情况,未宣布的结果为临时结果。",
                        "The session is not over: these minutes show it as of the time above; results not announced are provisional.",
                    ))
                    .size(TABLE_SIZE)
                    .color("C00000"),
                )
                .line_spacing(exact(400)),
        );
    }

    // attendance
    d = d
        .add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .add_run(Run::new().add_text(&m.labels.attendance)),
        )
        .add_paragraph(prose(&m.attendance.sentence))
        .add_table(table(&m.attendance.groups, TEXT_W))
        .add_paragraph(spacer());
    for (k, v) in &m.attendance.lists {
        d = d.add_paragraph(labelled(k, sep, v));
    }

    // proceedings
    d = d.add_paragraph(
        Paragraph::new()
            .style("Heading1")
            .add_run(Run::new().add_text(&m.labels.proceedings)),
    );
    for it in &m.items {
        d = d.add_paragraph(
            Paragraph::new()
                .style("Heading2")
                .keep_next(true)
                .add_run(Run::new().add_text(format!("{}{}", it.number, it.title))),
        );
        let mut who = format!("{}{sep}{}", lang.t("类别", "Kind"), it.kind);
        if let Some(p) = &it.presenter {
            who.push_str(&format!(
                "{}{}{sep}{p}",
                lang.t(";", "; "),
                lang.t("报告人/主持人", "Presenter")
            ));
        }
        d = d.add_paragraph(para(&who)).add_paragraph(labelled(
            lang.t("时间", "Time"),
            sep,
            &it.time,
        ));
        if !it.notes.is_empty() {
            d = d.add_paragraph(labelled(&m.labels.notes, sep, ""));
            for (at, text) in &it.notes {
                d = d.add_paragraph(para(&format!("{at} {text}")).indent(
                    Some(420),
                    Some(SpecialIndentType::Hanging(0)),
                    None,
                    None,
                ));
            }
        }
        for r in &it.reasons {
            d = d.add_paragraph(labelled(&m.labels.reasons, sep, r));
        }
        for &k in &it.ballots {
            d = ballot(d, m, &m.ballots[k]);
        }
        for q in &it.questions {
            d = d.add_paragraph(
                Paragraph::new()
                    .style("Heading3")
                    .keep_next(true)
                    .add_run(Run::new().add_text(&q.heading)),
            );
            for (k, v) in &q.facts {
                d = d.add_paragraph(labelled(k, sep, v));
            }
            if !q.notes.is_empty() {
                d = d.add_paragraph(labelled(lang.t("答复要点", "Answer notes"), sep, ""));
                for (at, text) in &q.notes {
                    d = d.add_paragraph(para(&format!("{at} {text}")).indent(
                        Some(420),
                        Some(SpecialIndentType::Hanging(0)),
                        None,
                        None,
                    ));
                }
            }
        }
    }
    for c in m.commitments.iter().chain(&m.projects) {
        d = d
            .add_paragraph(
                Paragraph::new()
                    .style("Heading1")
                    .add_run(Run::new().add_text(&c.caption)),
            )
            .add_table(table(c, TEXT_W))
            .add_paragraph(spacer());
    }

    // verification and signatures
    d = d
        .add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .add_run(Run::new().add_text(&m.labels.verification)),
        )
        .add_paragraph(prose(&m.chain.line))
        .add_paragraph(
            Paragraph::new()
                .add_run(
                    Run::new()
                        .add_text(format!("{}{sep}{}", m.labels.full_hash, m.chain.hash))
                        .fonts(
                            RunFonts::new()
                                .ascii("Consolas")
                                .hi_ansi("Consolas")
                                .east_asia(BODY_FONT),
                        )
                        .size(SMALL_SIZE),
                )
                .line_spacing(exact(300)),
        )
        .add_paragraph(spacer());
    for (role, name) in &m.signatures {
        let name = if name.is_empty() { "__________" } else { name };
        d = d.add_paragraph(
            Paragraph::new()
                .add_run(run(&format!(
                    "{role}{sep}{name}        {}{sep}______________        {}{sep}__________",
                    m.labels.signature, m.labels.date
                )))
                .line_spacing(exact(720)),
        );
    }

    for n in m.notices() {
        d = notice(d, lang, n);
    }
    d
}

/// The .docx bytes of the minutes.
pub fn render(m: &Minutes) -> Result<Vec<u8>, String> {
    let mut x = document(m).build();
    x.font_table = font_table();
    x.styles = with_language(x.styles);
    let mut buf = std::io::Cursor::new(Vec::new());
    x.pack(&mut buf).map_err(|e| e.to_string())?;
    Ok(buf.into_inner())
}
