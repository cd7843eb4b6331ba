//! .docx through docx-rs's reader: paragraphs in order (runs, tabs, breaks,
//! hyperlinks and tracked insertions), automatic numbering rendered as the
//! document shows it (一、 （一） 1.), and tables as rows of cells. Headers and
//! footers (running titles, page numbers) are separate parts and never read.

use std::collections::HashMap;

use docx_rs::{
    DocumentChild, InsertChild, Paragraph, ParagraphChild, RunChild, Table, TableCellContent,
    TableChild, TableRowChild,
};

use super::{Block, Source};

/// One level of a numbering definition.
#[derive(Clone, Debug)]
struct Level {
    start: usize,
    format: String,
    text: String,
    /// What follows the label: a tab (the default), a space or nothing.
    suffix: String,
}

/// A style's own numbering (id, level) and the style it is based on.
type StyleNumbering = (Option<(usize, Option<usize>)>, Option<String>);

/// Numbering definitions, the running counters of each list, and the
/// numbering that paragraph styles carry (Word's "List Number").
struct Numbering {
    levels: HashMap<usize, Vec<Level>>,
    counters: HashMap<usize, Vec<usize>>,
    /// style id → (numbering id and level, the style it is based on).
    styles: HashMap<String, StyleNumbering>,
}

impl Numbering {
    fn new(docx: &docx_rs::Docx) -> Numbering {
        let mut abstracts: HashMap<usize, Vec<Level>> = HashMap::new();
        for a in &docx.numberings.abstract_nums {
            let levels = a
                .levels
                .iter()
                .map(|l| {
                    // docx-rs keeps `start` and the level text private; its
                    // serialisation exposes them.
                    let v = serde_json::to_value(l).unwrap_or_default();
                    let text = |key: &str| -> String {
                        match &v[key] {
                            serde_json::Value::String(s) => s.clone(),
                            other => other["val"].as_str().unwrap_or("").to_owned(),
                        }
                    };
                    Level {
                        start: v["start"].as_u64().unwrap_or(1) as usize,
                        format: text("format"),
                        text: text("text"),
                        suffix: text("suffix"),
                    }
                })
                .collect();
            abstracts.insert(a.id, levels);
        }
        let mut levels = HashMap::new();
        for n in &docx.numberings.numberings {
            if let Some(l) = abstracts.get(&n.abstract_num_id) {
                levels.insert(n.id, l.clone());
            }
        }
        let styles = docx
            .styles
            .styles
            .iter()
            .map(|st| {
                let num = st
                    .paragraph_property
                    .numbering_property
                    .as_ref()
                    .and_then(|np| Some((np.id.as_ref()?.id, np.level.as_ref().map(|l| l.val))));
                let based_on = st
                    .based_on
                    .as_ref()
                    .and_then(|b| serde_json::to_value(b).ok())
                    .and_then(|v| v.as_str().map(str::to_owned));
                (st.style_id.clone(), (num, based_on))
            })
            .collect();
        Numbering {
            levels,
            counters: HashMap::new(),
            styles,
        }
    }

    /// The list a paragraph belongs to: its own numbering, else its style's
    /// (following `basedOn`); level 0 when none is given.
    fn of(&self, p: &Paragraph) -> Option<(usize, usize)> {
        let own = p
            .property
            .numbering_property
            .as_ref()
            .and_then(|np| Some((np.id.as_ref()?.id, np.level.as_ref().map(|l| l.val))));
        let mut style = p.property.style.as_ref().map(|s| s.val.clone());
        let mut from_style = None;
        let mut steps = 0;
        while let Some(id) = style {
            let Some((num, based_on)) = self.styles.get(&id) else {
                break;
            };
            if num.is_some() {
                from_style = *num;
                break;
            }
            style = based_on.clone();
            steps += 1;
            if steps > 10 {
                break;
            }
        }
        let (id, level) = own.or(from_style)?;
        let level = level.or_else(|| own.and_then(|o| o.1)).unwrap_or(0);
        (id != 0).then_some((id, level))
    }

