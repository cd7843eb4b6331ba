//! Open data: every figure with its source, quote and page URL, as CSV (UTF-8
//! with BOM, for Excel on zh-CN Windows) and JSON with the same fields, plus
//! one CSV per metric.

use rayon::prelude::*;
use serde::Serialize;

use crate::model::*;

use super::context::{doc_kind_label, kind_slug};
use super::urls::Urls;

/// One row of figures.csv / one object of figures.json. Field names are the
/// column names documented on /data/.
#[derive(Serialize, Debug, Clone)]
pub struct FigureRecord {
    pub metric: String,
    pub metric_name: String,
    pub unit: String,
    /// Exact value in `unit` (the upper end in `value_high` for ranges).
    pub value: String,
    pub value_high: String,
    pub value_written: String,
    /// The value converted to the metric's unit, for comparisons.
    pub value_in_metric_unit: String,
    pub metric_unit: String,
    pub kind: &'static str,
    /// 以上, 近, 最高 …; empty when the number is exact.
    pub qualifier: String,
    /// Who the number is about when narrower than the region.
    pub subject: String,
    pub region: String,
    pub region_name: String,
    pub program: String,
    pub program_name: String,
    pub brand: String,
    pub brand_name: String,
    pub time: String,
    /// year | period | as_of | since | time_text | undated.
    pub time_basis: &'static str,
    pub year: String,
    pub document: String,
    pub document_title: String,
    pub document_kind: &'static str,
    pub quote: String,
    pub note: String,
    pub over_max: bool,
    pub conflicting: bool,
    pub page_url: String,
}

/// Every figure's record, in the site's order of figures.
pub fn records(site: &Site, urls: &Urls) -> Vec<FigureRecord> {
    site.figures
        .par_iter()
        .map(|f| {
            let metric = site.metric(f.metric);
            let region = site.region(f.region);
            let document = site.document(f.document);
            let program = f.program.map(|p| site.program(p));
            let brand = f.brand.map(|b| site.brand(b));
            FigureRecord {
                metric: metric.id.clone(),
                metric_name: metric.name.clone(),
                unit: f.unit.clone(),
                value: f.value.low.normalize().to_string(),
                value_high: f
                    .value
                    .high
                    .map(|h| h.normalize().to_string())
                    .unwrap_or_default(),
                value_written: f.value_label(),
                value_in_metric_unit: f.in_metric_unit.normalize().to_string(),
                metric_unit: metric.unit.clone(),
                kind: kind_slug(f.kind),
                qualifier: f.qualifier.clone().unwrap_or_default(),
                subject: f.subject.clone().unwrap_or_default(),
                region: region.slug.clone(),
                region_name: region.name.clone(),
                program: program.map(|p| p.slug.clone()).unwrap_or_default(),
                program_name: program.map(|p| p.name.clone()).unwrap_or_default(),
                brand: brand.map(|b| b.slug.clone()).unwrap_or_default(),
                brand_name: brand.map(|b| b.name.clone()).unwrap_or_default(),
                time: f.time_label(),
                time_basis: match f.time {
                    Time::Year(_) => "year",
                    Time::Period(..) => "period",
                    Time::AsOf(_) | Time::DocDate(_) => "as_of",
                    Time::Since(..) => "since",
                    Time::Vague(_) => "time_text",
                    Time::Undated => "undated",
                },
                year: f.time.year().map(|y| y.to_string()).unwrap_or_default(),
                document: document.slug.clone(),
                document_title: document.title.clone(),
                document_kind: doc_kind_label(document.kind),
                quote: f.quote.clone(),
                note: f.note.clone().unwrap_or_default(),
                over_max: f.over_max,
                conflicting: f.conflicting,
                page_url: urls
                    .absolute(&format!("documents/{}/#{}", document.slug, f.quote_anchor)),
            }
        })
        .collect()
}

/// The records of the open-data files, each serialised once (in parallel):
/// figures.csv and a metric's CSV share the same row bytes, and figures.json
/// joins the objects. At national scale these files are tens of megabytes,
/// remade on every save in `serve`.
pub struct Serialized {
    /// Each record's CSV line, in order.
    rows: Vec<Vec<u8>>,
    /// Each record as a pretty-printed JSON object, indented as an array item.
    objects: Vec<Vec<u8>>,
}

impl Serialized {
    pub fn new(records: &[FigureRecord]) -> Self {
        let (rows, objects) = records
            .par_iter()
            .map(|record| (csv_row(record), json_item(record)))
            .unzip();
        Serialized { rows, objects }
    }

    /// CSV (UTF-8 with a BOM, for Excel) of the records at `indices`, in
    /// that order, under the header row.
    pub fn csv(&self, indices: impl IntoIterator<Item = usize> + Clone) -> Vec<u8> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            let _ = writer.write_record(COLUMNS.iter().map(|(name, _)| *name));
            let _ = writer.flush();
        }
        // Sized first: these files are large, and growing them copies them.
        let rows: usize = indices
            .clone()
            .into_iter()
            .map(|i| self.rows[i].len())
            .sum();
        out.reserve_exact(rows);
        for i in indices {
            out.extend_from_slice(&self.rows[i]);
        }
        out
    }

    /// Every record as one pretty-printed JSON list, ending in a newline.
    pub fn json(&self) -> Vec<u8> {
        if self.objects.is_empty() {
            return b"[]\n".to_vec();
        }
        let size: usize = self.objects.iter().map(|o| o.len() + 4).sum();
        let mut out = Vec::with_capacity(size + 4);
        out.extend_from_slice(b"[\n  ");
        for (i, object) in self.objects.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b",\n  ");
            }
            out.extend_from_slice(object);
        }
        out.extend_from_slice(b"\n]\n");
        out
    }
}

