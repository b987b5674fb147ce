use super::labels::{cn_num, ordinal_en};

#[test]
fn chinese_numerals() {
    let cases = [
        (1, "一"),
        (2, "二"),
        (8, "八"),
        (10, "十"),
        (11, "十一"),
        (16, "十六"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1005, "一千零五"),
    ];
    for (n, want) in cases {
        assert_eq!(cn_num(n), want, "{n}");
    }
}

#[test]
fn english_ordinals() {
    assert_eq!(ordinal_en(1), "1st");
    assert_eq!(ordinal_en(2), "2nd");
    assert_eq!(ordinal_en(3), "3rd");
    assert_eq!(ordinal_en(11), "11th");
    assert_eq!(ordinal_en(22), "22nd");
}