    /// The label of the next paragraph of list `id` at `level` ("一、", "（二）", "3.").
    fn label(&mut self, id: usize, level: usize) -> Option<String> {
        let levels = self.levels.get(&id)?;
        let counters = self
            .counters
            .entry(id)
            .or_insert_with(|| levels.iter().map(|l| l.start.saturating_sub(1)).collect());
        if level >= counters.len() {
            return None;
        }
        counters[level] += 1;
        for (deeper, l) in levels.iter().enumerate().skip(level + 1) {
            counters[deeper] = l.start.saturating_sub(1);
        }
        let def = &levels[level];
        if def.format == "bullet" || def.format == "none" {
            return None;
        }
        let mut label = def.text.clone();
        for (i, l) in levels.iter().enumerate().take(level + 1) {
            label = label.replace(
                &format!("%{}", i + 1),
                &format_number(counters[i], &l.format),
            );
        }
        // "1." then a tab reads "1. "; a Chinese label (一、) is followed directly.
        if def.suffix != "nothing" && label.ends_with(|c: char| c.is_ascii()) {
            label.push(' ');
        }
        Some(label)
    }
}

fn format_number(n: usize, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "chineseLegalSimplified" => han_number(n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "lowerLetter" => ((b'a' + ((n - 1) % 26) as u8) as char).to_string(),
        "upperLetter" => ((b'A' + ((n - 1) % 26) as u8) as char).to_string(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            char::from_u32(0x2460 + n as u32 - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        _ => n.to_string(),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十.
fn han_number(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => n.to_string(),
    }
}

fn run_text(children: &[RunChild], out: &mut String) {
    for c in children {
        match c {
            RunChild::Text(t) => out.push_str(&t.text),
            RunChild::Tab(_) | RunChild::PTab(_) => out.push('\t'),
            RunChild::Break(_) | RunChild::CarriageReturn(_) => out.push('\n'),
            _ => {}
        }
    }
}

fn paragraph_children(children: &[ParagraphChild], out: &mut String) {
    for c in children {
        match c {
            ParagraphChild::Run(r) => run_text(&r.children, out),
            ParagraphChild::Hyperlink(h) => paragraph_children(&h.children, out),
            ParagraphChild::Insert(i) => {
                for ic in &i.children {
                    if let InsertChild::Run(r) = ic {
                        run_text(&r.children, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn paragraph(p: &Paragraph, numbering: &mut Numbering) -> String {
    let mut text = String::new();
    if let Some((id, level)) = numbering.of(p)
        && let Some(label) = numbering.label(id, level)
    {
        text.push_str(&label);
    }
    paragraph_children(&p.children, &mut text);
    text
}

fn table(t: &Table, numbering: &mut Numbering) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|TableChild::TableRow(row)| {
            row.cells
                .iter()
                .map(|TableRowChild::TableCell(cell)| {
                    let mut parts = Vec::new();
                    for content in &cell.children {
                        if let TableCellContent::Paragraph(p) = content {
                            parts.push(paragraph(p, numbering));
                        }
                    }
                    parts.join(" ")
                })
                .collect()
        })
        .collect()
}

/// Reads a .docx file into blocks.
pub fn read(bytes: &[u8]) -> Result<Source, String> {
    let docx = docx_rs::read_docx(bytes).map_err(|e| e.to_string())?;
    let mut numbering = Numbering::new(&docx);
    let mut blocks = Vec::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => {
                // A manual line break inside a paragraph starts a new line.
                for line in paragraph(p, &mut numbering).split('\n') {
                    blocks.push(Block::Para(line.to_owned()));
                }
            }
            DocumentChild::Table(t) => blocks.push(Block::Table(table(t, &mut numbering))),
            _ => {}
        }
    }
    Ok(Source {
        blocks,
        labelled: Vec::new(),
        read_as: "docx".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting() {
        assert_eq!(han_number(1), "一");
        assert_eq!(han_number(10), "十");
        assert_eq!(han_number(12), "十二");
        assert_eq!(han_number(20), "二十");
    }
}