fn csv_row(record: &FigureRecord) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let _ = writer.serialize(record);
    writer.into_inner().unwrap_or_default()
}

/// The record pretty-printed one level deep: JSON strings escape their line
/// breaks, so every raw newline is layout and gains the array's indent.
fn json_item(record: &FigureRecord) -> Vec<u8> {
    let object = serde_json::to_vec_pretty(record).unwrap_or_default();
    let mut out = Vec::with_capacity(object.len() + 64);
    for &byte in &object {
        out.push(byte);
        if byte == b'\n' {
            out.extend_from_slice(b"  ");
        }
    }
    out
}

/// Column documentation shown on /data/.
pub const COLUMNS: &[(&str, &str)] = &[
    ("metric", "指标编号（见“指标”栏目）"),
    ("metric_name", "指标名称"),
    ("unit", "数值的单位（原文所用单位）"),
    ("value", "精确数值（按 unit，范围取下限）"),
    ("value_high", "范围的上限；不是范围时为空"),
    (
        "value_written",
        "原文写法，含限定词和单位，如 近1万人、500余家、最高200万元",
    ),
    ("value_in_metric_unit", "换算为指标单位后的数值，便于比较"),
    ("metric_unit", "指标的单位"),
    (
        "kind",
        "actual（完成）、target（目标）或 standard（政策标准，如补贴标准、上限）",
    ),
    (
        "qualifier",
        "原文的限定词：以上、余、多、超过（下限），最高、不超过、以内（上限），近、约、左右（约数）；确数为空",
    ),
    (
        "subject",
        "数字只涉及的单位或群体（如一所学院、一家企业）；涉及整个地区时为空",
    ),
    ("region", "地区编号"),
    ("region_name", "地区名称"),
    ("program", "项目编号；不属于某个项目时为空"),
    ("program_name", "项目名称"),
    ("brand", "人力资源品牌编号"),
    ("brand_name", "品牌名称"),
    (
        "time",
        "时间，按原文：某年、起止年份、截至某日、某时以来（截至某日）、原文的模糊时间（如 近三年来）",
    ),
    (
        "time_basis",
        "时间口径：year、period、as_of（截至某日）、since（某时以来）、time_text（原文模糊时间）、undated",
    ),
    ("year", "用于排序的年份；未注明时为空"),
    ("document", "出处文件编号"),
    ("document_title", "出处文件标题"),
    ("document_kind", "文件类别"),
    ("quote", "原文语句"),
    ("note", "编者注"),
    ("over_max", "true 表示超出指标上限、原文如此"),
    ("conflicting", "true 表示同一口径另有不同的数"),
    ("page_url", "原文语句在本站的网址"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_columns_match_the_record() {
        let record = FigureRecord {
            metric: String::new(),
            metric_name: String::new(),
            unit: String::new(),
            value: String::new(),
            value_high: String::new(),
            value_written: String::new(),
            value_in_metric_unit: String::new(),
            metric_unit: String::new(),
            kind: "actual",
            qualifier: String::new(),
            subject: String::new(),
            region: String::new(),
            region_name: String::new(),
            program: String::new(),
            program_name: String::new(),
            brand: String::new(),
            brand_name: String::new(),
            time: String::new(),
            time_basis: "year",
            year: String::new(),
            document: String::new(),
            document_title: String::new(),
            document_kind: "",
            quote: String::new(),
            note: String::new(),
            over_max: false,
            conflicting: false,
            page_url: String::new(),
        };
        let csv = String::from_utf8(Serialized::new(&[record]).csv([0])).unwrap();
        let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
        let documented: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(header.split(',').collect::<Vec<_>>(), documented);
    }

    /// The files as serde writes them from the whole list, to hold the
    /// row-by-row assembly to.
    fn whole_csv(records: &[FigureRecord]) -> Vec<u8> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            for record in records {
                writer.serialize(record).unwrap();
            }
            if records.is_empty() {
                writer
                    .write_record(COLUMNS.iter().map(|(name, _)| *name))
                    .unwrap();
            }
            writer.flush().unwrap();
        }
        out
    }

    #[test]
    fn files_joined_from_records_are_those_serde_writes_from_the_list() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::validate(root).site.expect("the real site validates");
        let urls = Urls::new("https://example.org/sub/", "/sub/");
        let mut records = records(&site, &urls);
        // Text that CSV must quote and JSON must escape.
        records[0].quote = "含“引号”, 逗号\n换行\t和 \"ASCII\" 引号".to_owned();
        records[1].note = "一行\r\n两行".to_owned();
        for few in [&records[..0], &records[..1], &records[..]] {
            let joined = Serialized::new(few);
            assert_eq!(joined.csv(0..few.len()), whole_csv(few));
            let mut json = serde_json::to_vec_pretty(few).unwrap();
            json.push(b'\n');
            assert_eq!(
                String::from_utf8(joined.json()).unwrap(),
                String::from_utf8(json).unwrap()
            );
        }
        let every_other: Vec<FigureRecord> = records.iter().step_by(2).cloned().collect();
        assert_eq!(
            Serialized::new(&records).csv((0..records.len()).step_by(2)),
            whole_csv(&every_other)
        );
    }
}
