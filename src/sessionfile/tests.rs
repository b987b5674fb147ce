use super::*;

const GOOD: &str = r#"
[session]
body = "青溪镇人民代表大会"
level = "town"
title = "青溪镇第十九届人民代表大会第三次会议"
term = 19
session = 3
date = "2026-07-15"
start = "09:00"
venue = "镇政府三楼会议室"
chair = "陈国平"
quorum = "two-thirds"

[roster]
deputies = [
  { id = "Q01", name = "吴海燕", group = "东片代表小组" },
  { id = "Q02", name = "孙志强", group = "西片代表小组" },
  { id = "Q03", name = "何美兰", group = "西片代表小组" },
]

[[agenda]]
id = "open"
kind = "procedural"
title = "宣布开会"
minutes = 5

[[agenda]]
id = "ask"
kind = "questioning"
title = "代表询问"
minutes = 60

[agenda.questioning]
max_per_group = 1

[[agenda.questioning.questions]]
id = "q1"
topic = "农村生活污水治理"
deputy = "Q02"
respondent = { name = "周立新", post = "副镇长", unit = "镇人民政府" }

[[agenda.questioning.questions]]
id = "q2"
topic = "老年助餐点"
deputy = "Q03"
respondent = { name = "周立新", post = "副镇长", unit = "镇人民政府" }

[[agenda]]
id = "vote"
kind = "ballot"
title = "民生实事项目票决"
minutes = 30

[agenda.ballot]
places = 1
candidates = [ { id = "P1", name = "甲" }, { id = "P2", name = "乙" } ]
"#;

fn parse(src: &str) -> Result<Loaded, FileError> {
    parse_session(Path::new("s.toml"), src.as_bytes(), &|rel| {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            rel.to_string(),
        ))
    })
}

fn err(src: &str) -> FileError {
    parse(src).unwrap_err()
}

#[test]
fn good_file_loads_fills_groups_and_warns_on_balance() {
    let l = parse(GOOD).unwrap();
    assert_eq!(l.def.deputies.len(), 3);
    let q = l.def.agenda[1].questioning.as_ref().unwrap();
    assert_eq!(q.questions[0].group.as_deref(), Some("西片代表小组"));
    assert_eq!(q.followups, 1);
    assert_eq!(l.warnings.len(), 1);
    assert!(l.warnings[0].zh.contains("西片代表小组 有 2 个问题"));
}

#[test]
fn bom_is_accepted() {
    let with_bom = format!("\u{feff}{GOOD}");
    assert!(parse(&with_bom).is_ok());
}

#[test]
fn syntax_error_names_line_and_column() {
    let src = GOOD.replace("term = 19", "term = 19 19");
    let e = err(&src);
    assert_eq!(e.line, Some(6));
    assert!(e.column.is_some());
}

#[test]
fn type_error_names_the_field() {
    let src = GOOD.replace("places = 1", "places = \"一\"");
    let e = err(&src);
    assert_eq!(e.field.as_deref(), Some("agenda[2].ballot.places"));
    let line = GOOD
        .lines()
        .position(|l| l.starts_with("places = 1"))
        .unwrap()
        + 1;
    assert_eq!(e.line, Some(line));
}

#[test]
fn unknown_field_is_refused() {
    let src = GOOD.replace("minutes = 30", "minutes = 30\nminute = 3");
    let e = err(&src);
    assert!(e.message.en.contains("minute"), "{}", e.message.en);
    assert!(e.line.is_some());
}

#[test]
fn places_not_below_candidates() {
    let src = GOOD.replace("places = 1", "places = 2");
    let e = err(&src);
    assert_eq!(e.field.as_deref(), Some("agenda[2].ballot.places"));
    assert!(e.message.zh.contains("差额"));
    let src = GOOD.replace("places = 1", "places = 2\nequal = true");
    assert!(parse(&src).is_ok());
}

#[test]
fn unknown_questioner_refused() {
    let src = GOOD.replace("deputy = \"Q03\"", "deputy = \"Q99\"");
    let e = err(&src);
    assert_eq!(
        e.field.as_deref(),
        Some("agenda[1].questioning.questions[1].deputy")
    );
    assert!(e.message.en.contains("Q99"));
}

#[test]
fn duplicate_ids_refused() {
    let src = GOOD.replace("id = \"Q02\"", "id = \"Q01\"");
    let e = err(&src);
    assert_eq!(e.field.as_deref(), Some("roster.deputies[1].id"));
    let src = GOOD.replace("id = \"vote\"", "id = \"open\"");
    assert_eq!(err(&src).field.as_deref(), Some("agenda[2].id"));
}

#[test]
fn kind_needs_its_section() {
    let src = GOOD.replace("kind = \"ballot\"", "kind = \"speech\"");
    let e = err(&src);
    assert!(e.message.en.contains("[agenda.ballot] belongs only"));
    assert_eq!(e.field.as_deref(), Some("agenda[2].ballot"));
}

#[test]
fn bad_date_and_quorum() {
    let e = err(&GOOD.replace("2026-07-15", "2026-7-15x"));
    assert_eq!(e.field.as_deref(), Some("session.date"));
    assert_eq!(e.line, Some(8));
    let e = err(&GOOD.replace("quorum = \"two-thirds\"", "quorum = \"half\""));
    assert!(e.message.en.contains("unknown variant"), "{}", e.message.en);
    assert_eq!(e.field.as_deref(), Some("session.quorum"));
}

#[test]
fn missing_roster_file_is_named() {
    let src = GOOD.replace("deputies = [", "file = \"nope.csv\"\nxdeputies = [");
    // `xdeputies` is unknown: that is reported first, with its line
    assert!(err(&src).message.en.contains("xdeputies"));
    let start = GOOD.find("deputies = [").unwrap();
    let end = GOOD[start..].find("]\n").unwrap() + start + 2;
    let src = format!("{}file = \"nope.csv\"\n{}", &GOOD[..start], &GOOD[end..]);
    let e = err(&src);
    assert_eq!(e.field.as_deref(), Some("roster.file"));
    assert!(e.message.en.contains("nope.csv"));
}

#[test]
fn empty_and_non_utf8_files() {
    assert!(err("").message.en.contains("empty"));
    let e = parse_session(
        Path::new("s.toml"),
        b"[session]\nbody = \"\xb0\xa1\"\n",
        &|_| unreachable!(),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.message.en.contains("UTF-8"));
}

#[test]
fn render_shows_file_line_col_field() {
    let e = err(&GOOD.replace("places = 1", "places = 0"));
    let r = e.render(Lang::En);
    assert!(r.starts_with("s.toml:"), "{r}");
    assert!(r.contains("field `agenda[2].ballot.places`"), "{r}");
}
