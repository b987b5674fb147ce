//! Map between byte offsets in a TOML file and key paths such as `agenda[3].ballot.places`, so
//! every error can name file, line, column and field.

use toml_edit::{Document, Item, Table, Value};

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// `agenda[3].ballot.places`
pub fn render_path(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut cut = offset;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span(&self) -> Option<std::ops::Range<usize>> {
        match self {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
    }

    fn as_table(&self) -> Option<&'a Table> {
        match self {
            Node::Item(Item::Table(t)) => Some(t),
            Node::Table(t) => Some(t),
            _ => None,
        }
    }

    fn as_value(&self) -> Option<&'a Value> {
        match self {
            Node::Item(Item::Value(v)) => Some(v),
            Node::Value(v) => Some(v),
            _ => None,
        }
    }

    fn child(&self, seg: &Seg) -> Option<Node<'a>> {
        if let (Some(t), Seg::Key(k)) = (self.as_table(), seg) {
            return t.get(k).map(Node::Item);
        }
        if let (Node::Item(Item::ArrayOfTables(a)), Seg::Index(i)) = (self, seg) {
            return a.get(*i).map(Node::Table);
        }
        match (self.as_value()?, seg) {
            (Value::Array(a), Seg::Index(i)) => a.get(*i).map(Node::Value),
            (Value::InlineTable(t), Seg::Key(k)) => t.get(k).map(Node::Value),
            _ => None,
        }
    }

    /// Span of the key `k` inside this table (the key itself, not its value).
    fn key_span(&self, k: &str) -> Option<std::ops::Range<usize>> {
        if let Some(t) = self.as_table() {
            return t.key(k).and_then(|key| key.span());
        }
        match self.as_value() {
            Some(Value::InlineTable(t)) => t.key(k).and_then(|key| key.span()),
            _ => None,
        }
    }

    fn children(&self) -> Vec<(Seg, Node<'a>)> {
        if let Some(t) = self.as_table() {
            return t
                .iter()
                .map(|(k, v)| (Seg::Key(k.to_string()), Node::Item(v)))
                .collect();
        }
        if let Node::Item(Item::ArrayOfTables(a)) = self {
            return a
                .iter()
                .enumerate()
                .map(|(i, t)| (Seg::Index(i), Node::Table(t)))
                .collect();
        }
        match self.as_value() {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (Seg::Index(i), Node::Value(v)))
                .collect(),
            Some(Value::InlineTable(t)) => t
                .iter()
                .map(|(k, v)| (Seg::Key(k.to_string()), Node::Value(v)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A parsed TOML text that can answer "where is this path" and "which path is here".
pub struct Locator<'t> {
    text: &'t str,
    doc: Option<Document<&'t str>>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator {
            text,
            doc: Document::parse(text).ok(),
        }
    }

    /// Line and column of the deepest existing prefix of `path`.
    pub fn find(&self, path: &[Seg]) -> Option<(usize, usize)> {
        let doc = self.doc.as_ref()?;
        let mut node = Node::Table(doc.as_table());
        let mut best = None;
        for seg in path {
            match node.child(seg) {
                Some(n) => {
                    if let Some(sp) = n.span() {
                        best = Some(sp.start);
                    }
                    node = n;
                }
                None => break,
            }
        }
        best.map(|off| line_col(self.text, off))
    }

    /// The key path of the innermost element whose span holds `offset`, or else of the nearest
    /// element before it (table headers do not span their bodies).
    pub fn path_at(&self, offset: usize) -> Vec<Seg> {
        let Some(doc) = self.doc.as_ref() else {
            return Vec::new();
        };
        let mut all = Vec::new();
        collect(&Node::Table(doc.as_table()), &mut Vec::new(), &mut all);
        let holding = all
            .iter()
            .filter(|(sp, _)| sp.start <= offset && offset < sp.end.max(sp.start + 1))
            .max_by_key(|(sp, p)| (p.len(), sp.start));
        let before = || {
            all.iter()
                .filter(|(sp, _)| sp.start <= offset)
                .max_by_key(|(sp, p)| (sp.start, p.len()))
        };
        holding
            .or_else(before)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    }
}

type Spanned = (std::ops::Range<usize>, Vec<Seg>);

/// The table a line belongs to, worked out from the `[table]` and `[[array]]` headers above
/// `offset` — for files that do not parse, where no document is available.
pub fn header_path_before(text: &str, offset: usize) -> Vec<Seg> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut current: Vec<Seg> = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if pos > offset {
            break;
        }
        pos += line.len();
        let l = line.trim();
        let (name, array) = if let Some(n) = l.strip_prefix("[[").and_then(|r| r.split("]]").next())
        {
            (n.trim(), true)
        } else if let Some(n) = l.strip_prefix('[').and_then(|r| r.split(']').next()) {
            (n.trim(), false)
        } else {
            continue;
        };
        if array {
            *counts.entry(name.to_string()).or_default() += 1;
        }
        // Rebuild the path: every prefix that names an array of tables takes its latest index.
        current.clear();
        let mut prefix = String::new();
        for part in name.split('.') {
            let part = part.trim().trim_matches('"');
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            current.push(Seg::Key(part.to_string()));
            if let Some(n) = counts.get(&prefix) {
                current.push(Seg::Index(n.saturating_sub(1)));
            }
        }
    }
    current
}

fn collect(node: &Node<'_>, path: &mut Vec<Seg>, out: &mut Vec<Spanned>) {
    for (seg, child) in node.children() {
        let key_span = match &seg {
            Seg::Key(k) => node.key_span(k),
            Seg::Index(_) => None,
        };
        path.push(seg);
        if let Some(sp) = child.span() {
            out.push((sp, path.clone()));
        }
        if let Some(sp) = key_span {
            out.push((sp, path.clone()));
        }
        collect(&child, path, out);
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "[session]\ntitle = \"x\"\n\n[[agenda]]\nid = \"a\"\n\n[[agenda]]\nid = \"b\"\n[agenda.ballot]\nplaces = 11\n";

    #[test]
    fn finds_nested_paths() {
        let loc = Locator::new(DOC);
        let path = [key("agenda"), Seg::Index(1), key("ballot"), key("places")];
        assert_eq!(loc.find(&path), Some((10, 10)));
        assert_eq!(render_path(&path), "agenda[1].ballot.places");
    }

    #[test]
    fn path_at_offset() {
        let loc = Locator::new(DOC);
        let off = DOC.find("11").unwrap();
        assert_eq!(render_path(&loc.path_at(off)), "agenda[1].ballot.places");
    }

    #[test]
    fn header_path_without_a_parse() {
        let off = DOC.find("places").unwrap();
        assert_eq!(
            render_path(&header_path_before(DOC, off)),
            "agenda[1].ballot"
        );
        assert_eq!(render_path(&header_path_before(DOC, 12)), "session");
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        assert_eq!(line_col("名称 = 1\nx", 9), (1, 6));
        assert_eq!(line_col("a\nb", 2), (2, 1));
    }
}
